package review

import (
	"cmp"
	"fmt"
	"io"
	"iter"
	"reflect"
	"slices"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
)

// Change says whether an access row was added or removed.
type Change string

// Changes.
const (
	Added   Change = "added"
	Removed Change = "removed"
)

// AccessChange is an access row that one snapshot has and the other lacks.
type AccessChange struct {
	Change Change
	Access
}

// StatusChange is a user whose status differs between two snapshots.
type StatusChange struct {
	User identitycenter.User       `json:"user"`
	From identitycenter.UserStatus `json:"from"`
	To   identitycenter.UserStatus `json:"to"`
}

// PermissionSetChange is a permission set whose definition or policies
// differ between two snapshots.
type PermissionSetChange struct {
	ARN  string `json:"arn"`
	Name string `json:"name"`
	// Fields names what changed: "description", "session_duration",
	// "relay_state", "policies", "name".
	Fields []string `json:"fields"`
}

// Diff is what changed between two snapshots.
type Diff struct {
	Access                []AccessChange        `json:"access"`
	UsersAdded            []identitycenter.User `json:"users_added"`
	UsersRemoved          []identitycenter.User `json:"users_removed"`
	UsersStatusChanged    []StatusChange        `json:"users_status_changed"`
	PermissionSetsChanged []PermissionSetChange `json:"permission_sets_changed"`

	// Unread joins what either snapshot could not read. When it is not
	// empty, access reported removed may only have been unreadable.
	Unread []Unread `json:"unread,omitempty"`
}

// Complete reports whether both snapshots were complete, so that every
// change reported is a real one.
func (d *Diff) Complete() bool { return len(d.Unread) == 0 }

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.Access) == 0 && len(d.UsersAdded) == 0 && len(d.UsersRemoved) == 0 &&
		len(d.UsersStatusChanged) == 0 && len(d.PermissionSetsChanged) == 0
}

// Compare returns what changed from previous to current. Access rows are
// compared by (user, account, permission set): a row whose paths changed but
// which is still reachable is not a change of access. Access changes come in
// user-id order, each user's removals and additions by account and set.
func Compare(previous, current *Snapshot) *Diff {
	d := &Diff{
		Access:                []AccessChange{},
		UsersAdded:            []identitycenter.User{},
		UsersRemoved:          []identitycenter.User{},
		UsersStatusChanged:    []StatusChange{},
		PermissionSetsChanged: []PermissionSetChange{},
	}
	for c := range AccessChanges(previous, current) {
		d.Access = append(d.Access, c)
	}
	d.compareUsers(previous, current)
	d.comparePermissionSets(previous, current)
	d.Unread = slices.Concat(previous.Unread, current.Unread)
	slices.SortFunc(d.Unread, compareUnread)
	d.Unread = slices.Compact(d.Unread)
	return d
}

// AccessChanges streams the access rows added and removed from previous to
// current. It walks both snapshots' users in id order and compares one
// user's rows at a time, so memory does not grow with the number of rows.
func AccessChanges(previous, current *Snapshot) iter.Seq[AccessChange] {
	return func(yield func(AccessChange) bool) {
		old, cur := previous.index(false), current.index(false)
		var scO, scN accessScratch
		all := func(rows []Access, c Change) bool {
			for _, r := range rows {
				if !yield(AccessChange{c, r}) {
					return false
				}
			}
			return true
		}

		i, j := 0, 0
		for i < len(old.users) || j < len(cur.users) {
			var c int
			switch {
			case i == len(old.users):
				c = 1
			case j == len(cur.users):
				c = -1
			default:
				c = cmp.Compare(old.users[i].ID, cur.users[j].ID)
			}
			switch {
			case c < 0:
				if !all(old.userAccess(i, -1, &scO), Removed) {
					return
				}
				i++
			case c > 0:
				if !all(cur.userAccess(j, -1, &scN), Added) {
					return
				}
				j++
			default:
				if !mergeRows(old.userAccess(i, -1, &scO), cur.userAccess(j, -1, &scN), yield) {
					return
				}
				i++
				j++
			}
		}
	}
}

// mergeRows yields the rows of one user that only one side has; both sides
// are in (account, permission set) order.
func mergeRows(old, cur []Access, yield func(AccessChange) bool) bool {
	i, j := 0, 0
	for i < len(old) || j < len(cur) {
		var c int
		switch {
		case i == len(old):
			c = 1
		case j == len(cur):
			c = -1
		default:
			c = cmp.Or(cmp.Compare(old[i].AccountID, cur[j].AccountID),
				cmp.Compare(old[i].PermissionSetARN, cur[j].PermissionSetARN))
		}
		switch {
		case c < 0:
			if !yield(AccessChange{Removed, old[i]}) {
				return false
			}
			i++
		case c > 0:
			if !yield(AccessChange{Added, cur[j]}) {
				return false
			}
			j++
		default:
			i++
			j++
		}
	}
	return true
}

func compareKeys(a, b Key) int {
	return cmp.Or(cmp.Compare(a.UserID, b.UserID), cmp.Compare(a.AccountID, b.AccountID),
		cmp.Compare(a.PermissionSetARN, b.PermissionSetARN))
}

func (d *Diff) compareUsers(previous, current *Snapshot) {
	old := make(map[string]identitycenter.User, len(previous.Users))
	for _, u := range previous.Users {
		old[u.ID] = u
	}
	seen := make(map[string]bool, len(current.Users))
	for _, u := range current.Users {
		seen[u.ID] = true
		p, ok := old[u.ID]
		switch {
		case !ok:
			d.UsersAdded = append(d.UsersAdded, u)
		case p.Status != u.Status:
			d.UsersStatusChanged = append(d.UsersStatusChanged,
				StatusChange{User: u, From: p.Status, To: u.Status})
		}
	}
	for _, u := range previous.Users {
		if !seen[u.ID] {
			d.UsersRemoved = append(d.UsersRemoved, u)
		}
	}
}

// normalPolicies returns p with nil and empty collections made alike, so
// that policies read from AWS and the same policies loaded from a snapshot
// file, where empty lists may come back as nil, compare equal.
func normalPolicies(p permissions.Policies) permissions.Policies {
	if len(p.ManagedPolicyARNs) == 0 {
		p.ManagedPolicyARNs = nil
	}
	if len(p.CustomerManaged) == 0 {
		p.CustomerManaged = nil
	}
	if len(p.Tags) == 0 {
		p.Tags = nil
	}
	if len(p.Unread) == 0 {
		p.Unread = nil
	}
	return p
}

func (d *Diff) comparePermissionSets(previous, current *Snapshot) {
	old := make(map[string]PermissionSet, len(previous.PermissionSets))
	for _, p := range previous.PermissionSets {
		old[p.ARN] = p
	}
	for _, cur := range current.PermissionSets {
		p, ok := old[cur.ARN]
		if !ok {
			continue
		}
		var fields []string
		add := func(name string, changed bool) {
			if changed {
				fields = append(fields, name)
			}
		}
		add("name", p.Name != cur.Name)
		add("description", p.Description != cur.Description)
		add("session_duration", p.SessionDuration != cur.SessionDuration)
		add("relay_state", p.RelayState != cur.RelayState)
		// Policies compare only when both snapshots read them.
		add("policies", p.Policies != nil && cur.Policies != nil &&
			!reflect.DeepEqual(normalPolicies(*p.Policies), normalPolicies(*cur.Policies)))
		if len(fields) > 0 {
			d.PermissionSetsChanged = append(d.PermissionSetsChanged,
				PermissionSetChange{ARN: cur.ARN, Name: cur.Name, Fields: fields})
		}
	}
	slices.SortFunc(d.PermissionSetsChanged, func(a, b PermissionSetChange) int {
		return cmp.Compare(a.ARN, b.ARN)
	})
}

// Filter returns a copy of d whose access changes f keeps.
func (d *Diff) Filter(f Filter) *Diff {
	out := *d
	out.Access = slices.DeleteFunc(slices.Clone(d.Access), func(c AccessChange) bool {
		return (f.UserName != "" && c.UserName != f.UserName) ||
			(f.AccountID != "" && c.AccountID != f.AccountID)
	})
	return &out
}

// ExportDiff writes d in format. Table, CSV and JSONL write its access
// changes, each row with a "change" column (leading in the table, trailing
// otherwise), and a table of an incomplete diff ends with a warning. JSON
// writes the whole diff as one document, each access row with a trailing
// "change" field.
func ExportDiff(w io.Writer, format Format, d *Diff) error {
	rows := func(yield func(Access) bool) {
		for _, c := range d.Access {
			if !yield(c.Access) {
				return
			}
		}
	}
	change := make(map[Key]Change, len(d.Access))
	for _, c := range d.Access {
		change[c.Key()] = c.Change
	}
	switch format {
	case FormatJSONL:
		return writeJSONL(w, rows, func(a Access) map[string]string {
			return map[string]string{"change": string(change[a.Key()])}
		})
	case FormatCSV:
		return writeCSV(w, rows, []string{"change"},
			func(a Access) []string { return []string{string(change[a.Key()])} })
	case FormatTable:
		lead := func(a Access) string { return string(change[a.Key()]) }
		if err := writeTable(w, rows, lead); err != nil {
			return err
		}
		return writeIncomplete(w, d.Unread)
	case FormatJSON:
		b, err := marshal(d)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	return fmt.Errorf("review: unknown format %q", format)
}

// MarshalJSON writes the change as an access row with a "change" field.
func (c AccessChange) MarshalJSON() ([]byte, error) {
	return withExtra{c.Access, map[string]string{"change": string(c.Change)}}.MarshalJSON()
}
