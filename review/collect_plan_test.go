package review_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

// minimalPolicy is the least a review is promised to work under.
var minimalPolicy = []string{
	"identitystore:ListUsers", "identitystore:ListGroups", "identitystore:ListGroupMemberships",
	"identitystore:DescribeUser", "identitystore:DescribeGroup",
	"identitystore:GetGroupMembershipId", "identitystore:CreateUser", "identitystore:DeleteUser",
	"organizations:ListAccounts", "organizations:DescribeAccount",
	"sso:ListInstances", "sso:DescribeInstance", "sso:ListPermissionSets",
	"sso:DescribePermissionSet", "sso:ListAccountAssignments",
	"sso:ListAccountsForProvisionedPermissionSet", "sso:ListPermissionSetsProvisionedToAccount",
	"sso:CreateAccountAssignment", "sso:DeleteAccountAssignment",
}

func without(list []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(a string) bool {
		return slices.Contains(drop, a)
	})
}

// recorder fails a test when one call (action and input, page token
// included) is made twice.
type recorder struct {
	mu   sync.Mutex
	seen map[string]int
}

func (r *recorder) note(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen[key]++
}

func (r *recorder) repeated() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for k, n := range r.seen {
		if n > 1 {
			out = append(out, k)
		}
	}
	return out
}

type recordingSSO struct {
	*awsidctest.SSOAdmin
	r *recorder
}

func (s recordingSSO) DescribePermissionSet(ctx context.Context,
	in *ssoadmin.DescribePermissionSetInput,
	o ...func(*ssoadmin.Options)) (*ssoadmin.DescribePermissionSetOutput, error) {
	s.r.note("describe " + aws.ToString(in.PermissionSetArn))
	return s.SSOAdmin.DescribePermissionSet(ctx, in, o...)
}

func (s recordingSSO) ListAccountsForProvisionedPermissionSet(ctx context.Context,
	in *ssoadmin.ListAccountsForProvisionedPermissionSetInput, o ...func(*ssoadmin.Options),
) (*ssoadmin.ListAccountsForProvisionedPermissionSetOutput, error) {
	s.r.note("accounts " + aws.ToString(in.PermissionSetArn) + " " + aws.ToString(in.NextToken))
	return s.SSOAdmin.ListAccountsForProvisionedPermissionSet(ctx, in, o...)
}

func (s recordingSSO) ListPermissionSetsProvisionedToAccount(ctx context.Context,
	in *ssoadmin.ListPermissionSetsProvisionedToAccountInput, o ...func(*ssoadmin.Options),
) (*ssoadmin.ListPermissionSetsProvisionedToAccountOutput, error) {
	s.r.note("sets " + aws.ToString(in.AccountId) + " " + aws.ToString(in.NextToken))
	return s.SSOAdmin.ListPermissionSetsProvisionedToAccount(ctx, in, o...)
}

func (s recordingSSO) ListAccountAssignments(ctx context.Context,
	in *ssoadmin.ListAccountAssignmentsInput, o ...func(*ssoadmin.Options),
) (*ssoadmin.ListAccountAssignmentsOutput, error) {
	s.r.note("pair " + aws.ToString(in.AccountId) + " " + aws.ToString(in.PermissionSetArn) +
		" " + aws.ToString(in.NextToken))
	return s.SSOAdmin.ListAccountAssignments(ctx, in, o...)
}

func (s recordingSSO) ListAccountAssignmentsForPrincipal(ctx context.Context,
	in *ssoadmin.ListAccountAssignmentsForPrincipalInput, o ...func(*ssoadmin.Options),
) (*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error) {
	s.r.note("principal " + aws.ToString(in.PrincipalId) + " " + aws.ToString(in.NextToken))
	return s.SSOAdmin.ListAccountAssignmentsForPrincipal(ctx, in, o...)
}

type recordingStore struct {
	*awsidctest.IdentityStore
	r *recorder
}

func (s recordingStore) ListGroupMemberships(ctx context.Context,
	in *identitystore.ListGroupMembershipsInput, o ...func(*identitystore.Options),
) (*identitystore.ListGroupMembershipsOutput, error) {
	s.r.note("members " + aws.ToString(in.GroupId) + " " + aws.ToString(in.NextToken))
	return s.IdentityStore.ListGroupMemberships(ctx, in, o...)
}

// planOrg is a small organisation with several pages per group, where
// listing per permission set is cheapest.
var planOrg = awsidctest.ReferenceShape{Users: 250, Groups: 3, Memberships: 450,
	Accounts: 30, PermissionSets: 7, Pairs: 150, Assignments: 300}

// principalOrg has more pairs than users and groups: listing per principal
// is cheapest.
var principalOrg = awsidctest.ReferenceShape{Users: 20, Groups: 5, Memberships: 40,
	Accounts: 30, PermissionSets: 10, Pairs: 100, Assignments: 150}

// smallOrg is cheapest per permission set, and every principal's
// assignments fit one page, so that every plan's estimate is exact.
var smallOrg = awsidctest.ReferenceShape{Users: 60, Groups: 10, Memberships: 120,
	Accounts: 10, PermissionSets: 10, Pairs: 50, Assignments: 100}

func shapeOf(r awsidctest.ReferenceShape) review.Shape {
	groupRows := 0
	for n := range r.Assignments {
		if (n/r.Pairs)%2 == 0 {
			groupRows++
		}
	}
	return review.Shape{Users: r.Users, Groups: r.Groups, Memberships: r.Memberships,
		Accounts: r.Accounts + 1, PermissionSets: r.PermissionSets, Pairs: r.Pairs,
		Assignments: r.Assignments, GroupAssignments: groupRows}
}

type run struct {
	org   *awsidctest.Org
	rec   *recorder
	snap  *review.Snapshot
	plan  review.Plan
	calls map[string]int
}

var fixedNow = func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }

func collect(t *testing.T, shape awsidctest.ReferenceShape, opts review.Options,
	allow ...string) run {
	t.Helper()
	o := awsidctest.NewOrg()
	require.NoError(t, awsidctest.SeedReference(o, shape))
	if allow != nil {
		o.AddInterceptor(awsidctest.AllowOnly(allow...))
	}
	rec := &recorder{seen: map[string]int{}}
	dir := identitycenter.New(recordingStore{o.IdentityStore(), rec}, o.IdentityStoreID())
	perms := permissions.New(recordingSSO{o.SSOAdmin(), rec}, o.Organizations(), o.InstanceARN())

	var mu sync.Mutex
	var plan review.Plan
	opts.Now = fixedNow
	opts.Progress = func(p review.Progress) {
		mu.Lock()
		defer mu.Unlock()
		plan = p.Plan
	}
	snap, err := review.Collect(t.Context(), dir, perms, opts)
	require.NoError(t, err)
	assert.Empty(t, rec.repeated(), "no call is made twice")
	return run{org: o, rec: rec, snap: snap, plan: plan, calls: o.Calls()}
}

func TestCollectCallsAsEstimated(t *testing.T) {
	tests := []struct {
		name     string
		shape    awsidctest.ReferenceShape
		plan     review.Plan
		wantPlan review.Plan
	}{
		{"auto keeps per permission set", planOrg, review.PlanAuto, review.PlanPerPermissionSet},
		{"auto switches to per principal", principalOrg, review.PlanAuto, review.PlanPerPrincipal},
		{"forced per permission set", principalOrg, review.PlanPerPermissionSet,
			review.PlanPerPermissionSet},
		{"forced per account", planOrg, review.PlanPerAccount, review.PlanPerAccount},
		{"forced cross product", planOrg, review.PlanCrossProduct, review.PlanCrossProduct},
		{"forced per principal", principalOrg, review.PlanPerPrincipal, review.PlanPerPrincipal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := collect(t, tt.shape, review.Options{Plan: tt.plan})
			assert.Equal(t, tt.wantPlan, r.plan)
			want := review.EstimateCalls(tt.plan, shapeOf(tt.shape))
			assert.Equal(t, tt.wantPlan, want.Plan)
			assert.Equal(t, want.Calls, r.calls, "calls made, by action")
			assert.Len(t, r.snap.Assignments, tt.shape.Assignments)
			assert.Len(t, r.snap.Memberships, tt.shape.Memberships)
			assert.True(t, r.snap.Complete())
		})
	}
}

func TestEstimatesOrderPlans(t *testing.T) {
	tests := []struct {
		name  string
		shape review.Shape
		want  review.Plan
	}{
		{"reference organisation", shapeOf(awsidctest.ReferenceOrg), review.PlanPerPermissionSet},
		{"every set on every account", review.Shape{Users: 50_000, Groups: 5_000,
			Memberships: 500_000, Accounts: 1_001, PermissionSets: 200, Pairs: 200_000,
			Assignments: 200_000, GroupAssignments: 100_000}, review.PlanPerPrincipal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			best, ok := review.Cheapest(tt.shape, nil)
			require.True(t, ok)
			assert.Equal(t, tt.want, best.Plan)
			assert.Equal(t, tt.want, review.EstimateCalls(review.PlanAuto, tt.shape).Plan)
			for _, e := range review.Estimates(tt.shape) {
				assert.LessOrEqual(t, best.SSOAdmin(), e.SSOAdmin(), "%s vs %s", best.Plan, e.Plan)
			}
		})
	}

	// The per-principal plan is never chosen where the policy refuses it.
	sh := tests[1].shape
	best, ok := review.Cheapest(sh, func(a string) bool {
		return a != "sso:ListAccountAssignmentsForPrincipal"
	})
	require.True(t, ok)
	// With every set on every account, discovery buys nothing: listing every
	// pair is cheapest.
	assert.Equal(t, review.PlanCrossProduct, best.Plan)
	assert.Greater(t, review.EstimateCalls(review.PlanPerPermissionSet, sh).Bound(nil),
		best.Bound(nil))
}

func TestCollectFallsBackUnderMinimalPolicy(t *testing.T) {
	tests := []struct {
		name     string
		org      awsidctest.ReferenceShape
		allow    []string
		allowed  func(string) bool
		wantPlan review.Plan
		// denied are the actions whose single probing call was refused.
		denied []string
	}{
		{"minimal policy", planOrg, minimalPolicy, nil, review.PlanPerPermissionSet, nil},
		{"no provisioned accounts per set", planOrg,
			without(minimalPolicy, "sso:ListAccountsForProvisionedPermissionSet"), nil,
			review.PlanPerAccount, []string{"sso:ListAccountsForProvisionedPermissionSet"}},
		{"no provisioning reads", planOrg, without(minimalPolicy,
			"sso:ListAccountsForProvisionedPermissionSet",
			"sso:ListPermissionSetsProvisionedToAccount"), nil, review.PlanCrossProduct,
			[]string{"sso:ListAccountsForProvisionedPermissionSet",
				"sso:ListPermissionSetsProvisionedToAccount"}},
		{"preflight says what is denied", planOrg, without(minimalPolicy,
			"sso:ListAccountsForProvisionedPermissionSet"),
			func(a string) bool { return a != "sso:ListAccountsForProvisionedPermissionSet" },
			review.PlanPerAccount, nil},
		{"pairs denied, per principal allowed", smallOrg, append(without(minimalPolicy,
			"sso:ListAccountAssignments"), "sso:ListAccountAssignmentsForPrincipal"), nil,
			review.PlanPerPrincipal, []string{"sso:ListAccountAssignments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full := collect(t, tt.org, review.Options{Plan: review.PlanPerPermissionSet})
			require.True(t, full.snap.Complete())
			shape := shapeOf(tt.org)
			r := collect(t, tt.org, review.Options{Allowed: tt.allowed}, tt.allow...)
			assert.Equal(t, full.snap, r.snap, "the same snapshot as with every action allowed")
			assert.Equal(t, tt.wantPlan, r.plan)

			want := review.EstimateCalls(tt.wantPlan, shape).Calls
			if tt.wantPlan == review.PlanPerPrincipal {
				// It found the pairs before the pairs' listing was refused.
				want["sso:ListAccountsForProvisionedPermissionSet"] =
					review.EstimateCalls(review.PlanPerPermissionSet, shape).
						Calls["sso:ListAccountsForProvisionedPermissionSet"]
			}
			for _, a := range tt.denied {
				want[a]++
			}
			assert.Equal(t, want, r.calls)
		})
	}
}

func TestCollectRecordsWhatNoPlanCanRead(t *testing.T) {
	allow := without(minimalPolicy, "sso:ListAccountAssignments")
	r := collect(t, planOrg, review.Options{}, allow...)
	assert.False(t, r.snap.Complete())
	assert.Empty(t, r.snap.Assignments)
	assert.Equal(t, []review.Unread{
		{Action: "sso:ListAccountAssignments", Scope: "assignments"},
		{Action: "sso:ListAccountAssignmentsForPrincipal", Scope: "assignments"},
	}, r.snap.Unread)
	assert.Equal(t, 1, r.calls["sso:ListAccountAssignments"], "one probe, then no more")
	assert.Equal(t, 1, r.calls["sso:ListAccountAssignmentsForPrincipal"], "one probe")
	assert.Len(t, r.snap.Users, planOrg.Users, "the rest is still read")
}

func TestWorkersFillTheBucket(t *testing.T) {
	// Sized from rate × latency: a paced bucket at 1000/s with 2ms calls
	// needs 3 workers; none should be rejected for lack of workers, and the
	// run must still be complete and correct with one worker.
	for _, w := range []int{1, 0} {
		t.Run(fmt.Sprint("workers ", w), func(t *testing.T) {
			r := collect(t, planOrg, review.Options{Workers: w, Latency: 2 * time.Millisecond,
				Rate: func(string) float64 { return 1000 }})
			assert.Len(t, r.snap.Assignments, planOrg.Assignments)
		})
	}
}
