package review

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
)

const (
	psAdmin = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa"
	psRead  = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-bbbbbbbbbbbbbbbb"
)

func user(id, name string) identitycenter.User {
	return identitycenter.User{ID: id, UserName: name, Status: identitycenter.StatusEnabled}
}

func assign(account, ps string, typ permissions.PrincipalType, id string) permissions.Assignment {
	return permissions.Assignment{AccountID: account, PermissionSetARN: ps, PrincipalType: typ,
		PrincipalID: id}
}

// smallSnapshot: ann reaches 111 admin directly and through two groups; bob
// through one group; the empty group and a deleted group hold assignments.
func smallSnapshot() *Snapshot {
	s := &Snapshot{
		Users: []identitycenter.User{user("u2", "bob"), user("u1", "ann")},
		Groups: []identitycenter.Group{{ID: "g1", DisplayName: "Ops"},
			{ID: "g2", DisplayName: "Admins"}, {ID: "g3", DisplayName: "Empty"}},
		Memberships: []identitycenter.Membership{{ID: "m1", GroupID: "g1", UserID: "u1"},
			{ID: "m2", GroupID: "g2", UserID: "u1"}, {ID: "m3", GroupID: "g1", UserID: "u2"}},
		Accounts: []permissions.Account{{ID: "111111111111", Name: "prod",
			State: permissions.AccountActive}, {ID: "222222222222", Name: "old",
			State: permissions.AccountSuspended}},
		PermissionSets: []PermissionSet{
			{PermissionSet: permissions.PermissionSet{ARN: psAdmin, Name: "Admin"}},
			{PermissionSet: permissions.PermissionSet{ARN: psRead, Name: "Read"}}},
		Assignments: []permissions.Assignment{
			assign("111111111111", psAdmin, permissions.PrincipalUser, "u1"),
			assign("111111111111", psAdmin, permissions.PrincipalGroup, "g1"),
			assign("111111111111", psAdmin, permissions.PrincipalGroup, "g2"),
			assign("222222222222", psRead, permissions.PrincipalGroup, "g1"),
			assign("111111111111", psRead, permissions.PrincipalGroup, "g3"),
			assign("111111111111", psRead, permissions.PrincipalGroup, "gone"),
		},
	}
	s.sort()
	return s
}

func TestAccessListsEveryPath(t *testing.T) {
	rows := slices.Collect(smallSnapshot().Access(Filter{}))
	require.Len(t, rows, 4)

	ann := rows[0]
	assert.Equal(t, "ann", ann.UserName)
	assert.Equal(t, "111111111111", ann.AccountID)
	assert.Equal(t, "Admin", ann.PermissionSetName)
	assert.Equal(t, []Path{
		{PrincipalType: permissions.PrincipalUser, PrincipalID: "u1"},
		{PrincipalType: permissions.PrincipalGroup, PrincipalID: "g2", GroupName: "Admins"},
		{PrincipalType: permissions.PrincipalGroup, PrincipalID: "g1", GroupName: "Ops"},
	}, ann.Via, "direct first, then groups by name")
	assert.Equal(t, "USER; GROUP:Admins; GROUP:Ops", ViaString(ann.Via))

	assert.Equal(t, "ann", rows[1].UserName)
	assert.Equal(t, permissions.AccountSuspended, rows[1].AccountState,
		"access into a suspended account carries its state")
	assert.Equal(t, "bob", rows[2].UserName)
	assert.Equal(t, "bob", rows[3].UserName)
}

func TestAccessFilters(t *testing.T) {
	s := smallSnapshot()
	for r := range s.Access(Filter{UserName: "bob"}) {
		assert.Equal(t, "bob", r.UserName)
	}
	n := 0
	for r := range s.Access(Filter{AccountID: "222222222222"}) {
		assert.Equal(t, "222222222222", r.AccountID)
		n++
	}
	assert.Equal(t, 2, n)

	byAccount := map[string]int{}
	for id, rows := range s.AccessByAccount(Filter{}) {
		byAccount[id] = len(rows)
	}
	assert.Equal(t, map[string]int{"111111111111": 2, "222222222222": 2}, byAccount)

	byUser := map[string]int{}
	for u, rows := range s.AccessByUser(Filter{}) {
		byUser[u.UserName] = len(rows)
	}
	assert.Equal(t, map[string]int{"ann": 2, "bob": 2}, byUser)
}

func TestAnomalies(t *testing.T) {
	an := smallSnapshot().Anomalies()
	assert.Equal(t, []permissions.Assignment{
		assign("111111111111", psRead, permissions.PrincipalGroup, "gone")}, an.Orphaned)
	assert.Equal(t, []permissions.Assignment{
		assign("111111111111", psRead, permissions.PrincipalGroup, "g3")}, an.EmptyGroups)
	assert.Equal(t, []permissions.Assignment{
		assign("222222222222", psRead, permissions.PrincipalGroup, "g1")}, an.InactiveAccounts)
}

func TestUnreadGroupsAreNotOrphans(t *testing.T) {
	s := smallSnapshot()
	s.Groups, s.Memberships = nil, nil
	s.Unread = []Unread{{Action: "identitystore:ListGroups", Scope: "groups"}}
	an := s.Anomalies()
	assert.Empty(t, an.Orphaned, "groups that could not be read are not called gone")
	assert.Empty(t, an.EmptyGroups)
	assert.False(t, s.Complete())
}

func TestAccessChangesMerge(t *testing.T) {
	prev := smallSnapshot()
	cur := smallSnapshot()
	// bob loses Ops; carl arrives with a direct assignment.
	cur.Memberships = slices.DeleteFunc(cur.Memberships,
		func(m identitycenter.Membership) bool { return m.ID == "m3" })
	cur.Users = append(cur.Users, user("u3", "carl"))
	cur.Assignments = append(cur.Assignments,
		assign("111111111111", psRead, permissions.PrincipalUser, "u3"))
	cur.sort()

	d := Compare(prev, cur)
	var got []string
	for _, c := range d.Access {
		got = append(got, string(c.Change)+" "+c.UserName+" "+c.AccountID+" "+c.PermissionSetName)
	}
	assert.ElementsMatch(t, []string{
		"removed bob 111111111111 Admin", "removed bob 222222222222 Read",
		"added carl 111111111111 Read"}, got)
	require.Len(t, d.UsersAdded, 1)
	assert.Equal(t, "carl", d.UsersAdded[0].UserName)
	assert.Empty(t, d.UsersRemoved)

	assert.True(t, Compare(prev, prev).Empty())
}

func TestIncompleteSnapshotsAreFlagged(t *testing.T) {
	prev := smallSnapshot()
	cur := smallSnapshot()
	cur.Memberships = nil
	cur.Unread = []Unread{{Action: "identitystore:ListGroupMemberships",
		Scope: "members of group g1"}}

	d := Compare(prev, cur)
	assert.False(t, d.Complete())
	assert.Equal(t, cur.Unread, d.Unread)

	var table strings.Builder
	require.NoError(t, Export(&table, FormatTable, cur, Filter{}))
	assert.Contains(t, table.String(), "WARNING: incomplete")
	table.Reset()
	require.NoError(t, ExportDiff(&table, FormatTable, d))
	assert.Contains(t, table.String(), "WARNING: incomplete")

	table.Reset()
	require.NoError(t, Export(&table, FormatTable, prev, Filter{}))
	assert.NotContains(t, table.String(), "WARNING")
}

func TestDiffFilter(t *testing.T) {
	prev, cur := smallSnapshot(), smallSnapshot()
	cur.Memberships = nil
	cur.sort()
	d := Compare(prev, cur)
	require.NotEmpty(t, d.Access)

	only := d.Filter(Filter{UserName: "bob", AccountID: "222222222222"})
	require.Len(t, only.Access, 1)
	assert.Equal(t, "bob", only.Access[0].UserName)
	assert.Greater(t, len(d.Access), 1, "filtering returns a copy")
}

func TestLoadRefusesEmptySnapshot(t *testing.T) {
	body := `null`
	sum := sha256.Sum256([]byte(body))
	file := `{"format":"awsidc-snapshot","version":1,"sha256":"` + hex.EncodeToString(sum[:]) +
		`","snapshot":` + body + `}`
	_, err := Load(strings.NewReader(file))
	assert.ErrorIs(t, err, ErrBadFile)
}
