package adminrule_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/examples/customreview/adminrule"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

// tinyOrg seeds an organisation of four users on the fake, no AWS needed:
//   - ana is in Admins, which holds AdministratorAccess, and holds it directly too;
//   - bob holds it through Ops;
//   - carl holds it directly;
//   - dora holds only ReadOnly;
//   - nobody holds Billing.
func tinyOrg(t *testing.T, opts ...awsidctest.Option) (*awsidctest.Org, map[string]string) {
	org := awsidctest.NewOrg(opts...)
	ids := map[string]string{}
	must := func(id string, err error) string {
		require.NoError(t, err)
		return id
	}
	for _, u := range []string{"ana", "bob", "carl", "dora"} {
		ids[u] = must(org.AddUser(awsidctest.UserSeed{UserName: u}))
	}
	for _, g := range []string{"Admins", "Ops"} {
		ids[g] = must(org.AddGroup(g, ""))
	}
	must(org.AddMember(ids["Admins"], ids["ana"]))
	must(org.AddMember(ids["Ops"], ids["bob"]))
	admin := must(org.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "AdministratorAccess"}))
	readOnly := must(org.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "ReadOnly"}))
	must(org.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "Billing"}))
	prod := must(org.AddAccount(awsidctest.AccountSeed{Name: "prod"}))
	ids["prod"] = prod

	for _, a := range []struct{ set, typ, principal string }{
		{admin, "GROUP", "Admins"},
		{admin, "USER", "ana"},
		{admin, "GROUP", "Ops"},
		{admin, "USER", "carl"},
		{readOnly, "USER", "dora"},
	} {
		require.NoError(t, org.Assign(prod, a.set, a.typ, ids[a.principal]))
	}
	return org, ids
}

func collect(t *testing.T, org *awsidctest.Org) *review.Snapshot {
	snap, err := review.Collect(context.Background(),
		identitycenter.New(org.IdentityStore(), org.IdentityStoreID()),
		permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN()),
		review.Options{})
	require.NoError(t, err)
	return snap
}

func TestOffenders(t *testing.T) {
	org, ids := tinyOrg(t)
	snap := collect(t, org)

	for _, tc := range []struct {
		name, set, group string
		want             map[string]string // user name -> paths
	}{
		{"outside Admins", "AdministratorAccess", "Admins",
			map[string]string{"bob": "GROUP:Ops", "carl": "USER"}},
		{"outside Ops", "AdministratorAccess", "Ops",
			map[string]string{"ana": "USER; GROUP:Admins", "carl": "USER"}},
		{"another set", "ReadOnly", "Admins", map[string]string{"dora": "USER"}},
		{"a set nobody holds", "Billing", "Admins", map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			offenders, err := adminrule.Offenders(snap, tc.set, tc.group)
			require.NoError(t, err)
			got := map[string]string{}
			for _, a := range offenders {
				assert.Equal(t, ids["prod"], a.AccountID)
				assert.Equal(t, tc.set, a.PermissionSetName)
				got[a.UserName] = review.ViaString(a.Via)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestOffendersCannotDecide(t *testing.T) {
	org, _ := tinyOrg(t)
	_, err := adminrule.Offenders(collect(t, org), "AdministratorAccess", "Admns")
	assert.ErrorIs(t, err, adminrule.ErrCannotDecide, "a misspelt group")
	_, err = adminrule.Offenders(collect(t, org), "AdministratorAcess", "Admins")
	assert.ErrorIs(t, err, adminrule.ErrCannotDecide, "a misspelt permission set")

	// A policy that denies reading memberships makes every member look like
	// an outsider: the rule must refuse, not accuse.
	deny := awsidctest.WithInterceptor(func(_ context.Context, action string) error {
		if action == "identitystore:ListGroupMemberships" {
			return &idtypes.AccessDeniedException{Message: aws.String("not authorized")}
		}
		return nil
	})
	org, _ = tinyOrg(t, deny)
	_, err = adminrule.Offenders(collect(t, org), "AdministratorAccess", "Admins")
	assert.ErrorIs(t, err, adminrule.ErrCannotDecide, "an incomplete snapshot")
}
