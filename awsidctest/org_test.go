package awsidctest_test

import (
	"context"
	"errors"
	"sync"
	"testing"

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

func TestInterceptorsRunInOrderAndStopTheCall(t *testing.T) {
	var seen []string
	boom := errors.New("boom")
	o := awsidctest.NewOrg(
		awsidctest.WithInterceptor(func(_ context.Context, action string) error {
			seen = append(seen, "first "+action)
			return nil
		}),
		awsidctest.WithInterceptor(func(_ context.Context, action string) error {
			seen = append(seen, "second "+action)
			if action == "identitystore:CreateGroup" {
				return boom
			}
			return nil
		}),
	)
	c, sid := o.IdentityStore(), str(o.IdentityStoreID())
	ctx := context.Background()

	_, err := c.CreateGroup(ctx,
		&identitystore.CreateGroupInput{IdentityStoreId: sid, DisplayName: str("G")})
	assert.ErrorIs(t, err, boom)
	list, err := c.ListGroups(ctx, &identitystore.ListGroupsInput{IdentityStoreId: sid})
	require.NoError(t, err)
	assert.Empty(t, list.Groups, "a failed call changes nothing")
	assert.Equal(t, []string{
		"first identitystore:CreateGroup", "second identitystore:CreateGroup",
		"first identitystore:ListGroups", "second identitystore:ListGroups",
	}, seen)

	assert.Equal(t, map[string]int{
		"identitystore:CreateGroup": 1, "identitystore:ListGroups": 1,
	}, o.Calls())
	o.ResetCalls()
	assert.Empty(t, o.Calls())
}

func TestCancelledContext(t *testing.T) {
	o := awsidctest.NewOrg()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := o.IdentityStore().ListUsers(ctx,
		&identitystore.ListUsersInput{IdentityStoreId: str(o.IdentityStoreID())})
	assert.ErrorIs(t, err, context.Canceled)
	_, err = o.SSOAdmin().ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	assert.ErrorIs(t, err, context.Canceled)
	_, err = o.Organizations().ListAccounts(ctx, &organizations.ListAccountsInput{})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, o.Calls()["organizations:ListAccounts"], "cancelled calls are counted")
}

func TestAllowOnly(t *testing.T) {
	o := awsidctest.NewOrg(awsidctest.WithInterceptor(
		awsidctest.AllowOnly("identitystore:List*", "sso:ListInstances")))
	ctx := context.Background()

	_, err := o.IdentityStore().ListUsers(ctx,
		&identitystore.ListUsersInput{IdentityStoreId: str(o.IdentityStoreID())})
	require.NoError(t, err)
	_, err = o.SSOAdmin().ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	require.NoError(t, err)

	_, err = o.IdentityStore().CreateGroup(ctx, &identitystore.CreateGroupInput{
		IdentityStoreId: str(o.IdentityStoreID()), DisplayName: str("G"),
	})
	e := errorAs[*idtypes.AccessDeniedException](t, err)
	assert.Contains(t, e.ErrorMessage(), "identitystore:CreateGroup")
	assert.NotNil(t, e.RequestId)

	_, err = o.SSOAdmin().ListPermissionSets(ctx,
		&ssoadmin.ListPermissionSetsInput{InstanceArn: str(o.InstanceARN())})
	errorAs[*ssotypes.AccessDeniedException](t, err)
	_, err = o.Organizations().ListAccounts(ctx, &organizations.ListAccountsInput{})
	errorAs[*orgtypes.AccessDeniedException](t, err)
}

func TestAddInterceptorWhileCalling(t *testing.T) {
	o := awsidctest.NewOrg()
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				_, _ = o.Organizations().ListAccounts(ctx, &organizations.ListAccountsInput{})
			}
		}()
	}
	for range 10 {
		o.AddInterceptor(func(context.Context, string) error { return nil })
	}
	wg.Wait()
	assert.Equal(t, 200, o.Calls()["organizations:ListAccounts"])
}

func TestConcurrentUse(t *testing.T) {
	o := awsidctest.NewOrg(awsidctest.WithPageLimit(3))
	acct := mustAccount(t, o, "222222222222", "prod")
	set := mustSet(t, o, "ReadOnly")
	g := mustGroup(t, o, "G")
	ctx := context.Background()

	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				name := string(rune('a'+w)) + "-" + string(rune('a'+i))
				id, err := o.AddUser(awsidctest.UserSeed{UserName: name})
				if !assert.NoError(t, err) {
					return
				}
				_, err = o.AddMember(g, id)
				assert.NoError(t, err)
				assert.NoError(t, o.Assign(acct, set, "USER", id))
				_, err = o.IdentityStore().ListUsers(ctx,
					&identitystore.ListUsersInput{IdentityStoreId: str(o.IdentityStoreID())})
				assert.NoError(t, err)
				if i%2 == 0 {
					assert.NoError(t, o.DeleteUser(id))
				}
			}
		}()
	}
	wg.Wait()
	assert.Len(t, o.Assignments(), 4*12)
}

func TestIdsAreDeterministic(t *testing.T) {
	build := func(opts ...awsidctest.Option) []string {
		o := awsidctest.NewOrg(opts...)
		u, err := o.AddUser(awsidctest.UserSeed{UserName: "u"})
		require.NoError(t, err)
		g, err := o.AddGroup("g", "")
		require.NoError(t, err)
		a, err := o.AddAccount(awsidctest.AccountSeed{Name: "a"})
		require.NoError(t, err)
		ps, err := o.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "p"})
		require.NoError(t, err)
		return []string{o.InstanceARN(), o.IdentityStoreID(), u, g, a, ps}
	}

	first, second := build(), build()
	assert.Equal(t, first, second)
	other := build(awsidctest.WithSeed("other"))
	assert.NotEqual(t, first[2], other[2])
}

func TestSeedingErrors(t *testing.T) {
	o := awsidctest.NewOrg()
	user := addUsers(t, o, 1)[0]
	g := mustGroup(t, o, "G")
	set := mustSet(t, o, "S")
	acct := mustAccount(t, o, "222222222222", "a")
	_, err := o.AddMember(g, user)
	require.NoError(t, err)
	require.NoError(t, o.Assign(acct, set, "GROUP", g))

	tests := []struct {
		name string
		err  error
		want error
	}{
		{"duplicate group", second(o.AddGroup("g", "")), awsidctest.ErrConflict},
		{"duplicate member", second(o.AddMember(g, user)), awsidctest.ErrConflict},
		{"duplicate set",
			second(o.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "S"})),
			awsidctest.ErrConflict},
		{"duplicate assignment", o.Assign(acct, set, "GROUP", g), awsidctest.ErrConflict},
		{"unknown group", second(o.AddMember("nope", user)), awsidctest.ErrNotFound},
		{"bad set name",
			second(o.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "a b"})),
			awsidctest.ErrInvalid},
		{"bad policy", second(o.AddPermissionSet(awsidctest.PermissionSetSeed{
			Name: "T", ManagedPolicies: []string{"ReadOnly"},
		})), awsidctest.ErrInvalid},
		{"bad account id",
			second(o.AddAccount(awsidctest.AccountSeed{ID: "12"})),
			awsidctest.ErrInvalid},
		{"unknown user", o.DeleteUser("nope"), awsidctest.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.err, tt.want)
		})
	}

	// A set that failed half-way is not left behind.
	_, err = o.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "T"})
	assert.NoError(t, err)
}

func second[T any](_ T, err error) error { return err }

func TestDeleteCascades(t *testing.T) {
	o := awsidctest.NewOrg()
	users := addUsers(t, o, 2)
	g := mustGroup(t, o, "G")
	set := mustSet(t, o, "S")
	acct := mustAccount(t, o, "222222222222", "a")
	for _, u := range users {
		_, err := o.AddMember(g, u)
		require.NoError(t, err)
	}
	require.NoError(t, o.Assign(acct, set, "USER", users[0]))
	require.NoError(t, o.Assign(acct, set, "GROUP", g))
	c, sid := o.IdentityStore(), str(o.IdentityStoreID())
	ctx := context.Background()

	_, err := c.DeleteUser(ctx,
		&identitystore.DeleteUserInput{IdentityStoreId: sid, UserId: str(users[0])})
	require.NoError(t, err)
	assert.Equal(t, []awsidctest.Assignment{{
		AccountID: acct, PermissionSetARN: set, PrincipalType: "GROUP", PrincipalID: g,
	}}, o.Assignments(), "the user's assignment went with it")
	members, err := c.ListGroupMemberships(ctx,
		&identitystore.ListGroupMembershipsInput{IdentityStoreId: sid, GroupId: str(g)})
	require.NoError(t, err)
	require.Len(t, members.GroupMemberships, 1)

	_, err = c.DeleteGroup(ctx,
		&identitystore.DeleteGroupInput{IdentityStoreId: sid, GroupId: str(g)})
	require.NoError(t, err)
	assert.Len(t, o.Assignments(), 1, "the group's assignment stays, orphaned")
	forMember, err := c.ListGroupMembershipsForMember(ctx,
		&identitystore.ListGroupMembershipsForMemberInput{
			IdentityStoreId: sid, MemberId: member(users[1]),
		})
	require.NoError(t, err)
	assert.Empty(t, forMember.GroupMemberships)
	_, err = c.ListGroupMemberships(ctx,
		&identitystore.ListGroupMembershipsInput{IdentityStoreId: sid, GroupId: str(g)})
	errorAs[*idtypes.ResourceNotFoundException](t, err)

	rows, err := o.SSOAdmin().ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{
		InstanceArn: str(o.InstanceARN()), AccountId: str(acct), PermissionSetArn: str(set),
	})
	require.NoError(t, err)
	require.Len(t, rows.AccountAssignments, 1)
	assert.Equal(t, g, *rows.AccountAssignments[0].PrincipalId)
}
