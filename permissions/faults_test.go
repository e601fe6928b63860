package permissions_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/internal/awscall"
	"github.com/awsidc/awsidc/internal/testkit"
	"github.com/awsidc/awsidc/permissions"
)

type faultFixture struct {
	org      *awsidctest.Org
	users    []string
	accounts []string
	sets     []string
}

// newFaultFixture builds the same organisation on every call, with pages
// of at most two items.
func newFaultFixture(t *testing.T) *faultFixture {
	t.Helper()
	f := &faultFixture{org: awsidctest.NewOrg(awsidctest.WithSeed("perm-faults"),
		awsidctest.WithPageLimit(2), awsidctest.WithCompletionPolls(0))}
	for i := range 5 {
		id, err := f.org.AddUser(awsidctest.UserSeed{UserName: fmt.Sprintf("u%d", i)})
		require.NoError(t, err)
		f.users = append(f.users, id)
	}
	for i := range 5 {
		id, err := f.org.AddAccount(awsidctest.AccountSeed{ID: fmt.Sprintf("30000000000%d", i),
			Name: fmt.Sprintf("a%d", i), Email: fmt.Sprintf("a%d@example.com", i)})
		require.NoError(t, err)
		f.accounts = append(f.accounts, id)
	}
	for i := range 3 {
		seed := awsidctest.PermissionSetSeed{Name: fmt.Sprintf("S%d", i)}
		arn, err := f.org.AddPermissionSet(seed)
		require.NoError(t, err)
		f.sets = append(f.sets, arn)
	}
	for i, acc := range f.accounts {
		for _, u := range f.users[:1+i] {
			require.NoError(t, f.org.Assign(acc, f.sets[i%3], "USER", u))
		}
	}
	return f
}

func (f *faultFixture) client(sso permissions.SSOAdminAPI,
	org permissions.OrganizationsAPI) *permissions.Client {
	retryer := testkit.NoWait{Retryer: awscall.NewRetryer(25, "ConflictException")}
	return permissions.New(sso, org, f.org.InstanceARN(), permissions.WithRetryer(retryer))
}

type readings struct {
	Accounts    []permissions.Account
	Sets        []permissions.PermissionSet
	ForAccount  []string
	ForSet      []string
	ForUser     []permissions.Assignment
	Assignments []permissions.Assignment
}

func read(t *testing.T, f *faultFixture, c *permissions.Client) readings {
	t.Helper()
	ctx := context.Background()
	var r readings
	for a, err := range c.Accounts(ctx) {
		require.NoError(t, err)
		r.Accounts = append(r.Accounts, a)
	}
	for ps, err := range c.PermissionSets(ctx) {
		require.NoError(t, err)
		r.Sets = append(r.Sets, ps)
	}
	for arn, err := range c.PermissionSetsForAccount(ctx, f.accounts[4]) {
		require.NoError(t, err)
		r.ForAccount = append(r.ForAccount, arn)
	}
	for id, err := range c.AccountsForPermissionSet(ctx, f.sets[0]) {
		require.NoError(t, err)
		r.ForSet = append(r.ForSet, id)
	}
	for a, err := range c.AssignmentsForPrincipal(ctx, permissions.PrincipalUser, f.users[0]) {
		require.NoError(t, err)
		r.ForUser = append(r.ForUser, a)
	}
	for a, err := range c.Assignments(ctx, f.accounts[4], f.sets[1]) {
		require.NoError(t, err)
		r.Assignments = append(r.Assignments, a)
	}
	return r
}

func TestReadsUnderFaultsMatchFaultFree(t *testing.T) {
	clean := newFaultFixture(t)
	want := read(t, clean, clean.client(clean.org.SSOAdmin(), clean.org.Organizations()))
	require.Len(t, want.Accounts, 6)
	require.Len(t, want.Assignments, 5)

	for seed := range uint64(10) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			f := newFaultFixture(t)
			faults := awsidctest.NewFaults(awsidctest.Schedule{Seed: seed, Throttle: 0.3,
				ServerError: 0.05, Timeout: 0.03, ShortPage: 0.3, EmptyPage: 0.2,
				ExpiredToken: 0.3})
			fo := awsidctest.Faulty(f.org, faults)
			got := read(t, f, f.client(fo.SSOAdmin(), fo.Organizations()))
			assert.Equal(t, want, got)
			assert.Positive(t, faults.Total())
		})
	}
}

func TestGrantAndRevokeUnderFaultsChangeExactlyOnce(t *testing.T) {
	for seed := range uint64(10) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			f := newFaultFixture(t)
			faults := awsidctest.NewFaults(awsidctest.Schedule{Seed: seed, Throttle: 0.3,
				ServerError: 0.05, ConflictAfterWrite: 0.5})
			fo := awsidctest.Faulty(f.org, faults)
			c := f.client(fo.SSOAdmin(), fo.Organizations())
			ctx := context.Background()
			before := len(f.org.Assignments())

			for i := range 3 {
				grant := permissions.Assignment{AccountID: f.accounts[0],
					PermissionSetARN: f.sets[2], PrincipalType: permissions.PrincipalUser,
					PrincipalID: f.users[4-i]}
				revoke := permissions.Assignment{AccountID: f.accounts[4],
					PermissionSetARN: f.sets[1], PrincipalType: permissions.PrincipalUser,
					PrincipalID: f.users[i]}
				_, err := c.Grant(ctx, grant)
				require.NoError(t, err)
				_, err = c.Revoke(ctx, revoke)
				require.NoError(t, err)
				f.org.SettleAssignments()
			}
			after := f.org.Assignments()
			assert.Len(t, after, before)
			for i := range 3 {
				assert.Contains(t, after, awsidctest.Assignment{AccountID: f.accounts[0],
					PermissionSetARN: f.sets[2], PrincipalType: "USER", PrincipalID: f.users[4-i]})
				assert.NotContains(t, after, awsidctest.Assignment{AccountID: f.accounts[4],
					PermissionSetARN: f.sets[1], PrincipalType: "USER", PrincipalID: f.users[i]})
			}
			calls := f.org.Calls()
			assert.GreaterOrEqual(t, calls["sso:CreateAccountAssignment"], 3)
		})
	}
}

func TestGrantRevokeRefuseMalformedInput(t *testing.T) {
	f := newFaultFixture(t)
	c := f.client(f.org.SSOAdmin(), f.org.Organizations())
	good := permissions.Assignment{AccountID: f.accounts[0], PermissionSetARN: f.sets[0],
		PrincipalType: permissions.PrincipalUser, PrincipalID: f.users[0]}
	tests := []struct {
		field  string
		change func(*permissions.Assignment)
	}{
		{"AccountID", func(a *permissions.Assignment) { a.AccountID = "12345" }},
		{"AccountID", func(a *permissions.Assignment) { a.AccountID = "12345678901x" }},
		{"PermissionSetARN", func(a *permissions.Assignment) { a.PermissionSetARN = "ps-1" }},
		{"PermissionSetARN", func(a *permissions.Assignment) {
			a.PermissionSetARN = "arn:aws:iam::123456789012:role/x"
		}},
		{"PrincipalType", func(a *permissions.Assignment) { a.PrincipalType = "ROLE" }},
		{"PrincipalID", func(a *permissions.Assignment) { a.PrincipalID = "../../etc" }},
		{"PrincipalID", func(a *permissions.Assignment) { a.PrincipalID = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			f.org.ResetCalls()
			a := good
			tt.change(&a)
			for name, call := range map[string]func(context.Context,
				permissions.Assignment) (permissions.Operation, error){
				"grant": c.Grant, "revoke": c.Revoke} {
				_, err := call(context.Background(), a)
				var ie *permissions.InputError
				require.ErrorAs(t, err, &ie, name)
				assert.Equal(t, tt.field, ie.Field, name)
				assert.Contains(t, err.Error(), tt.field)
			}
			assert.Empty(t, f.org.Calls(), "refused before any call")
		})
	}
}
