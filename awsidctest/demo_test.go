package awsidctest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
)

// demoView is what the SDK-shaped calls show of an Org.
type demoView struct {
	users       []idtypes.User
	groups      []idtypes.Group
	members     map[string][]string // group id -> user ids
	accounts    []orgtypes.Account
	sets        []ssotypes.PermissionSet
	assignments []ssotypes.AccountAssignment
}

func viewOf(t *testing.T, o *awsidctest.Org) demoView {
	t.Helper()
	ctx := context.Background()
	sid, inst := str(o.IdentityStoreID()), str(o.InstanceARN())
	v := demoView{members: map[string][]string{}}

	up := identitystore.NewListUsersPaginator(o.IdentityStore(),
		&identitystore.ListUsersInput{IdentityStoreId: sid})
	for up.HasMorePages() {
		page, err := up.NextPage(ctx)
		require.NoError(t, err)
		v.users = append(v.users, page.Users...)
	}
	gp := identitystore.NewListGroupsPaginator(o.IdentityStore(),
		&identitystore.ListGroupsInput{IdentityStoreId: sid})
	for gp.HasMorePages() {
		page, err := gp.NextPage(ctx)
		require.NoError(t, err)
		v.groups = append(v.groups, page.Groups...)
	}
	for _, g := range v.groups {
		mp := identitystore.NewListGroupMembershipsPaginator(o.IdentityStore(),
			&identitystore.ListGroupMembershipsInput{IdentityStoreId: sid, GroupId: g.GroupId})
		v.members[*g.GroupId] = []string{}
		for mp.HasMorePages() {
			page, err := mp.NextPage(ctx)
			require.NoError(t, err)
			for _, m := range page.GroupMemberships {
				user := m.MemberId.(*idtypes.MemberIdMemberUserId).Value
				v.members[*g.GroupId] = append(v.members[*g.GroupId], user)
			}
		}
	}
	ap := organizations.NewListAccountsPaginator(o.Organizations(),
		&organizations.ListAccountsInput{})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx)
		require.NoError(t, err)
		v.accounts = append(v.accounts, page.Accounts...)
	}
	sets, err := o.SSOAdmin().ListPermissionSets(ctx,
		&ssoadmin.ListPermissionSetsInput{InstanceArn: inst})
	require.NoError(t, err)
	for _, arn := range sets.PermissionSets {
		d, err := o.SSOAdmin().DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{
			InstanceArn: inst, PermissionSetArn: str(arn),
		})
		require.NoError(t, err)
		v.sets = append(v.sets, *d.PermissionSet)
		accts, err := o.SSOAdmin().ListAccountsForProvisionedPermissionSet(ctx,
			&ssoadmin.ListAccountsForProvisionedPermissionSetInput{
				InstanceArn: inst, PermissionSetArn: str(arn),
			})
		require.NoError(t, err)
		for _, a := range accts.AccountIds {
			rows, err := o.SSOAdmin().ListAccountAssignments(ctx,
				&ssoadmin.ListAccountAssignmentsInput{
					InstanceArn: inst, AccountId: str(a), PermissionSetArn: str(arn),
				})
			require.NoError(t, err)
			v.assignments = append(v.assignments, rows.AccountAssignments...)
		}
	}
	return v
}

func TestDemo(t *testing.T) {
	o := awsidctest.Demo()
	v := viewOf(t, o)

	assert.Len(t, v.users, 40)
	assert.Len(t, v.groups, 10)
	assert.Len(t, v.accounts, 8)
	assert.Len(t, v.sets, 6)
	assert.Len(t, v.assignments, len(o.Assignments()),
		"every assignment is found through provisioning")

	byName := map[string]idtypes.User{}
	displays := map[string]bool{}
	for _, u := range v.users {
		byName[*u.UserName] = u
		displays[*u.DisplayName] = true
	}
	for _, d := range []string{"Jones, Erin", "Dan O'Brien", "Zoë Ångström"} {
		assert.True(t, displays[d], "display name %q", d)
	}
	assert.Equal(t, idtypes.UserStatusDisabled, byName["frank.miller"].UserStatus)
	assert.Empty(t, byName["grace.hopper"].Emails)

	groupByName := map[string]string{}
	for _, g := range v.groups {
		groupByName[*g.DisplayName] = *g.GroupId
	}
	contractors := groupByName["Contractors"]
	assert.Empty(t, v.members[contractors])

	states := map[orgtypes.AccountState]int{}
	for _, a := range v.accounts {
		states[a.State]++
	}
	assert.Equal(t, map[orgtypes.AccountState]int{"ACTIVE": 7, "SUSPENDED": 1}, states)

	var orphans, contractorRows int
	for _, a := range v.assignments {
		if a.PrincipalType != ssotypes.PrincipalTypeGroup {
			continue
		}
		if *a.PrincipalId == contractors {
			contractorRows++
		}
		if _, ok := v.members[*a.PrincipalId]; !ok {
			orphans++
			_, err := o.IdentityStore().DescribeGroup(context.Background(),
				&identitystore.DescribeGroupInput{
					IdentityStoreId: str(o.IdentityStoreID()), GroupId: a.PrincipalId,
				})
			errorAs[*idtypes.ResourceNotFoundException](t, err)
		}
	}
	assert.Equal(t, 1, orphans, "one leftover assignment of a deleted group")
	assert.Positive(t, contractorRows, "the empty group is assigned")

	for _, ps := range v.sets {
		assert.Equal(t, time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
			ps.CreatedDate.Truncate(24*time.Hour))
	}
}

func TestDemoUserWithThreePaths(t *testing.T) {
	o := awsidctest.Demo()
	ctx := context.Background()
	alice, err := o.IdentityStore().GetUserId(ctx, &identitystore.GetUserIdInput{
		IdentityStoreId: str(o.IdentityStoreID()),
		AlternateIdentifier: &idtypes.AlternateIdentifierMemberExternalId{Value: idtypes.ExternalId{
			Issuer: str(awsidctest.ExternalIDIssuer), Id: str("okta-alice.martin"),
		}},
	})
	require.NoError(t, err)

	rows, err := o.SSOAdmin().ListAccountAssignmentsForPrincipal(ctx,
		&ssoadmin.ListAccountAssignmentsForPrincipalInput{
			InstanceArn:   str(o.InstanceARN()),
			PrincipalType: ssotypes.PrincipalTypeUser,
			PrincipalId:   alice.UserId,
			Filter:        &ssotypes.ListAccountAssignmentsFilter{AccountId: str("222222222222")},
		})
	require.NoError(t, err)
	var paths []string
	sets := map[string]bool{}
	for _, r := range rows.AccountAssignments {
		paths = append(paths, string(r.PrincipalType))
		sets[*r.PermissionSetArn] = true
	}
	// Direct, Admins, On-Call (all AdministratorAccess), Platform
	// (DeveloperAccess).
	assert.Equal(t, []string{"USER", "GROUP", "GROUP", "GROUP"}, paths)
	assert.Len(t, sets, 2)
}

func TestDemoIsDeterministic(t *testing.T) {
	first, second := awsidctest.Demo(), awsidctest.Demo()
	assert.Equal(t, first.InstanceARN(), second.InstanceARN())
	assert.Equal(t, first.IdentityStoreID(), second.IdentityStoreID())
	a, b := viewOf(t, first), viewOf(t, second)
	assert.Equal(t, a, b)
}
