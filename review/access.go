package review

import (
	"cmp"
	"iter"
	"maps"
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

// index holds the lookups effective access needs, with every account,
// permission set and group numbered so that a user's grants sort and merge
// on integers. Accounts and permission sets are numbered in id order, groups
// in (display name, id) order, so numeric order is the output order.
type index struct {
	users    []identitycenter.User // in output order
	groupsOf [][]int32             // per user: group numbers
	direct   [][]target            // per user: directly assigned targets
	byGroup  [][]target            // per group: assigned targets

	groups   []identitycenter.Group
	accounts []string // ids, sorted
	accInfo  []accountInfo
	sets     []string // ARNs, sorted
	setNames []string
}

// target is an (account, permission set) pair by number.
type target struct{ acc, set int32 }

type accountInfo struct {
	name  string
	state permissions.AccountState
}

func (s *Snapshot) index(byName bool) *index {
	ix := &index{users: slices.Clone(s.Users)}
	if byName {
		slices.SortFunc(ix.users, func(a, b identitycenter.User) int {
			return cmp.Or(cmp.Compare(a.UserName, b.UserName), cmp.Compare(a.ID, b.ID))
		})
	} else {
		slices.SortFunc(ix.users, compareUserIDs)
	}
	userNo := make(map[string]int32, len(ix.users))
	for i, u := range ix.users {
		userNo[u.ID] = int32(i)
	}

	ix.groups = slices.Clone(s.Groups)
	slices.SortFunc(ix.groups, func(a, b identitycenter.Group) int {
		return cmp.Or(cmp.Compare(a.DisplayName, b.DisplayName), cmp.Compare(a.ID, b.ID))
	})
	groupNo := make(map[string]int32, len(ix.groups))
	for i, g := range ix.groups {
		groupNo[g.ID] = int32(i)
	}

	// Number every account and permission set that an assignment or the
	// snapshot names, in id order.
	accNo := map[string]int32{}
	setNo := map[string]int32{}
	for _, a := range s.Accounts {
		accNo[a.ID] = 0
	}
	for _, a := range s.Assignments {
		accNo[a.AccountID] = 0
		setNo[a.PermissionSetARN] = 0
	}
	ix.accounts = sortedNumbers(accNo)
	ix.sets = sortedNumbers(setNo)
	ix.accInfo = make([]accountInfo, len(ix.accounts))
	for i := range ix.accInfo {
		ix.accInfo[i].state = AccountUnknown
	}
	for _, a := range s.Accounts {
		ix.accInfo[accNo[a.ID]] = accountInfo{name: a.Name, state: a.State}
	}
	ix.setNames = make([]string, len(ix.sets))
	for _, p := range s.PermissionSets {
		if n, ok := setNo[p.ARN]; ok {
			ix.setNames[n] = p.Name
		}
	}

	ix.groupsOf = make([][]int32, len(ix.users))
	for _, m := range s.Memberships {
		u, okU := userNo[m.UserID]
		g, okG := groupNo[m.GroupID]
		if okU && okG {
			ix.groupsOf[u] = append(ix.groupsOf[u], g)
		}
	}
	ix.direct = make([][]target, len(ix.users))
	ix.byGroup = make([][]target, len(ix.groups))
	for _, a := range s.Assignments {
		t := target{accNo[a.AccountID], setNo[a.PermissionSetARN]}
		switch a.PrincipalType {
		case permissions.PrincipalUser:
			if u, ok := userNo[a.PrincipalID]; ok {
				ix.direct[u] = append(ix.direct[u], t)
			}
		case permissions.PrincipalGroup:
			if g, ok := groupNo[a.PrincipalID]; ok {
				ix.byGroup[g] = append(ix.byGroup[g], t)
			}
		}
	}
	return ix
}

// sortedNumbers numbers the keys of m in sorted order, in place, and
// returns them sorted.
func sortedNumbers(m map[string]int32) []string {
	keys := slices.Sorted(maps.Keys(m))
	for i, k := range keys {
		m[k] = int32(i)
	}
	return keys
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
		account := ix.accountFilter(f.AccountID)
		var scratch accessScratch
		for u := range ix.users {
			if f.UserName != "" && ix.users[u].UserName != f.UserName {
				continue
			}
			for _, r := range ix.userAccess(u, account, &scratch) {
				if !yield(r) {
					return
				}
			}
		}
	}
}

// accountFilter returns the number of account id, -1 for every account, or
// a number no grant has when id is unknown.
func (ix *index) accountFilter(id string) int32 {
	if id == "" {
		return -1
	}
	if n, ok := slices.BinarySearch(ix.accounts, id); ok {
		return int32(n)
	}
	return int32(len(ix.accounts))
}

// grant is one path to one target; kind 0 is the direct path, 1 a group's.
type grant struct {
	target
	kind  int8
	group int32
}

// accessScratch is reused from one user to the next.
type accessScratch struct {
	grants []grant
	rows   []Access
}

// userAccess returns the access rows of user number u, into account (or all
// accounts when account is -1). The rows are valid until the next call with
// the same scratch; their paths are freshly allocated.
func (ix *index) userAccess(u int, account int32, sc *accessScratch) []Access {
	grants := sc.grants[:0]
	for _, t := range ix.direct[u] {
		if account < 0 || t.acc == account {
			grants = append(grants, grant{target: t})
		}
	}
	for _, g := range ix.groupsOf[u] {
		for _, t := range ix.byGroup[g] {
			if account < 0 || t.acc == account {
				grants = append(grants, grant{target: t, kind: 1, group: g})
			}
		}
	}
	slices.SortFunc(grants, func(x, y grant) int {
		return cmp.Or(cmp.Compare(x.acc, y.acc), cmp.Compare(x.set, y.set),
			cmp.Compare(x.kind, y.kind), cmp.Compare(x.group, y.group))
	})
	grants = slices.Compact(grants)
	sc.grants = grants

	// One allocation holds every path of this user's rows.
	paths := make([]Path, len(grants))
	user := &ix.users[u]
	rows := sc.rows[:0]
	start := 0
	for i, g := range grants {
		if g.kind == 0 {
			paths[i] = Path{PrincipalType: permissions.PrincipalUser, PrincipalID: user.ID}
		} else {
			grp := &ix.groups[g.group]
			paths[i] = Path{PrincipalType: permissions.PrincipalGroup, PrincipalID: grp.ID,
				GroupName: grp.DisplayName}
		}
		if i+1 < len(grants) && grants[i+1].target == g.target {
			continue
		}
		info := ix.accInfo[g.acc]
		rows = append(rows, Access{
			UserID:            user.ID,
			UserName:          user.UserName,
			DisplayName:       user.DisplayName,
			UserStatus:        user.Status,
			AccountID:         ix.accounts[g.acc],
			AccountName:       info.name,
			AccountState:      info.state,
			PermissionSetARN:  ix.sets[g.set],
			PermissionSetName: ix.setNames[g.set],
			Via:               paths[start : i+1 : i+1],
		})
		start = i + 1
	}
	sc.rows = rows
	return rows
}

// AccessByUser returns effective access grouped by user, in user-name order.
func (s *Snapshot) AccessByUser(f Filter) iter.Seq2[identitycenter.User, []Access] {
	return func(yield func(identitycenter.User, []Access) bool) {
		ix := s.index(true)
		account := ix.accountFilter(f.AccountID)
		for u, user := range ix.users {
			if f.UserName != "" && user.UserName != f.UserName {
				continue
			}
			var sc accessScratch
			rows := ix.userAccess(u, account, &sc)
			if len(rows) > 0 && !yield(user, rows) {
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
		for _, id := range slices.Sorted(maps.Keys(by)) {
			if !yield(id, by[id]) {
				return
			}
		}
	}
}
