package review

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
)

// planFor plans decisions on smallSnapshot's rows under opts.
func planFor(t *testing.T, s *Snapshot, opts ActionOptions,
	want map[[3]string]Decision) *ActionPlan {
	t.Helper()
	d, err := ReadDecisions(bytes.NewReader(decide(t, template(t, s, FormatCSV),
		decideKeys(want))))
	require.NoError(t, err)
	p, err := NewActionPlan(s, d, opts)
	require.NoError(t, err)
	return p
}

func actionIDs(p *ActionPlan) []string {
	var ids []string
	for _, a := range p.Actions {
		ids = append(ids, a.ID)
	}
	return ids
}

func collateralKeys(p *ActionPlan) []string {
	var out []string
	for _, a := range p.Collateral {
		out = append(out, a.UserName+" "+a.AccountID+" "+a.PermissionSetName)
	}
	return out
}

func TestPlanRevokeThroughGroupsUnderEachPolicy(t *testing.T) {
	annAdmin := [3]string{"ann", "111111111111", "Admin"}
	direct := "revoke|111111111111|" + psAdmin + "|USER|u1"
	tests := []struct {
		policy         GroupRevoke
		wantActions    []string
		wantStatus     DecisionStatus
		wantRemaining  []string
		wantCollateral []string
		wantNote       string
	}{
		{
			policy:        GroupRevokeRefuse,
			wantActions:   []string{direct},
			wantStatus:    StatusPlanned,
			wantRemaining: []string{"g2", "g1"},
			wantNote:      "access remains through GROUP:Admins; GROUP:Ops",
		},
		{
			policy:      GroupRevokeMembership,
			wantActions: []string{direct, "remove-member|g1|u1", "remove-member|g2|u1"},
			wantStatus:  StatusPlanned,
			// Leaving Ops also takes ann's Read on the old account.
			wantCollateral: []string{"ann 222222222222 Read"},
			wantNote:       "no access remains",
		},
		{
			policy: GroupRevokeAssignment,
			wantActions: []string{"revoke|111111111111|" + psAdmin + "|GROUP|g1",
				"revoke|111111111111|" + psAdmin + "|GROUP|g2", direct},
			wantStatus: StatusPlanned,
			// Deleting Ops's assignment takes it from bob too.
			wantCollateral: []string{"bob 111111111111 Admin"},
			wantNote:       "no access remains",
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			p := planFor(t, smallSnapshot(), ActionOptions{GroupRevoke: tt.policy},
				map[[3]string]Decision{annAdmin: DecisionRevoke})
			assert.Equal(t, tt.wantActions, actionIDs(p))
			require.Len(t, p.Decisions, 1)
			d := p.Decisions[0]
			assert.Equal(t, tt.wantStatus, d.Status)
			var remaining []string
			for _, r := range d.Remaining {
				remaining = append(remaining, r.PrincipalID)
			}
			assert.Equal(t, tt.wantRemaining, remaining)
			assert.Equal(t, tt.wantCollateral, collateralKeys(p))
			assert.Contains(t, d.Note, tt.wantNote)
			assert.Equal(t, 3, p.Undecided)
		})
	}
}

func TestPlanRefusesGroupOnlyAccessAndSaysSo(t *testing.T) {
	p := planFor(t, smallSnapshot(), ActionOptions{},
		map[[3]string]Decision{{"bob", "111111111111", "Admin"}: DecisionRevoke})
	require.Len(t, p.Decisions, 1)
	assert.Equal(t, StatusRefused, p.Decisions[0].Status)
	assert.Contains(t, p.Decisions[0].Note, "group(s) Ops is not revoked")
	assert.Empty(t, p.Actions)
}

func TestPlanUserDecisions(t *testing.T) {
	s := smallSnapshot()
	s.Users[1].Status = identitycenter.StatusDisabled // bob (sorted by id: u1, u2)
	require.Equal(t, "bob", s.Users[1].UserName)
	want := map[[3]string]Decision{
		{"ann", "111111111111", "Admin"}: DecisionDeprovision,
		{"ann", "222222222222", "Read"}:  DecisionDeprovision,
		{"bob", "111111111111", "Admin"}: DecisionSuspend,
	}

	p := planFor(t, s, ActionOptions{SCIM: true}, want)
	assert.Equal(t, []string{"deprovision|u1"}, actionIDs(p), "one action for two rows")
	require.Len(t, p.Actions, 1)
	assert.True(t, p.Actions[0].Irreversible)
	assert.Equal(t, ChannelSCIM, p.Actions[0].Channel)
	assert.Len(t, p.Actions[0].Lines, 2)
	assert.Len(t, p.Irreversible(), 1)
	assert.Empty(t, p.Collateral, "a deprovisioned user's access is not collateral")
	for _, d := range p.Decisions {
		if d.Decision == DecisionSuspend {
			assert.Equal(t, StatusAlreadyDone, d.Status)
		}
	}

	s.Users[1].Status = identitycenter.StatusEnabled
	p = planFor(t, s, ActionOptions{}, want)
	assert.Equal(t, ChannelIdentityStore, p.Actions[0].Channel)
	for _, d := range p.Decisions {
		if d.Decision == DecisionSuspend {
			assert.Equal(t, StatusRefused, d.Status, "suspend needs SCIM")
		}
	}
}

func TestPlanAlreadyDone(t *testing.T) {
	s := smallSnapshot()
	d, err := ReadDecisions(bytes.NewReader(decide(t, template(t, s, FormatCSV),
		func(a Access) Decision {
			if a.UserName == "ann" {
				return DecisionRevoke
			}
			return DecisionKeep
		})))
	require.NoError(t, err)

	// Everything ann reached is gone now, and bob was deleted.
	now := smallSnapshot()
	now.Assignments = []permissions.Assignment{}
	now.Memberships = nil
	now.Users = now.Users[:1] // ann only (sorted by id)
	p, err := NewActionPlan(now, d, ActionOptions{})
	var de *DecisionError
	require.ErrorAs(t, err, &de, "keep of a deleted user is a problem")
	assert.Nil(t, p, "nothing is planned from a file with a problem")
	assert.Contains(t, de.Error(), "does not exist")

	d.Rows = d.Rows[:2] // ann's rows only
	p, err = NewActionPlan(now, d, ActionOptions{})
	require.NoError(t, err)
	for _, pd := range p.Decisions {
		assert.Equal(t, StatusAlreadyDone, pd.Status)
	}
	assert.Empty(t, p.Actions)
}

func TestPlanPrintsAsTableAndJSON(t *testing.T) {
	p := planFor(t, smallSnapshot(), ActionOptions{GroupRevoke: GroupRevokeAssignment},
		map[[3]string]Decision{{"ann", "111111111111", "Admin"}: DecisionRevoke})

	var table bytes.Buffer
	require.NoError(t, p.WriteTable(&table))
	out := table.String()
	for _, want := range []string{"LINE", "revoke", "planned", "3 action(s)",
		"group revoke policy assignment", "Access also lost", "bob"} {
		assert.Contains(t, out, want)
	}

	var js bytes.Buffer
	require.NoError(t, p.WriteJSON(&js))
	var back struct {
		GroupRevoke string            `json:"group_revoke"`
		Decisions   []PlannedDecision `json:"decisions"`
		Actions     []Action          `json:"actions"`
		Collateral  []Access          `json:"collateral"`
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, "assignment", back.GroupRevoke)
	assert.Equal(t, p.Actions, back.Actions)
	assert.Equal(t, p.Decisions, back.Decisions)
	assert.Len(t, back.Collateral, 1)
}

func TestParseGroupRevoke(t *testing.T) {
	for in, want := range map[string]GroupRevoke{"": GroupRevokeRefuse,
		"refuse": GroupRevokeRefuse, "membership": GroupRevokeMembership,
		"assignment": GroupRevokeAssignment} {
		got, err := ParseGroupRevoke(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseGroupRevoke("all")
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "refuse, membership or assignment"))
}
