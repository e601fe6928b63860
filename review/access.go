package review

import (
	"cmp"
	"iter"
	"slices"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
)

// Path is one reason a user has an access: the user's own assignment
// (PrincipalType USER) or one group's (PrincipalType GROUP).
type Path struct {
	PrincipalType permissions.PrincipalType `json:"principal_type"`
	PrincipalID   string                    `json:"principal_id"`
	// GroupName is the group's display name, for GROUP paths only.
	GroupName string `json:"group_name,omitempty"`
}

// Access is one (user, account, permission set) a user can reach, with every
// path that grants it.
type Access struct {
	UserID            string                    `json:"user_id"`
	UserName          string                    `json:"user_name"`
	DisplayName       string                    `json:"display_name"`
	UserStatus        identitycenter.UserStatus `json:"user_status"`
	AccountID         string                    `json:"account_id"`
	AccountName       string                    `json:"account_name"`
	AccountState      permissions.AccountState  `json:"account_state"`
	PermissionSetARN  string                    `json:"permission_set_arn"`
	PermissionSetName string                    `json:"permission_set_name"`
	Via               []Path                    `json:"via"`
}

// Key identifies an access: user, account and permission set.
type Key struct {
	UserID, AccountID, PermissionSetARN string
}

// Key returns a's identity.
func (a Access) Key() Key { return Key{a.UserID, a.AccountID, a.PermissionSetARN} }

// AccountUnknown is the state of an access whose account is not among the
// organisation's accounts (it left the organisation, or could not be read).
const AccountUnknown permissions.AccountState = "UNKNOWN"

// Filter narrows effective access. Empty fields match everything.
type Filter struct {
	// UserName keeps only the access of the user with this user name.
	UserName string
	// AccountID keeps only the access into this account.
	AccountID string
}

// index holds the lookups effective access needs.
type index struct {
	users      []identitycenter.User // ordered for output
	groups     map[string]identitycenter.Group
	accounts   map[string]permissions.Account
	sets       map[string]permissions.PermissionSet
	groupsOf   map[string][]string                 // user id -> group ids
	byUser     map[string][]permissions.Assignment // user id -> direct assignments
	byGroup    map[string][]permissions.Assignment // group id -> assignments
	memberless map[string]bool                     // group ids with no member
}

func (s *Snapshot) index(byName bool) *index {
	ix := &index{
		users:    slices.Clone(s.Users),
		groups:   make(map[string]identitycenter.Group, len(s.Groups)),
		accounts: make(map[string]permissions.Account, len(s.Accounts)),
		sets:     make(map[string]permissions.PermissionSet, len(s.PermissionSets)),
		groupsOf: make(map[string][]string, len(s.Users)),
		byUser:   map[string][]permissions.Assignment{},
		byGroup:  map[string][]permissions.Assignment{},
	}
	if byName {
		slices.SortFunc(ix.users, func(a, b identitycenter.User) int {
			return cmp.Or(cmp.Compare(a.UserName, b.UserName), cmp.Compare(a.ID, b.ID))
		})
	} else {
		slices.SortFunc(ix.users, func(a, b identitycenter.User) int { return cmp.Compare(a.ID, b.ID) })
	}
	for _, g := range s.Groups {
		ix.groups[g.ID] = g
	}
	for _, a := range s.Accounts {
		ix.accounts[a.ID] = a
	}
	for _, p := range s.PermissionSets {
		ix.sets[p.ARN] = p.PermissionSet
	}
	for _, m := range s.Memberships {
		ix.groupsOf[m.UserID] = append(ix.groupsOf[m.UserID], m.GroupID)
	}
	for _, a := range s.Assignments {
		switch a.PrincipalType {
		case permissions.PrincipalUser:
			ix.byUser[a.PrincipalID] = append(ix.byUser[a.PrincipalID], a)
		case permissions.PrincipalGroup:
			ix.byGroup[a.PrincipalID] = append(ix.byGroup[a.PrincipalID], a)
		}
	}
	return ix
}

// Access returns the effective access of s: one row per (user, account,
// permission set) with every path granting it, users in user-name order and
// each user's rows by account id then permission set ARN. Rows are computed
// one user at a time, so memory stays small however many rows there are.
// Assignments whose principal is gone reach nobody and make no row; see
// [Snapshot.Anomalies].
func (s *Snapshot) Access(f Filter) iter.Seq[Access] {
	return s.access(f, true)
}

func (s *Snapshot) access(f Filter, byName bool) iter.Seq[Access] {
	return func(yield func(Access) bool) {
		ix := s.index(byName)
		var rows []Access
		for _, u := range ix.users {
			if f.UserName != "" && u.UserName != f.UserName {
				continue
			}
			rows = ix.userAccess(u, f.AccountID, rows[:0])
			for _, r := range rows {
				if !yield(r) {
					return
				}
			}
		}
	}
}

// userAccess appends the access rows of user u to rows.
func (ix *index) userAccess(u identitycenter.User, account string, rows []Access) []Access {
	type grant struct {
		a    permissions.Assignment
		path Path
	}
	var grants []grant
	for _, a := range ix.byUser[u.ID] {
		grants = append(grants, grant{a, Path{PrincipalType: permissions.PrincipalUser,
			PrincipalID: u.ID}})
	}
	for _, gid := range ix.groupsOf[u.ID] {
		g, ok := ix.groups[gid]
		if !ok {
			continue
		}
		for _, a := range ix.byGroup[gid] {
			grants = append(grants, grant{a, Path{PrincipalType: permissions.PrincipalGroup,
				PrincipalID: gid, GroupName: g.DisplayName}})
		}
	}
	if account != "" {
		grants = slices.DeleteFunc(grants, func(g grant) bool { return g.a.AccountID != account })
	}
	slices.SortFunc(grants, func(x, y grant) int {
		return cmp.Or(cmp.Compare(x.a.AccountID, y.a.AccountID),
			cmp.Compare(x.a.PermissionSetARN, y.a.PermissionSetARN),
			comparePaths(x.path, y.path))
	})

	for i, g := range grants {
		if i > 0 && grants[i-1].a.AccountID == g.a.AccountID &&
			grants[i-1].a.PermissionSetARN == g.a.PermissionSetARN {
			last := &rows[len(rows)-1]
			if !slices.Contains(last.Via, g.path) {
				last.Via = append(last.Via, g.path)
			}
			continue
		}
		acc, ok := ix.accounts[g.a.AccountID]
		state := acc.State
		if !ok {
			state = AccountUnknown
		}
		rows = append(rows, Access{
			UserID:            u.ID,
			UserName:          u.UserName,
			DisplayName:       u.DisplayName,
			UserStatus:        u.Status,
			AccountID:         g.a.AccountID,
			AccountName:       acc.Name,
			AccountState:      state,
			PermissionSetARN:  g.a.PermissionSetARN,
			PermissionSetName: ix.sets[g.a.PermissionSetARN].Name,
			Via:               []Path{g.path},
		})
	}
	return rows
}

// comparePaths puts the direct path first, then groups by name and id.
func comparePaths(a, b Path) int {
	return cmp.Or(cmp.Compare(b.PrincipalType, a.PrincipalType), // USER before GROUP
		cmp.Compare(a.GroupName, b.GroupName), cmp.Compare(a.PrincipalID, b.PrincipalID))
}

// AccessByUser returns effective access grouped by user, in user-name order.
func (s *Snapshot) AccessByUser(f Filter) iter.Seq2[identitycenter.User, []Access] {
	return func(yield func(identitycenter.User, []Access) bool) {
		ix := s.index(true)
		for _, u := range ix.users {
			if f.UserName != "" && u.UserName != f.UserName {
				continue
			}
			rows := ix.userAccess(u, f.AccountID, nil)
			if len(rows) > 0 && !yield(u, rows) {
				return
			}
		}
	}
}

// AccessByAccount returns effective access grouped by account id, accounts
// in id order, each account's rows in the order of [Snapshot.Access].
func (s *Snapshot) AccessByAccount(f Filter) iter.Seq2[string, []Access] {
	return func(yield func(string, []Access) bool) {
		by := map[string][]Access{}
		for r := range s.Access(f) {
			by[r.AccountID] = append(by[r.AccountID], r)
		}
		ids := slices.Sorted(func(y func(string) bool) {
			for id := range by {
				if !y(id) {
					return
				}
			}
		})
		for _, id := range ids {
			if !yield(id, by[id]) {
				return
			}
		}
	}
}
