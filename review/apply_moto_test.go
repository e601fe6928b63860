package review

import (
	"bytes"
	"testing"

	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/mototest"
	"github.com/awsidc/awsidc/permissions"
)

// TestApplyAgainstMoto revokes a direct assignment, revokes access through
// a group under each policy, and deprovisions a user through the Identity
// Store, on moto. moto finishes assignment operations at once, so the
// asynchronous paths are tested on the fake only.
func TestApplyAgainstMoto(t *testing.T) {
	tests := []struct {
		policy  GroupRevoke
		unmet   int  // decisions still in effect afterwards
		bobKeep bool // bob, in the same group, keeps the access
	}{
		{GroupRevokeRefuse, 1, true},
		{GroupRevokeMembership, 0, true},
		{GroupRevokeAssignment, 0, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			f := mototest.NewFixture(t)
			account := f.CreateAccount(t, "prod")
			admin := f.CreatePermissionSet(t, "Admin")
			ann, bob, dan := f.CreateUser(t, "ann"), f.CreateUser(t, "bob"),
				f.CreateUser(t, "dan")
			ops := f.CreateGroup(t, "Ops")
			f.AddMember(t, ops, ann)
			f.AddMember(t, ops, bob)
			f.Assign(t, account, admin, ssotypes.PrincipalTypeUser, dan)
			f.Assign(t, account, admin, ssotypes.PrincipalTypeUser, ann)
			f.Assign(t, account, admin, ssotypes.PrincipalTypeGroup, ops)
			gone := f.CreateUser(t, "gone")
			f.Assign(t, account, admin, ssotypes.PrincipalTypeUser, gone)

			dir := identitycenter.New(f.IdentityStore, f.IdentityStoreID)
			perms := permissions.New(f.SSOAdmin, f.Organizations, f.InstanceARN)
			snap := func() *Snapshot {
				s, err := Collect(t.Context(), dir, perms, Options{InstanceARN: f.InstanceARN,
					IdentityStoreID: f.IdentityStoreID})
				require.NoError(t, err)
				return s
			}
			s := snap()
			d, err := ReadDecisions(bytes.NewReader(decide(t, template(t, s, FormatCSV),
				decideKeys(map[[3]string]Decision{
					{"dan", account, "Admin"}:  DecisionRevoke,
					{"ann", account, "Admin"}:  DecisionRevoke,
					{"gone", account, "Admin"}: DecisionDeprovision,
				}))))
			require.NoError(t, err)
			plan, err := NewActionPlan(s, d, ActionOptions{GroupRevoke: tt.policy})
			require.NoError(t, err)

			_, j := newMemJournal(t, f.InstanceARN)
			w := Writers{Assignments: perms,
				Directory: identitycenter.NewWriter(f.IdentityStore, f.IdentityStoreID)}
			outs, err := Apply(t.Context(), plan, w, j, ApplyOptions{ConfirmIrreversible: true})
			require.NoError(t, err)
			for _, o := range outs {
				assert.Equal(t, OutcomeDone, o.Kind, "%s: %s", o.Action.ID, o.Reason)
			}

			fresh := snap()
			assert.Len(t, Verify(plan, fresh), tt.unmet)
			has := map[Key]bool{}
			for a := range fresh.Access(Filter{}) {
				has[a.Key()] = true
			}
			assert.False(t, has[Key{dan, account, admin}])
			assert.Equal(t, tt.bobKeep, has[Key{bob, account, admin}])

			// Applying the same decisions again changes nothing.
			again, err := NewActionPlan(fresh, d, ActionOptions{GroupRevoke: tt.policy})
			require.NoError(t, err)
			for _, pd := range again.Decisions {
				if pd.UserName != "ann" || tt.policy != GroupRevokeRefuse {
					assert.Equal(t, StatusAlreadyDone, pd.Status, pd.UserName)
				}
			}
		})
	}
}
