package awsidctest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
)

// assignmentFixture is an org with one account, one permission set, users
// and a group.
type assignmentFixture struct {
	o       *awsidctest.Org
	c       *awsidctest.SSOAdmin
	inst    *string
	account string
	set     string
	users   []string
	group   string
}

func newAssignmentFixture(t *testing.T, opts ...awsidctest.Option) *assignmentFixture {
	o := awsidctest.NewOrg(opts...)
	f := &assignmentFixture{
		o: o, c: o.SSOAdmin(), inst: str(o.InstanceARN()),
		account: mustAccount(t, o, "222222222222", "prod"),
		set:     mustSet(t, o, "ReadOnly"),
		users:   addUsers(t, o, 20),
		group:   mustGroup(t, o, "Team"),
	}
	return f
}

func (f *assignmentFixture) create(ptype ssotypes.PrincipalType, id string) (
	*ssoadmin.CreateAccountAssignmentOutput, error,
) {
	return f.c.CreateAccountAssignment(context.Background(), &ssoadmin.CreateAccountAssignmentInput{
		InstanceArn: f.inst, TargetId: str(f.account), TargetType: ssotypes.TargetTypeAwsAccount,
		PermissionSetArn: str(f.set), PrincipalType: ptype, PrincipalId: str(id),
	})
}

func (f *assignmentFixture) list(t *testing.T) []ssotypes.AccountAssignment {
	t.Helper()
	p := ssoadmin.NewListAccountAssignmentsPaginator(f.c, &ssoadmin.ListAccountAssignmentsInput{
		InstanceArn: f.inst, AccountId: str(f.account), PermissionSetArn: str(f.set),
	})
	var out []ssotypes.AccountAssignment
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		out = append(out, page.AccountAssignments...)
	}
	return out
}

func TestListAccountAssignmentsChecksInput(t *testing.T) {
	f := newAssignmentFixture(t)
	otherSet := "arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000"
	tests := []struct {
		name  string
		in    ssoadmin.ListAccountAssignmentsInput
		check func(*testing.T, error)
	}{
		{"ok", ssoadmin.ListAccountAssignmentsInput{
			InstanceArn: f.inst, AccountId: str(f.account), PermissionSetArn: str(f.set),
		}, func(t *testing.T, err error) { require.NoError(t, err) }},
		{"no account", ssoadmin.ListAccountAssignmentsInput{
			InstanceArn: f.inst, PermissionSetArn: str(f.set),
		}, ssoValidation},
		{"no permission set", ssoadmin.ListAccountAssignmentsInput{InstanceArn: f.inst,
			AccountId: str(f.account)}, ssoValidation},
		{"unknown permission set", ssoadmin.ListAccountAssignmentsInput{InstanceArn: f.inst,
			AccountId: str(f.account), PermissionSetArn: str(otherSet)}, ssoNotFound},
		{"no instance", ssoadmin.ListAccountAssignmentsInput{AccountId: str(f.account),
			PermissionSetArn: str(f.set)}, ssoValidation},
		{"another instance", ssoadmin.ListAccountAssignmentsInput{
			InstanceArn: str("arn:aws:sso:::instance/ssoins-0000000000000000"),
			AccountId:   str(f.account), PermissionSetArn: str(f.set)}, ssoNotFound},
		{"MaxResults 101", ssoadmin.ListAccountAssignmentsInput{
			InstanceArn: f.inst, AccountId: str(f.account), PermissionSetArn: str(f.set),
			MaxResults: i32(101),
		}, ssoValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.c.ListAccountAssignments(context.Background(), &tt.in)
			tt.check(t, err)
		})
	}
}

func ssoValidation(t *testing.T, err error) { errorAs[*ssotypes.ValidationException](t, err) }
func ssoNotFound(t *testing.T, err error)   { errorAs[*ssotypes.ResourceNotFoundException](t, err) }

func TestCreateAccountAssignmentIsAsynchronous(t *testing.T) {
	f := newAssignmentFixture(t)
	ctx := context.Background()

	out, err := f.create(ssotypes.PrincipalTypeUser, f.users[0])
	require.NoError(t, err)
	st := out.AccountAssignmentCreationStatus
	assert.Equal(t, ssotypes.StatusValuesInProgress, st.Status)
	assert.Regexp(t, uuidPattern, *st.RequestId)
	assert.Len(t, f.list(t), 1, "the assignment is visible at once")

	describe := func() ssotypes.StatusValues {
		d, err := f.c.DescribeAccountAssignmentCreationStatus(ctx,
			&ssoadmin.DescribeAccountAssignmentCreationStatusInput{
				InstanceArn: f.inst, AccountAssignmentCreationRequestId: st.RequestId,
			})
		require.NoError(t, err)
		return d.AccountAssignmentCreationStatus.Status
	}
	assert.Equal(t, ssotypes.StatusValuesInProgress, describe())
	assert.Equal(t, ssotypes.StatusValuesSucceeded, describe())
	assert.Equal(t, ssotypes.StatusValuesSucceeded, describe())

	again, err := f.create(ssotypes.PrincipalTypeUser, f.users[0])
	require.NoError(t, err)
	assert.Equal(t, ssotypes.StatusValuesSucceeded, again.AccountAssignmentCreationStatus.Status)
	assert.Len(t, f.list(t), 1, "a repeated create adds no row")

	_, err = f.c.DescribeAccountAssignmentDeletionStatus(ctx,
		&ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
			InstanceArn: f.inst, AccountAssignmentDeletionRequestId: st.RequestId,
		})
	ssoNotFound(t, err)
}

func TestCreateAccountAssignmentChecksParts(t *testing.T) {
	f := newAssignmentFixture(t)
	missing := "1234567890-8a1c1cbe-2a2b-4c7f-9a31-6f0c1d2e3f40"
	tests := []struct {
		name   string
		change func(*ssoadmin.CreateAccountAssignmentInput)
		check  func(*testing.T, error)
	}{
		{"unknown user", func(in *ssoadmin.CreateAccountAssignmentInput) {
			in.PrincipalId = str(missing)
		}, ssoValidation},
		{"unknown group", func(in *ssoadmin.CreateAccountAssignmentInput) {
			in.PrincipalType, in.PrincipalId = ssotypes.PrincipalTypeGroup, str(missing)
		}, ssoValidation},
		{"account outside the organization", func(in *ssoadmin.CreateAccountAssignmentInput) {
			in.TargetId = str("999999999999")
		}, ssoValidation},
		{"unknown permission set", func(in *ssoadmin.CreateAccountAssignmentInput) {
			in.PermissionSetArn = str(
				"arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000")
		}, ssoNotFound},
		{"no target type", func(in *ssoadmin.CreateAccountAssignmentInput) {
			in.TargetType = ""
		}, ssoValidation},
		{"bad principal type", func(in *ssoadmin.CreateAccountAssignmentInput) {
			in.PrincipalType = "ROLE"
		}, ssoValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &ssoadmin.CreateAccountAssignmentInput{
				InstanceArn:      f.inst,
				TargetId:         str(f.account),
				TargetType:       ssotypes.TargetTypeAwsAccount,
				PermissionSetArn: str(f.set),
				PrincipalType:    ssotypes.PrincipalTypeUser,
				PrincipalId:      str(f.users[0]),
			}
			tt.change(in)
			_, err := f.c.CreateAccountAssignment(context.Background(), in)
			tt.check(t, err)
			assert.Empty(t, f.o.Assignments())
		})
	}
}

func TestOutstandingCreationQuota(t *testing.T) {
	f := newAssignmentFixture(t)
	ctx := context.Background()
	var first *string
	for i := range 15 {
		out, err := f.create(ssotypes.PrincipalTypeUser, f.users[i])
		require.NoError(t, err)
		if i == 0 {
			first = out.AccountAssignmentCreationStatus.RequestId
		}
	}

	_, err := f.create(ssotypes.PrincipalTypeUser, f.users[15])
	errorAs[*ssotypes.ServiceQuotaExceededException](t, err)

	in := &ssoadmin.DescribeAccountAssignmentCreationStatusInput{
		InstanceArn: f.inst, AccountAssignmentCreationRequestId: first,
	}
	for range 2 {
		_, err := f.c.DescribeAccountAssignmentCreationStatus(ctx, in)
		require.NoError(t, err)
	}
	_, err = f.create(ssotypes.PrincipalTypeUser, f.users[15])
	require.NoError(t, err, "a finished request frees a slot")

	f.o.SettleAssignments()
	list, err := f.c.ListAccountAssignmentCreationStatus(ctx,
		&ssoadmin.ListAccountAssignmentCreationStatusInput{
			InstanceArn: f.inst,
			Filter:      &ssotypes.OperationStatusFilter{Status: ssotypes.StatusValuesInProgress},
		})
	require.NoError(t, err)
	assert.Empty(t, list.AccountAssignmentsCreationStatus)
}

func TestListCreationStatusObservesRequests(t *testing.T) {
	f := newAssignmentFixture(t, awsidctest.WithPageLimit(2))
	ctx := context.Background()
	for i := range 3 {
		_, err := f.create(ssotypes.PrincipalTypeUser, f.users[i])
		require.NoError(t, err)
	}

	list := func(status ssotypes.StatusValues) []ssotypes.AccountAssignmentOperationStatusMetadata {
		p := ssoadmin.NewListAccountAssignmentCreationStatusPaginator(f.c,
			&ssoadmin.ListAccountAssignmentCreationStatusInput{
				InstanceArn: f.inst, Filter: &ssotypes.OperationStatusFilter{Status: status},
			})
		var out []ssotypes.AccountAssignmentOperationStatusMetadata
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			require.NoError(t, err)
			out = append(out, page.AccountAssignmentsCreationStatus...)
		}
		return out
	}
	assert.Len(t, list(ssotypes.StatusValuesInProgress), 3)
	assert.Len(t, list(ssotypes.StatusValuesSucceeded), 3, "the second read finishes them")
	assert.Empty(t, list(ssotypes.StatusValuesInProgress))
}

func TestAssignmentFailure(t *testing.T) {
	fail := func(op string, a awsidctest.Assignment) string {
		if op == "create" && a.PrincipalType == "GROUP" {
			return "Received a 409 status error: role quota exceeded"
		}
		return ""
	}
	f := newAssignmentFixture(t,
		awsidctest.WithAssignmentFailure(fail), awsidctest.WithCompletionPolls(0))
	ctx := context.Background()

	out, err := f.create(ssotypes.PrincipalTypeGroup, f.group)
	require.NoError(t, err)
	assert.Equal(t, ssotypes.StatusValuesInProgress, out.AccountAssignmentCreationStatus.Status)
	d, err := f.c.DescribeAccountAssignmentCreationStatus(ctx,
		&ssoadmin.DescribeAccountAssignmentCreationStatusInput{
			InstanceArn:                        f.inst,
			AccountAssignmentCreationRequestId: out.AccountAssignmentCreationStatus.RequestId,
		})
	require.NoError(t, err)
	assert.Equal(t, ssotypes.StatusValuesFailed, d.AccountAssignmentCreationStatus.Status)
	assert.Contains(t, *d.AccountAssignmentCreationStatus.FailureReason, "409")
	assert.Empty(t, f.list(t))
}

func TestDeleteAccountAssignment(t *testing.T) {
	f := newAssignmentFixture(t)
	ctx := context.Background()
	del := func(id string) (*ssoadmin.DeleteAccountAssignmentOutput, error) {
		return f.c.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{
			InstanceArn:      f.inst,
			TargetId:         str(f.account),
			TargetType:       ssotypes.TargetTypeAwsAccount,
			PermissionSetArn: str(f.set),
			PrincipalType:    ssotypes.PrincipalTypeUser,
			PrincipalId:      str(id),
		})
	}

	_, err := del(f.users[0])
	ssoNotFound(t, err)

	require.NoError(t, f.o.Assign(f.account, f.set, "USER", f.users[0]))
	require.NoError(t, f.o.Assign(f.account, f.set, "USER", f.users[1]))
	out, err := del(f.users[0])
	require.NoError(t, err)
	assert.Equal(t, ssotypes.StatusValuesInProgress, out.AccountAssignmentDeletionStatus.Status)
	assert.Len(t, f.list(t), 1)
	assert.Equal(t, []string{f.account}, f.provisionedAccounts(t), "one assignment is left")

	_, err = del(f.users[1])
	require.NoError(t, err)
	assert.Empty(t, f.list(t))
	assert.Empty(t, f.provisionedAccounts(t), "the last assignment took the set with it")

	d, err := f.c.DescribeAccountAssignmentDeletionStatus(ctx,
		&ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
			InstanceArn:                        f.inst,
			AccountAssignmentDeletionRequestId: out.AccountAssignmentDeletionStatus.RequestId,
		})
	require.NoError(t, err)
	assert.Equal(t, ssotypes.StatusValuesInProgress, d.AccountAssignmentDeletionStatus.Status)
}

func (f *assignmentFixture) provisionedAccounts(t *testing.T) []string {
	t.Helper()
	out, err := f.c.ListAccountsForProvisionedPermissionSet(context.Background(),
		&ssoadmin.ListAccountsForProvisionedPermissionSetInput{
			InstanceArn: f.inst, PermissionSetArn: str(f.set),
		})
	require.NoError(t, err)
	return out.AccountIds
}

func TestProvisioningFollowsAssignments(t *testing.T) {
	f := newAssignmentFixture(t)
	ctx := context.Background()
	assert.Empty(t, f.provisionedAccounts(t))

	_, err := f.create(ssotypes.PrincipalTypeGroup, f.group)
	require.NoError(t, err)
	assert.Equal(t, []string{f.account}, f.provisionedAccounts(t))

	toAccount := func(status ssotypes.ProvisioningStatus) []string {
		out, err := f.c.ListPermissionSetsProvisionedToAccount(ctx,
			&ssoadmin.ListPermissionSetsProvisionedToAccountInput{
				InstanceArn: f.inst, AccountId: str(f.account), ProvisioningStatus: status,
			})
		require.NoError(t, err)
		return out.PermissionSets
	}
	assert.Equal(t, []string{f.set}, toAccount(""))

	// Changing the set leaves the account with an outdated copy until it is
	// provisioned again.
	_, err = f.c.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{
		InstanceArn:      f.inst,
		PermissionSetArn: str(f.set),
		InlinePolicy:     str(`{"Version":"2012-10-17"}`),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{f.set},
		toAccount(ssotypes.ProvisioningStatusLatestPermissionSetNotProvisioned))
	assert.Empty(t, toAccount(ssotypes.ProvisioningStatusLatestPermissionSetProvisioned))

	_, err = f.c.ProvisionPermissionSet(ctx, &ssoadmin.ProvisionPermissionSetInput{
		InstanceArn: f.inst, PermissionSetArn: str(f.set),
		TargetType: ssotypes.ProvisionTargetTypeAllProvisionedAccounts,
	})
	require.NoError(t, err)
	assert.Equal(t, []string{f.set},
		toAccount(ssotypes.ProvisioningStatusLatestPermissionSetProvisioned))

	_, err = f.c.DeletePermissionSet(ctx,
		&ssoadmin.DeletePermissionSetInput{InstanceArn: f.inst, PermissionSetArn: str(f.set)})
	errorAs[*ssotypes.ConflictException](t, err)
}

func TestListAccountAssignmentsForPrincipalExpandsGroups(t *testing.T) {
	o := awsidctest.NewOrg(awsidctest.WithPageLimit(1))
	acct1, acct2 := mustAccount(t, o, "222222222222", "a"), mustAccount(t, o, "333333333333", "b")
	set := mustSet(t, o, "Admin")
	user := addUsers(t, o, 1)[0]
	g1, g2, g3 := mustGroup(t, o, "g1"), mustGroup(t, o, "g2"), mustGroup(t, o, "g3")
	for _, g := range []string{g1, g2} {
		_, err := o.AddMember(g, user)
		require.NoError(t, err)
	}
	require.NoError(t, o.Assign(acct1, set, "USER", user))
	require.NoError(t, o.Assign(acct1, set, "GROUP", g1))
	require.NoError(t, o.Assign(acct2, set, "GROUP", g1))
	require.NoError(t, o.Assign(acct1, set, "GROUP", g2))
	require.NoError(t, o.Assign(acct1, set, "GROUP", g3)) // not the user's group

	list := func(ptype ssotypes.PrincipalType, id, account string) []string {
		in := &ssoadmin.ListAccountAssignmentsForPrincipalInput{
			InstanceArn: str(o.InstanceARN()), PrincipalType: ptype, PrincipalId: str(id),
		}
		if account != "" {
			in.Filter = &ssotypes.ListAccountAssignmentsFilter{AccountId: str(account)}
		}
		p := ssoadmin.NewListAccountAssignmentsForPrincipalPaginator(o.SSOAdmin(), in)
		var out []string
		for p.HasMorePages() {
			page, err := p.NextPage(context.Background())
			require.NoError(t, err)
			for _, a := range page.AccountAssignments {
				out = append(out,
					fmt.Sprintf("%s %s %s", *a.AccountId, a.PrincipalType, *a.PrincipalId))
			}
		}
		return out
	}

	assert.Equal(t, []string{
		acct1 + " USER " + user,
		acct1 + " GROUP " + g1,
		acct2 + " GROUP " + g1,
		acct1 + " GROUP " + g2,
	}, list(ssotypes.PrincipalTypeUser, user, ""))
	assert.Equal(t, []string{acct2 + " GROUP " + g1}, list(ssotypes.PrincipalTypeUser, user, acct2))
	assert.Equal(t, []string{acct1 + " GROUP " + g3}, list(ssotypes.PrincipalTypeGroup, g3, ""))
}

func TestPermissionSetPolicies(t *testing.T) {
	o := awsidctest.NewOrg(awsidctest.WithPageLimit(1))
	c, inst := o.SSOAdmin(), str(o.InstanceARN())
	ctx := context.Background()

	created, err := c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{
		InstanceArn: inst,
		Name:        str("Ops"),
		Tags:        []ssotypes.Tag{{Key: str("team"), Value: str("ops")}},
	})
	require.NoError(t, err)
	ps := created.PermissionSet
	assert.Equal(t, "PT1H", *ps.SessionDuration)
	assert.NotNil(t, ps.CreatedDate)
	assert.Regexp(t, `^arn:aws:sso:::permissionSet/ssoins-[0-9a-f]{16}/ps-[0-9a-f]{16}$`,
		*ps.PermissionSetArn)
	arn := ps.PermissionSetArn

	_, err = c.CreatePermissionSet(ctx,
		&ssoadmin.CreatePermissionSetInput{InstanceArn: inst, Name: str("Ops")})
	errorAs[*ssotypes.ConflictException](t, err)
	_, err = c.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{
		InstanceArn: inst, Name: str("Long"), SessionDuration: str("PT13H"),
	})
	ssoValidation(t, err)

	policies := []string{
		"arn:aws:iam::aws:policy/ReadOnlyAccess",
		"arn:aws:iam::aws:policy/job-function/Billing",
	}
	for _, p := range policies {
		_, err = c.AttachManagedPolicyToPermissionSet(ctx,
			&ssoadmin.AttachManagedPolicyToPermissionSetInput{
				InstanceArn: inst, PermissionSetArn: arn, ManagedPolicyArn: str(p),
			})
		require.NoError(t, err)
	}
	_, err = c.AttachManagedPolicyToPermissionSet(ctx,
		&ssoadmin.AttachManagedPolicyToPermissionSetInput{
			InstanceArn: inst, PermissionSetArn: arn, ManagedPolicyArn: str(policies[0]),
		})
	errorAs[*ssotypes.ConflictException](t, err)

	p := ssoadmin.NewListManagedPoliciesInPermissionSetPaginator(c,
		&ssoadmin.ListManagedPoliciesInPermissionSetInput{
			InstanceArn: inst, PermissionSetArn: arn,
		})
	var names []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, m := range page.AttachedManagedPolicies {
			names = append(names, *m.Name)
		}
	}
	assert.Equal(t, []string{"ReadOnlyAccess", "Billing"}, names)

	inline, err := c.GetInlinePolicyForPermissionSet(ctx,
		&ssoadmin.GetInlinePolicyForPermissionSetInput{
			InstanceArn: inst, PermissionSetArn: arn,
		})
	require.NoError(t, err)
	assert.Equal(t, "", *inline.InlinePolicy)
	_, err = c.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{
		InstanceArn: inst, PermissionSetArn: arn, InlinePolicy: str("{not json"),
	})
	ssoValidation(t, err)

	_, err = c.GetPermissionsBoundaryForPermissionSet(ctx,
		&ssoadmin.GetPermissionsBoundaryForPermissionSetInput{
			InstanceArn: inst, PermissionSetArn: arn,
		})
	ssoNotFound(t, err)
	_, err = c.PutPermissionsBoundaryToPermissionSet(ctx,
		&ssoadmin.PutPermissionsBoundaryToPermissionSetInput{
			InstanceArn:      inst,
			PermissionSetArn: arn,
			PermissionsBoundary: &ssotypes.PermissionsBoundary{
				CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{
					Name: str("Boundary"),
				},
			},
		})
	require.NoError(t, err)
	b, err := c.GetPermissionsBoundaryForPermissionSet(ctx,
		&ssoadmin.GetPermissionsBoundaryForPermissionSetInput{
			InstanceArn: inst, PermissionSetArn: arn,
		})
	require.NoError(t, err)
	assert.Equal(t, "/", *b.PermissionsBoundary.CustomerManagedPolicyReference.Path)

	_, err = c.AttachCustomerManagedPolicyReferenceToPermissionSet(ctx,
		&ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
			InstanceArn: inst, PermissionSetArn: arn,
			CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{
				Name: str("Extra"), Path: str("/x/"),
			},
		})
	require.NoError(t, err)
	refs, err := c.ListCustomerManagedPolicyReferencesInPermissionSet(ctx,
		&ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput{
			InstanceArn: inst, PermissionSetArn: arn,
		})
	require.NoError(t, err)
	require.Len(t, refs.CustomerManagedPolicyReferences, 1)
	assert.Equal(t, "/x/", *refs.CustomerManagedPolicyReferences[0].Path)

	_, err = c.TagResource(ctx, &ssoadmin.TagResourceInput{
		InstanceArn: inst, ResourceArn: arn,
		Tags: []ssotypes.Tag{
			{Key: str("team"), Value: str("sre")},
			{Key: str("cost"), Value: str("42")},
		},
	})
	require.NoError(t, err)
	tags, err := c.ListTagsForResource(ctx,
		&ssoadmin.ListTagsForResourceInput{InstanceArn: inst, ResourceArn: arn})
	require.NoError(t, err)
	got := map[string]string{}
	for _, tg := range tags.Tags {
		got[*tg.Key] = *tg.Value
	}
	assert.Equal(t, map[string]string{"team": "sre", "cost": "42"}, got)

	sets, err := c.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{InstanceArn: inst})
	require.NoError(t, err)
	assert.Equal(t, []string{*arn}, sets.PermissionSets)
	_, err = c.DeletePermissionSet(ctx,
		&ssoadmin.DeletePermissionSetInput{InstanceArn: inst, PermissionSetArn: arn})
	require.NoError(t, err)
	_, err = c.DescribePermissionSet(ctx,
		&ssoadmin.DescribePermissionSetInput{InstanceArn: inst, PermissionSetArn: arn})
	ssoNotFound(t, err)
}

func TestInstances(t *testing.T) {
	o := awsidctest.NewOrg()
	ctx := context.Background()
	list, err := o.SSOAdmin().ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	require.NoError(t, err)
	require.Len(t, list.Instances, 1)
	assert.Equal(t, o.InstanceARN(), *list.Instances[0].InstanceArn)
	assert.Equal(t, o.IdentityStoreID(), *list.Instances[0].IdentityStoreId)
	assert.Regexp(t, `^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$`, o.InstanceARN())
	assert.Regexp(t, `^d-\d{10}$`, o.IdentityStoreID())

	d, err := o.SSOAdmin().DescribeInstance(ctx,
		&ssoadmin.DescribeInstanceInput{InstanceArn: str(o.InstanceARN())})
	require.NoError(t, err)
	assert.Equal(t, ssotypes.InstanceStatusActive, d.Status)
}
