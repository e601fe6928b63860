package review_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

// TestCollectReportsProgress collects the demo organisation under each
// plan and checks the progress reports: never concurrent, counters that
// only grow, and a last report that accounts for the whole snapshot.
func TestCollectReportsProgress(t *testing.T) {
	plans := []review.Plan{review.PlanPerPermissionSet, review.PlanPerAccount,
		review.PlanCrossProduct, review.PlanPerPrincipal}
	for _, plan := range plans {
		t.Run(string(plan), func(t *testing.T) {
			org := awsidctest.Demo()
			var (
				inside  atomic.Int32 // reports under way
				overlap atomic.Bool
				mu      sync.Mutex
				reports []review.Progress
			)
			progress := func(p review.Progress) {
				if inside.Add(1) > 1 {
					overlap.Store(true)
				}
				runtime.Gosched() // give another report the chance to overlap
				mu.Lock()
				reports = append(reports, p)
				mu.Unlock()
				inside.Add(-1)
			}

			snap, err := review.Collect(context.Background(),
				identitycenter.New(org.IdentityStore(), org.IdentityStoreID()),
				permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN()),
				review.Options{Plan: plan, Progress: progress})
			require.NoError(t, err)
			require.NotEmpty(t, reports)
			assert.False(t, overlap.Load(), "reports come one at a time")

			for i := 1; i < len(reports); i++ {
				prev, cur := reports[i-1], reports[i]
				for _, c := range []struct {
					name      string
					prev, cur int
				}{
					{"users", prev.Users, cur.Users},
					{"groups", prev.Groups, cur.Groups},
					{"memberships", prev.Memberships, cur.Memberships},
					{"accounts", prev.Accounts, cur.Accounts},
					{"permission sets", prev.PermissionSets, cur.PermissionSets},
					{"assignments", prev.Assignments, cur.Assignments},
					{"groups listed", prev.GroupsListed, cur.GroupsListed},
					{"pairs listed", prev.PairsListed, cur.PairsListed},
					{"principals listed", prev.PrincipalsListed, cur.PrincipalsListed},
				} {
					assert.GreaterOrEqual(t, c.cur, c.prev, "%s in report %d", c.name, i)
				}
			}

			last := reports[len(reports)-1]
			want := snap.Counts()
			assert.Equal(t, plan, last.Plan)
			assert.Equal(t, want.Users, last.Users, "users")
			assert.Equal(t, want.Groups, last.Groups, "groups")
			assert.Equal(t, want.Groups, last.GroupsListed, "groups listed")
			assert.Equal(t, want.Memberships, last.Memberships, "memberships")
			assert.Equal(t, want.Accounts, last.Accounts, "accounts")
			assert.Equal(t, want.PermissionSets, last.PermissionSets, "permission sets")
			if plan == review.PlanPerPrincipal {
				assert.Equal(t, want.Users+want.Groups, last.PrincipalsListed)
			} else {
				assert.Equal(t, last.Pairs, last.PairsListed, "every pair listed")
				assert.Positive(t, last.Pairs)
				assert.Equal(t, want.Assignments, last.Assignments, "assignments")
			}
		})
	}
}
