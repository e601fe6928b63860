package review_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/mototest"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// reviewTime is the time every snapshot of these tests is taken at.
var reviewTime = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

// ---- backends ---------------------------------------------------------------

// backend is what the tests need of an Identity Center to seed: the fake and
// moto each implement it with their own seeding calls.
type backend interface {
	createUser(t *testing.T, userName, displayName string) string
	createGroup(t *testing.T, displayName string) string
	addMember(t *testing.T, groupID, userID string) string
	removeMember(t *testing.T, membershipID string)
	createAccount(t *testing.T, name string, suspended bool) string
	createPermissionSet(t *testing.T, name string) string
	assign(t *testing.T, a permissions.Assignment)
	deleteGroup(t *testing.T, id string)
	deleteUser(t *testing.T, id string)
	// disableUser disables a user, or reports false when the backend cannot.
	disableUser(t *testing.T, id string) bool
	// putInlinePolicy sets a permission set's inline policy, or reports false
	// when the review cannot read policies from the backend.
	putInlinePolicy(t *testing.T, arn, document string) bool
	collect(t *testing.T) *review.Snapshot
	// knowsUserStatus is false when the backend never returns a user's status.
	knowsUserStatus() bool
}

type fakeBackend struct {
	org  *awsidctest.Org
	scim *awsidctest.SCIMServer
}

const scimToken = "groundtruth-token"

func newFakeBackend(t *testing.T) backend {
	// A page limit below the fake's default makes every listing several pages.
	org := awsidctest.NewOrg(awsidctest.WithPageLimit(50))
	scim := org.SCIMServer(scimToken)
	t.Cleanup(scim.Close)
	return &fakeBackend{org: org, scim: scim}
}

func (b *fakeBackend) createUser(t *testing.T, userName, displayName string) string {
	id, err := b.org.AddUser(awsidctest.UserSeed{UserName: userName, DisplayName: displayName,
		GivenName: "Given", FamilyName: "Family"})
	require.NoError(t, err)
	return id
}

func (b *fakeBackend) createGroup(t *testing.T, displayName string) string {
	id, err := b.org.AddGroup(displayName, "")
	require.NoError(t, err)
	return id
}

func (b *fakeBackend) addMember(t *testing.T, groupID, userID string) string {
	id, err := b.org.AddMember(groupID, userID)
	require.NoError(t, err)
	return id
}

func (b *fakeBackend) removeMember(t *testing.T, membershipID string) {
	_, err := b.org.IdentityStore().DeleteGroupMembership(t.Context(),
		&identitystore.DeleteGroupMembershipInput{
			IdentityStoreId: aws.String(b.org.IdentityStoreID()),
			MembershipId:    aws.String(membershipID),
		})
	require.NoError(t, err)
}

func (b *fakeBackend) createAccount(t *testing.T, name string, suspended bool) string {
	seed := awsidctest.AccountSeed{Name: name}
	if suspended {
		seed.State = string(permissions.AccountSuspended)
	}
	id, err := b.org.AddAccount(seed)
	require.NoError(t, err)
	return id
}

func (b *fakeBackend) createPermissionSet(t *testing.T, name string) string {
	arn, err := b.org.AddPermissionSet(awsidctest.PermissionSetSeed{Name: name})
	require.NoError(t, err)
	return arn
}

func (b *fakeBackend) assign(t *testing.T, a permissions.Assignment) {
	require.NoError(t, b.org.Assign(a.AccountID, a.PermissionSetARN, string(a.PrincipalType),
		a.PrincipalID))
}

func (b *fakeBackend) deleteGroup(t *testing.T, id string) {
	require.NoError(t, b.org.DeleteGroup(id))
}

func (b *fakeBackend) deleteUser(t *testing.T, id string) {
	require.NoError(t, b.org.DeleteUser(id))
}

// disableUser suspends the user over SCIM, as an identity provider does.
func (b *fakeBackend) disableUser(t *testing.T, id string) bool {
	body := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],` +
		`"Operations":[{"op":"replace","path":"active","value":false}]}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPatch,
		b.scim.URL()+"Users/"+id, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+scimToken)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Less(t, resp.StatusCode, 300, "SCIM PATCH status")
	return true
}

func (b *fakeBackend) putInlinePolicy(t *testing.T, arn, document string) bool {
	_, err := b.org.SSOAdmin().PutInlinePolicyToPermissionSet(t.Context(),
		&ssoadmin.PutInlinePolicyToPermissionSetInput{
			InstanceArn:      aws.String(b.org.InstanceARN()),
			PermissionSetArn: aws.String(arn),
			InlinePolicy:     aws.String(document),
		})
	require.NoError(t, err)
	return true
}

func (b *fakeBackend) collect(t *testing.T) *review.Snapshot {
	snap, err := review.Collect(t.Context(),
		identitycenter.New(b.org.IdentityStore(), b.org.IdentityStoreID()),
		permissions.New(b.org.SSOAdmin(), b.org.Organizations(), b.org.InstanceARN()),
		review.Options{InstanceARN: b.org.InstanceARN(), IdentityStoreID: b.org.IdentityStoreID(),
			Policies: true, Now: func() time.Time { return reviewTime }})
	require.NoError(t, err)
	return snap
}

func (b *fakeBackend) knowsUserStatus() bool { return true }

type motoBackend struct{ f *mototest.Fixture }

func newMotoBackend(t *testing.T) backend { return &motoBackend{mototest.NewFixture(t)} }

func (b *motoBackend) createUser(t *testing.T, userName, displayName string) string {
	out, err := b.f.IdentityStore.CreateUser(t.Context(), &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(b.f.IdentityStoreID),
		UserName:        aws.String(userName),
		DisplayName:     aws.String(displayName),
		Name: &idtypes.Name{GivenName: aws.String("Given"),
			FamilyName: aws.String("Family")},
	})
	require.NoError(t, err, "create user %q", userName)
	return aws.ToString(out.UserId)
}

func (b *motoBackend) createGroup(t *testing.T, displayName string) string {
	return b.f.CreateGroup(t, displayName)
}

func (b *motoBackend) addMember(t *testing.T, groupID, userID string) string {
	return b.f.AddMember(t, groupID, userID)
}

func (b *motoBackend) removeMember(t *testing.T, membershipID string) {
	_, err := b.f.IdentityStore.DeleteGroupMembership(t.Context(),
		&identitystore.DeleteGroupMembershipInput{
			IdentityStoreId: aws.String(b.f.IdentityStoreID),
			MembershipId:    aws.String(membershipID),
		})
	require.NoError(t, err)
}

func (b *motoBackend) createAccount(t *testing.T, name string, suspended bool) string {
	id := b.f.CreateAccount(t, name)
	if suspended {
		_, err := b.f.Organizations.CloseAccount(t.Context(),
			&organizations.CloseAccountInput{AccountId: aws.String(id)})
		require.NoError(t, err)
	}
	return id
}

func (b *motoBackend) createPermissionSet(t *testing.T, name string) string {
	return b.f.CreatePermissionSet(t, name)
}

func (b *motoBackend) assign(t *testing.T, a permissions.Assignment) {
	b.f.Assign(t, a.AccountID, a.PermissionSetARN, ssotypes.PrincipalType(a.PrincipalType),
		a.PrincipalID)
}

func (b *motoBackend) deleteGroup(t *testing.T, id string) {
	_, err := b.f.IdentityStore.DeleteGroup(t.Context(), &identitystore.DeleteGroupInput{
		IdentityStoreId: aws.String(b.f.IdentityStoreID), GroupId: aws.String(id)})
	require.NoError(t, err)
}

func (b *motoBackend) deleteUser(t *testing.T, id string) {
	_, err := b.f.IdentityStore.DeleteUser(t.Context(), &identitystore.DeleteUserInput{
		IdentityStoreId: aws.String(b.f.IdentityStoreID), UserId: aws.String(id)})
	require.NoError(t, err)
}

// disableUser: moto has no UpdateUser and returns no user status.
func (b *motoBackend) disableUser(*testing.T, string) bool { return false }

// putInlinePolicy: the review reads no policies from moto, which lacks
// ListTagsForResource.
func (b *motoBackend) putInlinePolicy(*testing.T, string, string) bool { return false }

func (b *motoBackend) collect(t *testing.T) *review.Snapshot {
	snap, err := review.Collect(t.Context(),
		identitycenter.New(b.f.IdentityStore, b.f.IdentityStoreID),
		permissions.New(b.f.SSOAdmin, b.f.Organizations, b.f.InstanceARN),
		review.Options{InstanceARN: b.f.InstanceARN, IdentityStoreID: b.f.IdentityStoreID,
			Now: func() time.Time { return reviewTime }})
	require.NoError(t, err)
	return snap
}

func (b *motoBackend) knowsUserStatus() bool { return false }

var backends = []struct {
	name string
	new  func(t *testing.T) backend
}{
	{"fake", newFakeBackend},
	{"moto", newMotoBackend},
}

// ---- the organisation of edge cases and its ground truth --------------------

// model is what the test seeded, kept by the test itself: the ground truth
// that the review's output must equal.
type model struct {
	users       map[string]*mUser // by id
	groups      map[string]string // id -> display name, live groups only
	memberships map[string][2]string
	accounts    map[string]mAccount
	sets        map[string]string // ARN -> name
	inline      map[string]string // ARN -> inline policy
	assignments map[permissions.Assignment]bool

	// ids by the names the test chose
	userID  map[string]string
	groupID map[string]string
	member  map[[2]string]string // (group id, user id) -> membership id
	account map[string]string
	set     map[string]string
}

type mUser struct {
	userName, displayName string
	disabled              bool
}

type mAccount struct {
	name      string
	suspended bool
}

// Names that exports must carry whole: commas, quotes, newlines, non-ASCII.
const (
	bigGroup   = `Big, "Team"`
	opsGroup   = "Ops\nNight"
	secGroup   = "Équipe Sécurité"
	emptyGroup = "Empty, nobody"
	goneGroup  = "Gone"
	idleGroup  = "Idle"

	prodAccount = `Prod, "main"`
	devAccount  = "Entwicklung-Übung"
	oldAccount  = "Old\nlegacy"

	adminSet = "AdministratorAccess"
	roSet    = "ReadOnly"
	powerSet = "Dev,Power"
)

// edgeUserNames returns the 130 user names of the edge organisation: more
// than one page of users.
func edgeUserNames() []string {
	names := []string{"jones.erin", "dan.obrien", "two.lines", "zoë.ångström", "multi.path"}
	for i := len(names); i < 130; i++ {
		names = append(names, fmt.Sprintf("user%03d", i))
	}
	return names
}

var edgeDisplayNames = map[string]string{
	"jones.erin":   "Jones, Erin",
	"dan.obrien":   `Dan "The Man" O'Brien`,
	"two.lines":    "Line one\nLine two",
	"zoë.ångström": "Zoë Ångström",
}

// seedEdgeOrg builds the organisation of edge cases on b and returns what it
// seeded:
//   - 130 users, the first 120 members of one group (more than a page each);
//   - multi.path reaching Prod/AdministratorAccess directly and through two
//     groups, and jones.erin Prod/ReadOnly directly and through a group;
//   - an empty group with an assignment, a group with members and none;
//   - a suspended account with a direct and a group assignment;
//   - a group assigned, given a member, then deleted: an orphaned assignment.
func seedEdgeOrg(t *testing.T, b backend) *model {
	m := &model{
		users: map[string]*mUser{}, groups: map[string]string{},
		memberships: map[string][2]string{}, accounts: map[string]mAccount{},
		sets: map[string]string{}, inline: map[string]string{},
		assignments: map[permissions.Assignment]bool{},
		userID:      map[string]string{}, groupID: map[string]string{},
		member: map[[2]string]string{}, account: map[string]string{}, set: map[string]string{},
	}

	names := edgeUserNames()
	for _, n := range names {
		display := edgeDisplayNames[n]
		if display == "" {
			display = "User " + n
		}
		id := b.createUser(t, n, display)
		m.users[id] = &mUser{userName: n, displayName: display}
		m.userID[n] = id
	}
	members := map[string][]string{
		bigGroup:   names[:120],
		opsGroup:   {"multi.path", "user120", "user121"},
		secGroup:   {"multi.path", "user122"},
		emptyGroup: nil,
		goneGroup:  {"user123"},
		idleGroup:  {"user124"},
	}
	for _, g := range []string{bigGroup, opsGroup, secGroup, emptyGroup, goneGroup, idleGroup} {
		id := b.createGroup(t, g)
		m.groups[id] = g
		m.groupID[g] = id
		for _, u := range members[g] {
			mid := b.addMember(t, id, m.userID[u])
			m.memberships[mid] = [2]string{id, m.userID[u]}
			m.member[[2]string{id, m.userID[u]}] = mid
		}
	}
	for _, a := range []mAccount{{prodAccount, false}, {devAccount, false}, {oldAccount, true}} {
		id := b.createAccount(t, a.name, a.suspended)
		m.accounts[id] = a
		m.account[a.name] = id
	}
	for _, s := range []string{adminSet, roSet, powerSet} {
		arn := b.createPermissionSet(t, s)
		m.sets[arn] = s
		m.set[s] = arn
	}

	type grant struct{ account, set, kind, principal string }
	for _, g := range []grant{
		{devAccount, roSet, "GROUP", bigGroup},
		{prodAccount, roSet, "GROUP", bigGroup},
		{prodAccount, roSet, "USER", "jones.erin"},
		{prodAccount, adminSet, "USER", "multi.path"},
		{prodAccount, adminSet, "GROUP", opsGroup},
		{prodAccount, adminSet, "GROUP", secGroup},
		{prodAccount, powerSet, "GROUP", emptyGroup},
		{devAccount, adminSet, "GROUP", goneGroup},
		{oldAccount, roSet, "USER", "user125"},
		{oldAccount, adminSet, "GROUP", opsGroup},
		{devAccount, powerSet, "USER", "user129"},
	} {
		m.grant(t, b, g.account, g.set, g.kind, g.principal)
	}

	b.deleteGroup(t, m.groupID[goneGroup])
	m.dropGroup(m.groupID[goneGroup])
	return m
}

// grant assigns a set on an account to a user or group named by the test.
func (m *model) grant(t *testing.T, b backend, account, set, kind, principal string) {
	a := permissions.Assignment{AccountID: m.account[account], PermissionSetARN: m.set[set],
		PrincipalType: permissions.PrincipalType(kind)}
	if kind == "USER" {
		a.PrincipalID = m.userID[principal]
	} else {
		a.PrincipalID = m.groupID[principal]
	}
	require.NotEmpty(t, a.AccountID+a.PermissionSetARN+a.PrincipalID)
	b.assign(t, a)
	m.assignments[a] = true
}

// dropGroup records a group's deletion: its memberships go, its assignments
// stay.
func (m *model) dropGroup(id string) {
	delete(m.groups, id)
	maps.DeleteFunc(m.memberships, func(_ string, gu [2]string) bool { return gu[0] == id })
}

// dropUser records a user's deletion: memberships and assignments go too.
func (m *model) dropUser(id string) {
	delete(m.users, id)
	maps.DeleteFunc(m.memberships, func(_ string, gu [2]string) bool { return gu[1] == id })
	maps.DeleteFunc(m.assignments, func(a permissions.Assignment, _ bool) bool {
		return a.PrincipalType == permissions.PrincipalUser && a.PrincipalID == id
	})
}

func (m *model) clone() *model {
	c := *m
	c.users = map[string]*mUser{}
	for id, u := range m.users {
		cu := *u
		c.users[id] = &cu
	}
	c.groups = maps.Clone(m.groups)
	c.memberships = maps.Clone(m.memberships)
	c.inline = maps.Clone(m.inline)
	c.assignments = maps.Clone(m.assignments)
	return &c
}

// row is one access row in the form every export can be compared in: via as
// the sorted CSV notation of its paths.
type row struct {
	UserID, UserName, DisplayName, UserStatus  string
	AccountID, AccountName, AccountState       string
	PermissionSetARN, PermissionSetName, Paths string
}

func canonicalPaths(paths []string) string {
	slices.Sort(paths)
	return strings.Join(paths, " | ")
}

// expected computes the effective access from the model alone.
func (m *model) expected(knowsStatus bool) []row {
	paths := map[review.Key][]string{}
	add := func(userID string, a permissions.Assignment, path string) {
		k := review.Key{UserID: userID, AccountID: a.AccountID,
			PermissionSetARN: a.PermissionSetARN}
		paths[k] = append(paths[k], path)
	}
	for a := range m.assignments {
		switch a.PrincipalType {
		case permissions.PrincipalUser:
			if m.users[a.PrincipalID] != nil {
				add(a.PrincipalID, a, "USER")
			}
		case permissions.PrincipalGroup:
			name, ok := m.groups[a.PrincipalID]
			if !ok {
				continue
			}
			for _, gu := range m.memberships {
				if gu[0] == a.PrincipalID && m.users[gu[1]] != nil {
					add(gu[1], a, "GROUP:"+name)
				}
			}
		}
	}
	var rows []row
	for k, p := range paths {
		u := m.users[k.UserID]
		acc := m.accounts[k.AccountID]
		status, state := "ENABLED", "ACTIVE"
		if u.disabled {
			status = "DISABLED"
		}
		if !knowsStatus {
			status = "UNKNOWN"
		}
		if acc.suspended {
			state = "SUSPENDED"
		}
		rows = append(rows, row{k.UserID, u.userName, u.displayName, status,
			k.AccountID, acc.name, state, k.PermissionSetARN, m.sets[k.PermissionSetARN],
			canonicalPaths(p)})
	}
	return sortRows(rows)
}

func sortRows(rows []row) []row {
	slices.SortFunc(rows, func(a, b row) int {
		return strings.Compare(a.UserID+a.AccountID+a.PermissionSetARN,
			b.UserID+b.AccountID+b.PermissionSetARN)
	})
	return rows
}

func rowOf(a review.Access) row {
	paths := make([]string, len(a.Via))
	for i, p := range a.Via {
		paths[i] = string(p.PrincipalType)
		if p.PrincipalType == permissions.PrincipalGroup {
			paths[i] += ":" + p.GroupName
		}
	}
	return row{a.UserID, a.UserName, a.DisplayName, string(a.UserStatus), a.AccountID,
		a.AccountName, string(a.AccountState), a.PermissionSetARN, a.PermissionSetName,
		canonicalPaths(paths)}
}

func liveMemberCount(m *model, groupID string) int {
	n := 0
	for _, gu := range m.memberships {
		if gu[0] == groupID && m.users[gu[1]] != nil {
			n++
		}
	}
	return n
}

// expectedAnomalies computes the anomalies from the model alone, each as a
// set of assignments.
func (m *model) expectedAnomalies() (orphaned, empty, inactive []permissions.Assignment) {
	for a := range m.assignments {
		var exists bool
		if a.PrincipalType == permissions.PrincipalUser {
			exists = m.users[a.PrincipalID] != nil
		} else {
			_, exists = m.groups[a.PrincipalID]
		}
		switch {
		case !exists:
			orphaned = append(orphaned, a)
			continue
		case a.PrincipalType == permissions.PrincipalGroup &&
			liveMemberCount(m, a.PrincipalID) == 0:
			empty = append(empty, a)
		}
		if m.accounts[a.AccountID].suspended {
			inactive = append(inactive, a)
		}
	}
	return sortAssignments(orphaned), sortAssignments(empty), sortAssignments(inactive)
}

func sortAssignments(as []permissions.Assignment) []permissions.Assignment {
	slices.SortFunc(as, func(a, b permissions.Assignment) int {
		return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
	})
	return as
}

// ---- the ground-truth test --------------------------------------------------

func TestGroundTruth(t *testing.T) {
	for _, bc := range backends {
		t.Run(bc.name, func(t *testing.T) {
			b := bc.new(t)
			m := seedEdgeOrg(t, b)
			snap := b.collect(t)
			want := m.expected(b.knowsUserStatus())
			require.NotEmpty(t, want)

			t.Run("access", func(t *testing.T) {
				var got []row
				for a := range snap.Access(review.Filter{}) {
					got = append(got, rowOf(a))
				}
				assert.Equal(t, want, sortRows(got))
				checkAccessOrder(t, snap)
			})
			t.Run("grouped and filtered", func(t *testing.T) { checkGrouped(t, snap, want) })
			t.Run("counts", func(t *testing.T) {
				c := snap.Counts()
				assert.Equal(t, len(m.users), c.Users)
				assert.Equal(t, len(m.groups), c.Groups)
				assert.Equal(t, len(m.memberships), c.Memberships)
				// The organisation's management account comes on top.
				assert.Equal(t, len(m.accounts)+1, c.Accounts)
				assert.Equal(t, len(m.sets), c.PermissionSets)
				assert.Equal(t, len(m.assignments), c.Assignments)
				assert.Equal(t, len(want), c.Access)
			})
			t.Run("anomalies", func(t *testing.T) {
				orphaned, empty, inactive := m.expectedAnomalies()
				an := snap.Anomalies()
				assert.Equal(t, orphaned, sortAssignments(an.Orphaned), "orphaned")
				assert.Equal(t, empty, sortAssignments(an.EmptyGroups), "empty groups")
				assert.Equal(t, inactive, sortAssignments(an.InactiveAccounts), "inactive accounts")
				assert.Len(t, orphaned, 1)
				assert.Len(t, empty, 1)
				assert.Len(t, inactive, 2)
			})
			checkExports(t, snap, m, want)
			t.Run("save and load", func(t *testing.T) { checkSaveLoad(t, snap) })
			t.Run("diff", func(t *testing.T) { checkDiff(t, b, m, snap) })
		})
	}
}

// checkAccessOrder checks the documented order of effective access: users
// by user name, each user's rows by account id then permission set ARN.
func checkAccessOrder(t *testing.T, snap *review.Snapshot) {
	var keys []string
	for a := range snap.Access(review.Filter{}) {
		keys = append(keys, a.UserName+"\x00"+a.UserID+"\x00"+a.AccountID+"\x00"+a.PermissionSetARN)
	}
	assert.True(t, slices.IsSorted(keys), "access rows out of order")
}

// checkGrouped checks that access by user, by account and filtered are the
// ground truth's rows partitioned and narrowed.
func checkGrouped(t *testing.T, snap *review.Snapshot, want []row) {
	var byUser, byAccount []row
	for u, rows := range snap.AccessByUser(review.Filter{}) {
		for _, r := range rows {
			assert.Equal(t, u.ID, r.UserID)
			byUser = append(byUser, rowOf(r))
		}
	}
	for id, rows := range snap.AccessByAccount(review.Filter{}) {
		for _, r := range rows {
			assert.Equal(t, id, r.AccountID)
			byAccount = append(byAccount, rowOf(r))
		}
	}
	assert.Equal(t, want, sortRows(byUser), "by user")
	assert.Equal(t, want, sortRows(byAccount), "by account")

	for _, f := range []review.Filter{
		{UserName: "multi.path"}, {UserName: "zoë.ångström"}, {AccountID: want[0].AccountID},
		{UserName: "user129", AccountID: want[0].AccountID}, {UserName: "nobody"},
	} {
		var wantRows, got []row
		for _, r := range want {
			if (f.UserName == "" || r.UserName == f.UserName) &&
				(f.AccountID == "" || r.AccountID == f.AccountID) {
				wantRows = append(wantRows, r)
			}
		}
		for a := range snap.Access(f) {
			got = append(got, rowOf(a))
		}
		assert.Equal(t, wantRows, sortRows(got), "filter %+v", f)
	}
}

// ---- exports parsed back ----------------------------------------------------

// jsonPath and jsonRow are the export contract, written out independently
// of the review package's types.
type jsonPath struct {
	PrincipalType string `json:"principal_type"`
	PrincipalID   string `json:"principal_id"`
	GroupName     string `json:"group_name"`
}

type jsonRow struct {
	UserID            string     `json:"user_id"`
	UserName          string     `json:"user_name"`
	DisplayName       string     `json:"display_name"`
	UserStatus        string     `json:"user_status"`
	AccountID         string     `json:"account_id"`
	AccountName       string     `json:"account_name"`
	AccountState      string     `json:"account_state"`
	PermissionSetARN  string     `json:"permission_set_arn"`
	PermissionSetName string     `json:"permission_set_name"`
	Via               []jsonPath `json:"via"`
}

type jsonDocument struct {
	GeneratedAt     time.Time `json:"generated_at"`
	InstanceARN     string    `json:"instance_arn"`
	IdentityStoreID string    `json:"identity_store_id"`
	Counts          struct {
		Users          int `json:"users"`
		Groups         int `json:"groups"`
		Memberships    int `json:"memberships"`
		Accounts       int `json:"accounts"`
		PermissionSets int `json:"permission_sets"`
		Assignments    int `json:"assignments"`
		Access         int `json:"access"`
	} `json:"counts"`
	Access   []jsonRow `json:"access"`
	Orphaned []struct {
		AccountID        string `json:"account_id"`
		PermissionSetARN string `json:"permission_set_arn"`
		PrincipalType    string `json:"principal_type"`
		PrincipalID      string `json:"principal_id"`
	} `json:"orphaned_assignments"`
}

// rowOfJSON converts a JSON row, checking each path's principal id against
// the ids the test seeded.
func rowOfJSON(t *testing.T, r jsonRow, m *model) row {
	var paths []string
	for _, p := range r.Via {
		switch p.PrincipalType {
		case "USER":
			assert.Equal(t, r.UserID, p.PrincipalID, "direct path's principal")
			assert.Empty(t, p.GroupName)
			paths = append(paths, "USER")
		case "GROUP":
			assert.Equal(t, m.groupID[p.GroupName], p.PrincipalID, "group path's principal")
			paths = append(paths, "GROUP:"+p.GroupName)
		default:
			t.Errorf("path type %q", p.PrincipalType)
		}
	}
	return row{r.UserID, r.UserName, r.DisplayName, r.UserStatus, r.AccountID, r.AccountName,
		r.AccountState, r.PermissionSetARN, r.PermissionSetName, canonicalPaths(paths)}
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// tableGap separates table columns: tabwriter pads with at least two spaces,
// and no name in these tests holds two spaces in a row.
var tableGap = regexp.MustCompile(`  +`)

func checkExports(t *testing.T, snap *review.Snapshot, m *model, want []row) {
	export := func(t *testing.T, f review.Format) []byte {
		var buf bytes.Buffer
		require.NoError(t, review.Export(&buf, f, snap, review.Filter{}))
		return buf.Bytes()
	}

	t.Run("json", func(t *testing.T) {
		var doc jsonDocument
		require.NoError(t, decodeStrict(export(t, review.FormatJSON), &doc))
		assert.Equal(t, reviewTime, doc.GeneratedAt)
		assert.Equal(t, snap.InstanceARN, doc.InstanceARN)
		assert.Equal(t, snap.IdentityStoreID, doc.IdentityStoreID)
		assert.Equal(t, len(m.users), doc.Counts.Users)
		assert.Equal(t, len(m.groups), doc.Counts.Groups)
		assert.Equal(t, len(m.memberships), doc.Counts.Memberships)
		assert.Equal(t, len(m.accounts)+1, doc.Counts.Accounts)
		assert.Equal(t, len(m.sets), doc.Counts.PermissionSets)
		assert.Equal(t, len(m.assignments), doc.Counts.Assignments)
		assert.Equal(t, len(want), doc.Counts.Access)
		got := make([]row, len(doc.Access))
		for i, r := range doc.Access {
			got[i] = rowOfJSON(t, r, m)
		}
		assert.Equal(t, want, sortRows(got))

		orphaned, _, _ := m.expectedAnomalies()
		var gotOrphans []permissions.Assignment
		for _, o := range doc.Orphaned {
			gotOrphans = append(gotOrphans, permissions.Assignment{
				AccountID:        o.AccountID,
				PermissionSetARN: o.PermissionSetARN,
				PrincipalType:    permissions.PrincipalType(o.PrincipalType),
				PrincipalID:      o.PrincipalID,
			})
		}
		assert.Equal(t, orphaned, sortAssignments(gotOrphans))
	})

	t.Run("jsonl", func(t *testing.T) {
		out := export(t, review.FormatJSONL)
		require.True(t, bytes.HasSuffix(out, []byte("\n")))
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		require.Len(t, lines, len(want), "one row per line")
		var got []row
		for _, line := range lines {
			var r jsonRow
			require.NoError(t, decodeStrict([]byte(line), &r), "line %q", line)
			got = append(got, rowOfJSON(t, r, m))
		}
		assert.Equal(t, want, sortRows(got))
	})

	t.Run("csv", func(t *testing.T) {
		records, err := csv.NewReader(bytes.NewReader(export(t, review.FormatCSV))).ReadAll()
		require.NoError(t, err)
		require.NotEmpty(t, records)
		header := []string{"user_id", "user_name", "display_name", "user_status", "account_id",
			"account_name", "account_state", "permission_set_arn", "permission_set_name", "via"}
		assert.Equal(t, header, records[0])
		assert.Equal(t, header, review.CSVHeader)
		var got []row
		for _, r := range records[1:] {
			require.Len(t, r, len(header))
			got = append(got, row{r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
				canonicalPaths(strings.Split(r[9], "; "))})
		}
		assert.Equal(t, want, sortRows(got))
	})

	t.Run("table", func(t *testing.T) {
		out := string(export(t, review.FormatTable))
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		require.Len(t, lines, len(want)+1, "a header and one line per row")
		assert.Equal(t, []string{"USER", "STATUS", "ACCOUNT", "STATE", "PERMISSION SET", "VIA"},
			tableGap.Split(strings.TrimSpace(lines[0]), -1))

		// The table shows names with control characters escaped.
		esc := strings.NewReplacer("\n", `\n`).Replace
		var wantCells, gotCells [][]string
		for _, r := range want {
			var paths []string
			for _, p := range strings.Split(r.Paths, " | ") {
				paths = append(paths, esc(p))
			}
			wantCells = append(wantCells, []string{r.UserName, r.UserStatus,
				esc(r.AccountID + " " + r.AccountName), r.AccountState, esc(r.PermissionSetName),
				canonicalPaths(paths)})
		}
		for _, line := range lines[1:] {
			cells := tableGap.Split(strings.TrimSpace(line), -1)
			require.Len(t, cells, 6, "line %q", line)
			cells[5] = canonicalPaths(strings.Split(cells[5], "; "))
			gotCells = append(gotCells, cells)
		}
		byCells := func(a, b []string) int {
			return strings.Compare(strings.Join(a, "\x00"), strings.Join(b, "\x00"))
		}
		slices.SortFunc(wantCells, byCells)
		slices.SortFunc(gotCells, byCells)
		assert.Equal(t, wantCells, gotCells)
	})
}

// ---- save and load ----------------------------------------------------------

func checkSaveLoad(t *testing.T, snap *review.Snapshot) {
	for _, compress := range []bool{false, true} {
		t.Run(fmt.Sprintf("gzip=%v", compress), func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, snap.Save(&buf, compress))
			if compress {
				assert.Equal(t, []byte{0x1f, 0x8b}, buf.Bytes()[:2], "gzip magic")
			}
			loaded, err := review.Load(bytes.NewReader(buf.Bytes()))
			require.NoError(t, err)
			assert.Equal(t, snap, loaded)
			assert.True(t, review.Compare(snap, loaded).Empty())

			_, err = review.Load(bytes.NewReader(buf.Bytes()[:buf.Len()/2]))
			assert.ErrorIs(t, err, review.ErrBadFile, "truncated")
		})
	}
}

// snapshotFile mirrors the envelope of a saved snapshot, to forge files.
type snapshotFile struct {
	Format   string          `json:"format"`
	Version  int             `json:"version"`
	SHA256   string          `json:"sha256"`
	Snapshot json.RawMessage `json:"snapshot"`
}

func TestLoadRefusesBadFiles(t *testing.T) {
	snap := demoSnapshot(t)
	var plain bytes.Buffer
	require.NoError(t, snap.Save(&plain, false))
	var file snapshotFile
	require.NoError(t, json.Unmarshal(plain.Bytes(), &file))
	require.Equal(t, 1, file.Version)

	forge := func(f snapshotFile) []byte {
		b, err := json.Marshal(f)
		require.NoError(t, err)
		return b
	}
	gzipped := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, err := zw.Write(b)
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		return buf.Bytes()
	}

	// One byte changed inside the snapshot body, the JSON still valid: the
	// demo's user "alice.martin" becomes "alicf.martin".
	edited := bytes.Replace(plain.Bytes(), []byte(`"alice.martin"`), []byte(`"alicf.martin"`), 1)
	require.NotEqual(t, plain.Bytes(), edited)
	newer := file
	newer.Version = review.SnapshotVersion + 1
	other := file
	other.Format = "other-tool-export"
	resummed := func(f snapshotFile) snapshotFile {
		sum := sha256.Sum256(f.Snapshot)
		f.SHA256 = hex.EncodeToString(sum[:])
		return f
	}
	all := gzipped(plain.Bytes())

	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"truncated", plain.Bytes()[:plain.Len()-20]},
		{"truncated gzip", all[:len(all)/2]},
		{"one byte edited", edited},
		{"one byte edited gzip", gzipped(edited)},
		{"foreign json", []byte(`{"users":[],"groups":[]}`)},
		{"foreign format", forge(resummed(other))},
		{"json array", []byte(`[1,2,3]`)},
		{"newer version", forge(resummed(newer))},
		{"version zero", forge(func() snapshotFile { f := file; f.Version = 0; return f }())},
		{"not json", []byte("user_id,user_name\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := review.Load(bytes.NewReader(tc.data))
			require.ErrorIs(t, err, review.ErrBadFile)
			assert.Nil(t, s)
			assert.NotContains(t, err.Error(), "\n", "one-line message")
		})
	}
}

// ---- diff -------------------------------------------------------------------

type diffKey struct {
	change review.Change
	key    review.Key
}

func expectedAccessChanges(before, after []row) []diffKey {
	keys := func(rows []row) map[review.Key]bool {
		out := map[review.Key]bool{}
		for _, r := range rows {
			out[review.Key{UserID: r.UserID, AccountID: r.AccountID,
				PermissionSetARN: r.PermissionSetARN}] = true
		}
		return out
	}
	b, a := keys(before), keys(after)
	var out []diffKey
	for k := range b {
		if !a[k] {
			out = append(out, diffKey{review.Removed, k})
		}
	}
	for k := range a {
		if !b[k] {
			out = append(out, diffKey{review.Added, k})
		}
	}
	return sortDiffKeys(out)
}

func sortDiffKeys(ks []diffKey) []diffKey {
	slices.SortFunc(ks, func(a, b diffKey) int {
		return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
	})
	return ks
}

// checkDiff changes the organisation after snap was taken and checks that
// Compare finds exactly those changes.
func checkDiff(t *testing.T, b backend, m *model, snap *review.Snapshot) {
	require.True(t, review.Compare(snap, snap).Empty(), "a snapshot against itself")
	again := b.collect(t)
	require.True(t, review.Compare(snap, again).Empty(), "two snapshots of one state")

	before := m.clone()
	after := m

	// A new direct assignment.
	after.grant(t, b, prodAccount, adminSet, "USER", "user129")
	// A membership removed: user120 loses what Ops gave.
	mid := after.member[[2]string{after.groupID[opsGroup], after.userID["user120"]}]
	b.removeMember(t, mid)
	delete(after.memberships, mid)
	// A membership removed that changes paths but no access: multi.path
	// still reaches Prod/AdministratorAccess directly and through Ops.
	mid = after.member[[2]string{after.groupID[secGroup], after.userID["multi.path"]}]
	b.removeMember(t, mid)
	delete(after.memberships, mid)
	// A user deleted.
	deleted := after.userID["user122"]
	b.deleteUser(t, deleted)
	after.dropUser(deleted)
	// A user disabled.
	disabled := after.userID["user121"]
	if b.disableUser(t, disabled) {
		after.users[disabled].disabled = true
	}
	// A permission set's inline policy changed.
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*",` +
		`"Resource":"*"}]}`
	if b.putInlinePolicy(t, after.set[roSet], policy) {
		after.inline[after.set[roSet]] = policy
	}

	current := b.collect(t)
	d := review.Compare(snap, current)

	knows := b.knowsUserStatus()
	wantAccess := expectedAccessChanges(before.expected(knows), after.expected(knows))
	require.NotEmpty(t, wantAccess)
	var gotAccess []diffKey
	for _, c := range d.Access {
		gotAccess = append(gotAccess, diffKey{c.Change, c.Key()})
	}
	assert.Equal(t, wantAccess, sortDiffKeys(gotAccess), "access changes")

	var removed, added, statusChanged, setsChanged []string
	for _, u := range d.UsersRemoved {
		removed = append(removed, u.ID)
	}
	for _, u := range d.UsersAdded {
		added = append(added, u.ID)
	}
	for _, c := range d.UsersStatusChanged {
		statusChanged = append(statusChanged, fmt.Sprintf("%s %s->%s", c.User.ID, c.From, c.To))
	}
	for _, c := range d.PermissionSetsChanged {
		setsChanged = append(setsChanged, fmt.Sprintf("%s %s %v", c.ARN, c.Name, c.Fields))
	}
	var wantRemoved, wantStatus, wantSets []string
	for id := range before.users {
		if after.users[id] == nil {
			wantRemoved = append(wantRemoved, id)
		} else if before.users[id].disabled != after.users[id].disabled {
			wantStatus = append(wantStatus, id+" ENABLED->DISABLED")
		}
	}
	for arn, doc := range after.inline {
		if before.inline[arn] != doc {
			wantSets = append(wantSets, fmt.Sprintf("%s %s [policies]", arn, after.sets[arn]))
		}
	}
	assert.Equal(t, wantRemoved, removed, "users removed")
	assert.Empty(t, added, "users added")
	assert.Equal(t, wantStatus, statusChanged, "status changes")
	assert.Equal(t, wantSets, setsChanged, "permission sets changed")

	// The diff exports: one line per access change in jsonl.
	var buf bytes.Buffer
	require.NoError(t, review.ExportDiff(&buf, review.FormatJSONL, d))
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, len(wantAccess))
	for i, line := range lines {
		var r struct {
			jsonRow
			Change string `json:"change"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &r))
		assert.Equal(t, string(d.Access[i].Change), r.Change)
		assert.Equal(t, d.Access[i].UserID, r.UserID)
	}
}

// ---- golden files on the demo organisation -----------------------------------

func demoSnapshot(t *testing.T) *review.Snapshot {
	org := awsidctest.Demo()
	snap, err := review.Collect(context.Background(),
		identitycenter.New(org.IdentityStore(), org.IdentityStoreID()),
		permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN()),
		review.Options{InstanceARN: org.InstanceARN(), IdentityStoreID: org.IdentityStoreID(),
			Policies: true, Now: func() time.Time { return reviewTime }})
	require.NoError(t, err)
	return snap
}

func TestGoldenDemo(t *testing.T) {
	snap := demoSnapshot(t)
	for _, f := range review.Formats {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, review.Export(&buf, f, snap, review.Filter{}))
			path := filepath.Join("testdata", "golden", "demo."+string(f))
			if *updateGolden {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create the golden files")
			assert.Equal(t, string(want), buf.String())

			// A second demo organisation, collected afresh, gives the same bytes.
			var again bytes.Buffer
			require.NoError(t, review.Export(&again, f, demoSnapshot(t), review.Filter{}))
			assert.Equal(t, buf.String(), again.String())
		})
	}
}

func TestDemoSaveLoad(t *testing.T) {
	checkSaveLoad(t, demoSnapshot(t))
}

// TestDemoSnapshotFileStable checks that saving the demo twice gives the same
// bytes, so snapshot files can be compared and checked in.
func TestDemoSnapshotFileStable(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, demoSnapshot(t).Save(&a, false))
	require.NoError(t, demoSnapshot(t).Save(&b, false))
	assert.Equal(t, a.String(), b.String())
}
