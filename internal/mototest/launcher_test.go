package mototest

import (
	"fmt"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests prove, from Go, each correction testdata/moto/launch.py makes
// to moto.

func TestLauncherProvisionedLists(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)
	user := f.CreateUser(t, "alice")
	group := f.CreateGroup(t, "admins")
	ps := f.CreatePermissionSet(t, "Admin")
	other := f.CreatePermissionSet(t, "Other")
	acctUser, acctGroup := f.CreateAccount(t, "user-acct"), f.CreateAccount(t, "group-acct")
	acctExplicit, acctNone := f.CreateAccount(t, "explicit"), f.CreateAccount(t, "none")

	f.Assign(t, acctUser, ps, ssotypes.PrincipalTypeUser, user)
	f.Assign(t, acctGroup, ps, ssotypes.PrincipalTypeGroup, group)
	f.Assign(t, acctGroup, other, ssotypes.PrincipalTypeGroup, group)
	f.Provision(t, acctExplicit, ps)

	// One account per page, so paging is exercised.
	var accounts []string
	pages := ssoadmin.NewListAccountsForProvisionedPermissionSetPaginator(f.SSOAdmin,
		&ssoadmin.ListAccountsForProvisionedPermissionSetInput{
			InstanceArn:      aws.String(f.InstanceARN),
			PermissionSetArn: aws.String(ps),
			MaxResults:       aws.Int32(1),
		})
	calls := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(t.Context())
		require.NoError(t, err)
		calls++
		accounts = append(accounts, page.AccountIds...)
	}
	want := []string{acctUser, acctGroup, acctExplicit}
	assert.ElementsMatch(t, want, accounts)
	assert.Equal(t, len(want), calls, "pages")

	tests := []struct {
		name    string
		account string
		want    []string
	}{
		{name: "user assignment", account: acctUser, want: []string{ps}},
		{name: "group assignments", account: acctGroup, want: []string{ps, other}},
		{name: "explicit provisioning", account: acctExplicit, want: []string{ps}},
		{name: "nothing", account: acctNone, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			pages := ssoadmin.NewListPermissionSetsProvisionedToAccountPaginator(f.SSOAdmin,
				&ssoadmin.ListPermissionSetsProvisionedToAccountInput{
					InstanceArn: aws.String(f.InstanceARN),
					AccountId:   aws.String(tt.account),
					MaxResults:  aws.Int32(1),
				})
			for pages.HasMorePages() {
				page, err := pages.NextPage(t.Context())
				require.NoError(t, err)
				got = append(got, page.PermissionSets...)
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

func TestLauncherDeleteUserCascades(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)
	user, keep := f.CreateUser(t, "leaver"), f.CreateUser(t, "stayer")
	group := f.CreateGroup(t, "team")
	f.AddMember(t, group, user)
	f.AddMember(t, group, keep)
	ps := f.CreatePermissionSet(t, "Dev")
	acct := f.CreateAccount(t, "dev")
	f.Assign(t, acct, ps, ssotypes.PrincipalTypeUser, user)
	f.Assign(t, acct, ps, ssotypes.PrincipalTypeUser, keep)

	_, err := f.IdentityStore.DeleteUser(t.Context(), &identitystore.DeleteUserInput{
		IdentityStoreId: aws.String(f.IdentityStoreID),
		UserId:          aws.String(user),
	})
	require.NoError(t, err)

	assert.Equal(t, []string{keep}, f.memberUsers(t, group), "memberships of the group")
	assert.ElementsMatch(t, []string{"USER " + keep}, f.assignments(t, acct, ps),
		"assignments on the account")
}

func TestLauncherDeleteGroupCascadesMembershipsOnly(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)
	user := f.CreateUser(t, "member")
	group, other := f.CreateGroup(t, "gone"), f.CreateGroup(t, "stays")
	f.AddMember(t, group, user)
	f.AddMember(t, other, user)
	ps := f.CreatePermissionSet(t, "Ops")
	acct := f.CreateAccount(t, "ops")
	f.Assign(t, acct, ps, ssotypes.PrincipalTypeGroup, group)

	_, err := f.IdentityStore.DeleteGroup(t.Context(), &identitystore.DeleteGroupInput{
		IdentityStoreId: aws.String(f.IdentityStoreID),
		GroupId:         aws.String(group),
	})
	require.NoError(t, err)

	out, err := f.IdentityStore.ListGroupMembershipsForMember(t.Context(),
		&identitystore.ListGroupMembershipsForMemberInput{
			IdentityStoreId: aws.String(f.IdentityStoreID),
			MemberId:        &idtypes.MemberIdMemberUserId{Value: user},
		})
	require.NoError(t, err)
	require.Len(t, out.GroupMemberships, 1)
	assert.Equal(t, other, aws.ToString(out.GroupMemberships[0].GroupId))
	assert.Empty(t, f.memberUsers(t, group), "memberships of the deleted group")

	// AWS keeps the deleted group's assignment as an orphan.
	assert.Equal(t, []string{"GROUP " + group}, f.assignments(t, acct, ps))
}

func TestLauncherDuplicates(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)
	user := f.CreateUser(t, "dup")
	group := f.CreateGroup(t, "dups")
	f.AddMember(t, group, user)
	ps := f.CreatePermissionSet(t, "Dup")
	acct := f.CreateAccount(t, "dup")

	t.Run("membership", func(t *testing.T) {
		_, err := f.IdentityStore.CreateGroupMembership(t.Context(),
			&identitystore.CreateGroupMembershipInput{
				IdentityStoreId: aws.String(f.IdentityStoreID),
				GroupId:         aws.String(group),
				MemberId:        &idtypes.MemberIdMemberUserId{Value: user},
			})
		var conflict *idtypes.ConflictException
		require.ErrorAs(t, err, &conflict)
		assert.Equal(t, []string{user}, f.memberUsers(t, group))
	})

	t.Run("assignment", func(t *testing.T) {
		f.Assign(t, acct, ps, ssotypes.PrincipalTypeUser, user)
		out, err := f.SSOAdmin.CreateAccountAssignment(t.Context(),
			&ssoadmin.CreateAccountAssignmentInput{
				InstanceArn:      aws.String(f.InstanceARN),
				PermissionSetArn: aws.String(ps),
				PrincipalType:    ssotypes.PrincipalTypeUser,
				PrincipalId:      aws.String(user),
				TargetType:       ssotypes.TargetTypeAwsAccount,
				TargetId:         aws.String(acct),
			})
		require.NoError(t, err)
		assert.Equal(t, []string{"USER " + user}, f.assignments(t, acct, ps))

		status, err := f.SSOAdmin.DescribeAccountAssignmentCreationStatus(t.Context(),
			&ssoadmin.DescribeAccountAssignmentCreationStatusInput{
				InstanceArn: aws.String(f.InstanceARN),
				AccountAssignmentCreationRequestId: out.AccountAssignmentCreationStatus.
					RequestId,
			})
		require.NoError(t, err)
		assert.Equal(t, ssotypes.StatusValuesSucceeded,
			status.AccountAssignmentCreationStatus.Status)
	})
}

func TestLauncherAssignmentsForPrincipalIncludeGroups(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)
	user, stranger := f.CreateUser(t, "u"), f.CreateUser(t, "stranger")
	group := f.CreateGroup(t, "g")
	f.AddMember(t, group, user)
	ps := f.CreatePermissionSet(t, "P")
	direct, viaGroup := f.CreateAccount(t, "direct"), f.CreateAccount(t, "via-group")
	f.Assign(t, direct, ps, ssotypes.PrincipalTypeUser, user)
	f.Assign(t, viaGroup, ps, ssotypes.PrincipalTypeGroup, group)
	f.Assign(t, direct, ps, ssotypes.PrincipalTypeUser, stranger)

	tests := []struct {
		name    string
		ptype   ssotypes.PrincipalType
		id      string
		account string
		want    []string
	}{
		{name: "user", ptype: ssotypes.PrincipalTypeUser, id: user,
			want: []string{direct + " USER " + user, viaGroup + " GROUP " + group}},
		{name: "user filtered", ptype: ssotypes.PrincipalTypeUser, id: user,
			account: viaGroup, want: []string{viaGroup + " GROUP " + group}},
		{name: "group", ptype: ssotypes.PrincipalTypeGroup, id: group,
			want: []string{viaGroup + " GROUP " + group}},
		{name: "other user", ptype: ssotypes.PrincipalTypeUser, id: stranger,
			want: []string{direct + " USER " + stranger}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &ssoadmin.ListAccountAssignmentsForPrincipalInput{
				InstanceArn:   aws.String(f.InstanceARN),
				PrincipalType: tt.ptype,
				PrincipalId:   aws.String(tt.id),
			}
			if tt.account != "" {
				in.Filter = &ssotypes.ListAccountAssignmentsFilter{
					AccountId: aws.String(tt.account),
				}
			}
			out, err := f.SSOAdmin.ListAccountAssignmentsForPrincipal(t.Context(), in)
			require.NoError(t, err)

			var got []string
			for _, a := range out.AccountAssignments {
				got = append(got, aws.ToString(a.AccountId)+" "+string(a.PrincipalType)+" "+
					aws.ToString(a.PrincipalId))
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

func TestLauncherPermissionSetReads(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)

	// Created without SessionDuration: AWS defaults it to "PT1H".
	created, err := f.SSOAdmin.CreatePermissionSet(t.Context(), &ssoadmin.CreatePermissionSetInput{
		InstanceArn: aws.String(f.InstanceARN),
		Name:        aws.String("NoDuration"),
	})
	require.NoError(t, err)
	ps := aws.ToString(created.PermissionSet.PermissionSetArn)

	desc, err := f.SSOAdmin.DescribePermissionSet(t.Context(), &ssoadmin.DescribePermissionSetInput{
		InstanceArn:      aws.String(f.InstanceARN),
		PermissionSetArn: aws.String(ps),
	})
	require.NoError(t, err)
	assert.Equal(t, "PT1H", aws.ToString(desc.PermissionSet.SessionDuration))

	boundaryIn := &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{
		InstanceArn:      aws.String(f.InstanceARN),
		PermissionSetArn: aws.String(ps),
	}
	_, err = f.SSOAdmin.GetPermissionsBoundaryForPermissionSet(t.Context(), boundaryIn)
	var notFound *ssotypes.ResourceNotFoundException
	require.ErrorAs(t, err, &notFound, "boundary before one is set")

	f.PutPermissionsBoundary(t, ps, ssotypes.PermissionsBoundary{
		CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{
			Name: aws.String("Boundary"),
		},
	})
	boundary, err := f.SSOAdmin.GetPermissionsBoundaryForPermissionSet(t.Context(), boundaryIn)
	require.NoError(t, err)
	ref := boundary.PermissionsBoundary.CustomerManagedPolicyReference
	require.NotNil(t, ref)
	assert.Equal(t, "Boundary", aws.ToString(ref.Name))
	assert.Equal(t, "/", aws.ToString(ref.Path))

	f.AttachManagedPolicy(t, ps, "arn:aws:iam::aws:policy/ReadOnlyAccess")
	f.AttachCustomerManagedPolicy(t, ps, "Custom", "/team/")
	f.PutInlinePolicy(t, ps, `{"Version":"2012-10-17","Statement":[]}`)

	managed, err := f.SSOAdmin.ListManagedPoliciesInPermissionSet(t.Context(),
		&ssoadmin.ListManagedPoliciesInPermissionSetInput{
			InstanceArn: aws.String(f.InstanceARN), PermissionSetArn: aws.String(ps),
		})
	require.NoError(t, err)
	require.Len(t, managed.AttachedManagedPolicies, 1)
	assert.Equal(t, "ReadOnlyAccess", aws.ToString(managed.AttachedManagedPolicies[0].Name))

	customer, err := f.SSOAdmin.ListCustomerManagedPolicyReferencesInPermissionSet(t.Context(),
		&ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput{
			InstanceArn: aws.String(f.InstanceARN), PermissionSetArn: aws.String(ps),
		})
	require.NoError(t, err)
	require.Len(t, customer.CustomerManagedPolicyReferences, 1)
	assert.Equal(t, "/team/", aws.ToString(customer.CustomerManagedPolicyReferences[0].Path))

	inline, err := f.SSOAdmin.GetInlinePolicyForPermissionSet(t.Context(),
		&ssoadmin.GetInlinePolicyForPermissionSetInput{
			InstanceArn: aws.String(f.InstanceARN), PermissionSetArn: aws.String(ps),
		})
	require.NoError(t, err)
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[]}`, aws.ToString(inline.InlinePolicy))
}

func TestLauncherIdentityStoreReads(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)
	user := f.CreateUser(t, "reader")
	group := f.CreateGroup(t, "readers")

	id, err := f.IdentityStore.GetUserId(t.Context(), &identitystore.GetUserIdInput{
		IdentityStoreId: aws.String(f.IdentityStoreID),
		AlternateIdentifier: &idtypes.AlternateIdentifierMemberUniqueAttribute{
			Value: idtypes.UniqueAttribute{
				AttributePath:  aws.String("userName"),
				AttributeValue: document.NewLazyDocument("reader"),
			},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, user, aws.ToString(id.UserId))

	u, err := f.IdentityStore.DescribeUser(t.Context(), &identitystore.DescribeUserInput{
		IdentityStoreId: aws.String(f.IdentityStoreID), UserId: aws.String(user),
	})
	require.NoError(t, err)
	assert.Equal(t, "reader", aws.ToString(u.UserName))

	g, err := f.IdentityStore.DescribeGroup(t.Context(), &identitystore.DescribeGroupInput{
		IdentityStoreId: aws.String(f.IdentityStoreID), GroupId: aws.String(group),
	})
	require.NoError(t, err)
	assert.Equal(t, "readers", aws.ToString(g.DisplayName))
}

func TestLauncherRejectsUnknownIDs(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)

	_, err := f.IdentityStore.ListUsers(t.Context(), &identitystore.ListUsersInput{
		IdentityStoreId: aws.String("d-0000000000"),
	})
	var storeNotFound *idtypes.ResourceNotFoundException
	require.ErrorAs(t, err, &storeNotFound, "unknown identity store")

	_, err = f.SSOAdmin.ListPermissionSets(t.Context(), &ssoadmin.ListPermissionSetsInput{
		InstanceArn: aws.String("arn:aws:sso:::instance/ssoins-0000000000000000"),
	})
	var instanceNotFound *ssotypes.ResourceNotFoundException
	require.ErrorAs(t, err, &instanceNotFound, "unknown instance")
}

func TestLauncherMaxResultsRanges(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)

	tests := []struct {
		name     string
		call     func() error
		wantCode string
	}{
		{
			name: "identity store above 100",
			call: func() error {
				_, err := f.IdentityStore.ListUsers(t.Context(), &identitystore.ListUsersInput{
					IdentityStoreId: aws.String(f.IdentityStoreID), MaxResults: aws.Int32(101),
				})
				return err
			},
			wantCode: "ValidationException",
		},
		{
			name: "sso admin below 1",
			call: func() error {
				in := &ssoadmin.ListPermissionSetsInput{
					InstanceArn: aws.String(f.InstanceARN), MaxResults: aws.Int32(0),
				}
				_, err := f.SSOAdmin.ListPermissionSets(t.Context(), in)
				return err
			},
			wantCode: "ValidationException",
		},
		{
			name: "organizations above 20",
			call: func() error {
				in := &organizations.ListAccountsInput{MaxResults: aws.Int32(21)}
				_, err := f.Organizations.ListAccounts(t.Context(), in)
				return err
			},
			wantCode: "InvalidInputException",
		},
		{
			name: "in range",
			call: func() error {
				in := &organizations.ListAccountsInput{MaxResults: aws.Int32(20)}
				_, err := f.Organizations.ListAccounts(t.Context(), in)
				return err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if tt.wantCode == "" {
				require.NoError(t, err)
				return
			}
			var apiErr smithy.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantCode, apiErr.ErrorCode())
		})
	}
}

func TestLauncherOrganizations(t *testing.T) {
	t.Parallel()
	cfg := Config(t)
	org := NewClients(cfg).Organizations

	_, err := org.ListAccounts(t.Context(), &organizations.ListAccountsInput{})
	var notInUse *orgtypes.AWSOrganizationsNotInUseException
	require.ErrorAs(t, err, &notInUse, "list accounts before the organisation exists")
	_, err = org.DescribeAccount(t.Context(), &organizations.DescribeAccountInput{
		AccountId: aws.String("111111111111"),
	})
	require.ErrorAs(t, err, &notInUse, "describe account before the organisation exists")

	instanceARN, storeID := Seed(t, cfg)
	f := &Fixture{Clients: NewClients(cfg), Config: cfg, AccountID: AccountID(t, cfg),
		InstanceARN: instanceARN, IdentityStoreID: storeID}
	want := []string{f.AccountID}
	for i := range 24 {
		want = append(want, f.CreateAccount(t, fmt.Sprintf("member-%02d", i)))
	}

	first, err := org.ListAccounts(t.Context(), &organizations.ListAccountsInput{})
	require.NoError(t, err)
	assert.Len(t, first.Accounts, 20, "default page size")
	assert.NotNil(t, first.NextToken)

	var got []string
	pages := organizations.NewListAccountsPaginator(org, &organizations.ListAccountsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(t.Context())
		require.NoError(t, err)
		for _, a := range page.Accounts {
			got = append(got, aws.ToString(a.Id))
		}
	}
	assert.ElementsMatch(t, want, got)

	desc, err := org.DescribeAccount(t.Context(), &organizations.DescribeAccountInput{
		AccountId: aws.String(want[1]),
	})
	require.NoError(t, err)
	assert.Equal(t, orgtypes.AccountStateActive, desc.Account.State)
}

// memberUsers lists the user ids of a group's memberships, sorted.
func (f *Fixture) memberUsers(t *testing.T, groupID string) []string {
	t.Helper()

	out, err := f.IdentityStore.ListGroupMemberships(t.Context(),
		&identitystore.ListGroupMembershipsInput{
			IdentityStoreId: aws.String(f.IdentityStoreID),
			GroupId:         aws.String(groupID),
		})
	require.NoError(t, err)

	var users []string
	for _, m := range out.GroupMemberships {
		member, ok := m.MemberId.(*idtypes.MemberIdMemberUserId)
		require.True(t, ok, "member id type %T", m.MemberId)
		users = append(users, member.Value)
	}
	sort.Strings(users)
	return users
}

// assignments lists the principals assigned the permission set on the
// account, as "TYPE id".
func (f *Fixture) assignments(t *testing.T, accountID, permissionSetARN string) []string {
	t.Helper()

	out, err := f.SSOAdmin.ListAccountAssignments(t.Context(),
		&ssoadmin.ListAccountAssignmentsInput{
			InstanceArn:      aws.String(f.InstanceARN),
			AccountId:        aws.String(accountID),
			PermissionSetArn: aws.String(permissionSetARN),
		})
	require.NoError(t, err)

	var got []string
	for _, a := range out.AccountAssignments {
		got = append(got, string(a.PrincipalType)+" "+aws.ToString(a.PrincipalId))
	}
	return got
}

func TestLauncherPermissionSetTags(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)
	ctx := t.Context()
	ps := f.CreatePermissionSet(t, "Tagged")

	_, err := f.SSOAdmin.TagResource(ctx, &ssoadmin.TagResourceInput{
		InstanceArn: aws.String(f.InstanceARN), ResourceArn: aws.String(ps),
		Tags: []ssotypes.Tag{{Key: aws.String("team"), Value: aws.String("platform")}},
	})
	require.NoError(t, err)
	out, err := f.SSOAdmin.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{
		InstanceArn: aws.String(f.InstanceARN), ResourceArn: aws.String(ps),
	})
	require.NoError(t, err)
	require.Len(t, out.Tags, 1)
	assert.Equal(t, "team", aws.ToString(out.Tags[0].Key))
	assert.Equal(t, "platform", aws.ToString(out.Tags[0].Value))
}

func TestLauncherGetGroupMembershipID(t *testing.T) {
	t.Parallel()
	f := NewFixture(t)
	ctx := t.Context()
	user, other := f.CreateUser(t, "ada"), f.CreateUser(t, "bob")
	group := f.CreateGroup(t, "ops")
	membership := f.AddMember(t, group, user)

	out, err := f.IdentityStore.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{
		IdentityStoreId: aws.String(f.IdentityStoreID), GroupId: aws.String(group),
		MemberId: &idtypes.MemberIdMemberUserId{Value: user},
	})
	require.NoError(t, err)
	assert.Equal(t, membership, aws.ToString(out.MembershipId))

	_, err = f.IdentityStore.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{
		IdentityStoreId: aws.String(f.IdentityStoreID), GroupId: aws.String(group),
		MemberId: &idtypes.MemberIdMemberUserId{Value: other},
	})
	var nf *idtypes.ResourceNotFoundException
	assert.ErrorAs(t, err, &nf)
}
