package review

import "github.com/awsidc/awsidc/permissions"

// Anomalies are findings worth a reviewer's look that do not stop a review.
type Anomalies struct {
	// Orphaned are assignments whose user or group no longer exists.
	Orphaned []permissions.Assignment `json:"orphaned_assignments"`
	// EmptyGroups are group assignments that reach nobody, because the group
	// has no members.
	EmptyGroups []permissions.Assignment `json:"empty_group_assignments"`
	// InactiveAccounts are assignments into accounts that are not ACTIVE.
	InactiveAccounts []permissions.Assignment `json:"inactive_account_assignments"`
}

// Anomalies returns the anomalies of s, each list in assignment order.
func (s *Snapshot) Anomalies() Anomalies {
	users := make(map[string]bool, len(s.Users))
	for _, u := range s.Users {
		users[u.ID] = true
	}
	groups := make(map[string]int, len(s.Groups))
	for _, g := range s.Groups {
		groups[g.ID] = 0
	}
	for _, m := range s.Memberships {
		if _, ok := groups[m.GroupID]; ok && users[m.UserID] {
			groups[m.GroupID]++
		}
	}
	states := make(map[string]permissions.AccountState, len(s.Accounts))
	for _, a := range s.Accounts {
		states[a.ID] = a.State
	}

	// When users or groups could not be read, their absence proves nothing.
	usersKnown := !s.unreadAction("identitystore:ListUsers")
	groupsKnown := !s.unreadAction("identitystore:ListGroups")
	membersKnown := !s.unreadAction("identitystore:ListGroupMemberships")

	an := Anomalies{
		Orphaned:         []permissions.Assignment{},
		EmptyGroups:      []permissions.Assignment{},
		InactiveAccounts: []permissions.Assignment{},
	}
	for _, a := range s.Assignments {
		switch a.PrincipalType {
		case permissions.PrincipalUser:
			if usersKnown && !users[a.PrincipalID] {
				an.Orphaned = append(an.Orphaned, a)
				continue
			}
		case permissions.PrincipalGroup:
			n, ok := groups[a.PrincipalID]
			if !ok && groupsKnown {
				an.Orphaned = append(an.Orphaned, a)
				continue
			}
			if ok && n == 0 && membersKnown && usersKnown {
				an.EmptyGroups = append(an.EmptyGroups, a)
			}
		}
		if st, ok := states[a.AccountID]; ok && st != permissions.AccountActive {
			an.InactiveAccounts = append(an.InactiveAccounts, a)
		}
	}
	return an
}

// unreadAction reports whether action was denied anywhere in s.
func (s *Snapshot) unreadAction(action string) bool {
	for _, u := range s.Unread {
		if u.Action == action {
			return true
		}
	}
	return false
}
