package awsidctest

// The store: one Identity Center instance, its identity store and one AWS
// Organization, shared by every front end of the fake (the identitystore,
// ssoadmin and organizations clients here, and a SCIM server over HTTP).
//
// Invariants a front end may rely on, and must keep when it writes:
//
//   - All state sits behind store.mu. Methods named here take the lock
//     themselves; never call them with the lock held. Methods whose name ends
//     in "Locked" expect the caller to hold it (mu.Lock for writes, at least
//     mu.RLock for reads).
//   - Every object gets a seq from store.next(), strictly increasing, and is
//     listed in creation order in a seqList. Paging resumes after a seq, so
//     deletions between pages never skip or repeat an object.
//   - Users are kept as the SDK's identitystore types.User with every field,
//     the ids, the ARN, Revision, CreatedAt/UpdatedAt and UserStatus (ENABLED
//     or DISABLED: SCIM's "active") filled in. Groups likewise as types.Group.
//     Values handed out are deep copies; the stored ones are never shared.
//   - userName and group displayName are unique, compared case-insensitively
//     (userByName, groupByName). An external id (issuer and id) is unique per
//     kind (userByExt, groupByExt). Emails are indexed (userByEmail), not
//     unique: uniqueness of the primary email is a SCIM rule, checked there.
//   - A membership ties one live user to one live group, at most once per
//     pair. It sits in memberships, memByGroup, memByUser and memByPair.
//   - Deleting a user removes its memberships and its assignments (as AWS
//     does). Deleting a group removes its memberships and leaves its
//     assignments in place, orphaned.
//   - An assignment (account, permission set, principal) sits in assignments,
//     asgByTarget and asgByPrincipal. Its account and permission set exist;
//     its principal existed when it was created. Creating one provisions the
//     permission set to the account; deleting the last one of a pair
//     deprovisions it.
//   - Errors from the store are *storeError; each front end turns them into
//     its own typed errors (see errors.go).

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// errKind says which kind of failure a storeError is.
type errKind int

const (
	kindNotFound errKind = iota + 1
	kindConflict
	kindInvalid
	kindQuota
)

// Resource names used in storeError.resource.
const (
	resUser          = "USER"
	resGroup         = "GROUP"
	resMembership    = "GROUP_MEMBERSHIP"
	resAccount       = "ACCOUNT"
	resPermissionSet = "PERMISSION_SET"
	resAssignment    = "ACCOUNT_ASSIGNMENT"
	resRequest       = "REQUEST"
	resBoundary      = "PERMISSIONS_BOUNDARY"
	resCreateStatus  = "CREATE_ACCOUNT_STATUS"
	resIdentityStore = "IDENTITY_STORE"
	resInstance      = "INSTANCE"
)

// storeError is the error every store method returns. It matches ErrNotFound,
// ErrConflict, ErrInvalid or ErrQuota with errors.Is.
type storeError struct {
	kind       errKind
	resource   string
	id         string
	msg        string
	concurrent bool // a revision did not match
}

func (e *storeError) Error() string { return e.msg }

// Is reports whether target is the sentinel of e's kind.
func (e *storeError) Is(target error) bool {
	switch e.kind {
	case kindNotFound:
		return target == ErrNotFound
	case kindConflict:
		return target == ErrConflict
	case kindInvalid:
		return target == ErrInvalid
	case kindQuota:
		return target == ErrQuota
	}
	return false
}

func notFound(resource, id, msg string) error {
	return &storeError{kind: kindNotFound, resource: resource, id: id, msg: msg}
}

func conflict(resource, msg string) error {
	return &storeError{kind: kindConflict, resource: resource, msg: msg}
}

func staleRevision(resource string) error {
	return &storeError{kind: kindConflict, resource: resource, concurrent: true,
		msg: "the resource was modified: revision does not match"}
}

func invalid(msg string) error { return &storeError{kind: kindInvalid, msg: msg} }

// user is a stored user.
type user struct {
	seq uint64
	u   idtypes.User
}

// group is a stored group.
type group struct {
	seq uint64
	g   idtypes.Group
}

// membership ties one user to one group.
type membership struct {
	seq       uint64
	id        string
	groupID   string
	userID    string
	createdAt time.Time
}

type pair struct{ a, b string }

// store holds all state; see the note at the top of this file.
type store struct {
	mu    sync.RWMutex
	ids   *idGen
	clock func() time.Time
	seq   uint64
	rev   uint64

	instanceARN     string
	instanceName    string
	instanceCreated time.Time
	identityStoreID string
	managementID    string
	orgID           string
	orgExists       bool

	users       map[string]*user
	userOrder   seqList[*user]
	userByName  map[string]string
	userByExt   map[pair]string
	userByEmail map[string][]string

	groups      map[string]*group
	groupOrder  seqList[*group]
	groupByName map[string]string
	groupByExt  map[pair]string

	memberships map[string]*membership
	memByGroup  map[string]*seqList[*membership]
	memByUser   map[string]*seqList[*membership]
	memByPair   map[pair]*membership // (group id, user id)

	access
}

func newStore(ids *idGen, clock func() time.Time) *store {
	s := &store{
		ids:         ids,
		clock:       clock,
		users:       map[string]*user{},
		userByName:  map[string]string{},
		userByExt:   map[pair]string{},
		userByEmail: map[string][]string{},
		groups:      map[string]*group{},
		groupByName: map[string]string{},
		groupByExt:  map[pair]string{},
		memberships: map[string]*membership{},
		memByGroup:  map[string]*seqList[*membership]{},
		memByUser:   map[string]*seqList[*membership]{},
		memByPair:   map[pair]*membership{},
	}
	s.access.init()

	s.instanceARN = "arn:aws:sso:::instance/ssoins-" + ids.hexID("instance", 16)
	s.instanceName = "awsidctest"
	s.identityStoreID = "d-" + ids.digits("identitystore", 10)
	s.managementID = "111111111111"
	s.orgID = "o-" + ids.hexID("organization", 10)
	s.instanceCreated = clock()
	return s
}

// next returns the next seq. Callers hold mu for writing.
func (s *store) next() uint64 {
	s.seq++
	return s.seq
}

// nextRevision returns a fresh opaque revision. Callers hold mu for writing.
func (s *store) nextRevision() *string {
	s.rev++
	r := strconv.FormatUint(s.rev, 36)
	return &r
}

// entityID returns an Identity Store style id: the store's 10 digits, then a
// UUID, as AWS does.
func (s *store) entityID(kind string) string {
	return s.identityStoreID[2:] + "-" + s.ids.uuid(kind)
}

func (s *store) identityStoreARN() string {
	return "arn:aws:identitystore::" + s.managementID + ":identitystore/" + s.identityStoreID
}

func userARN(id string) string       { return "arn:aws:identitystore:::user/" + id }
func groupARN(id string) string      { return "arn:aws:identitystore:::group/" + id }
func membershipARN(id string) string { return "arn:aws:identitystore:::membership/" + id }

func fold(s string) string { return strings.ToLower(s) }

// ---- users ----------------------------------------------------------------

// validUserName applies the Identity Store rules for a userName.
func validUserName(name string) error {
	switch {
	case name == "":
		return invalid("userName must not be empty")
	case len([]rune(name)) > 128:
		return invalid("userName must be at most 128 characters")
	case strings.ContainsAny(name, "<>;:%"):
		return invalid("userName must not contain any of <>;:%")
	case strings.EqualFold(name, "Administrator"), strings.EqualFold(name, "AWSAdministrators"):
		return invalid("userName " + name + " is reserved")
	}
	return nil
}

// createUser stores a new user built from u, filling the ids, the ARN, the
// revision, the timestamps and UserStatus (ENABLED when empty). It checks only
// what the store guarantees (userName rules and uniqueness, external ids);
// each front end checks its own required fields first.
func (s *store) createUser(u idtypes.User) (idtypes.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createUserLocked(u)
}

func (s *store) createUserLocked(u idtypes.User) (idtypes.User, error) {
	u = cloneUser(u)
	if err := s.checkUserLocked("", &u); err != nil {
		return idtypes.User{}, err
	}

	id := s.entityID("user")
	now := s.clock()
	u.IdentityStoreId = ptr(s.identityStoreID)
	u.UserId = ptr(id)
	u.UserArn = ptr(userARN(id))
	u.Revision = s.nextRevision()
	u.CreatedAt, u.UpdatedAt = ptr(now), ptr(now)
	if u.UserStatus == "" {
		u.UserStatus = idtypes.UserStatusEnabled
	}

	st := &user{seq: s.next(), u: u}
	s.users[id] = st
	s.userOrder.add(st.seq, st)
	s.indexUserLocked(id, &u)
	return cloneUser(u), nil
}

// checkUserLocked validates u for storing under id ("" for a new user).
func (s *store) checkUserLocked(id string, u *idtypes.User) error {
	if err := validUserName(deref(u.UserName)); err != nil {
		return err
	}
	if other, ok := s.userByName[fold(*u.UserName)]; ok && other != id {
		return conflict(resUser, "a user with this userName already exists")
	}
	for _, x := range u.ExternalIds {
		if deref(x.Issuer) == "" || deref(x.Id) == "" {
			return invalid("external id needs both an issuer and an id")
		}
		if other, ok := s.userByExt[pair{*x.Issuer, *x.Id}]; ok && other != id {
			return conflict(resUser, "a user with this external id already exists")
		}
	}
	switch u.UserStatus {
	case "", idtypes.UserStatusEnabled, idtypes.UserStatusDisabled:
	default:
		return invalid("userStatus must be ENABLED or DISABLED")
	}
	return nil
}

func (s *store) indexUserLocked(id string, u *idtypes.User) {
	s.userByName[fold(*u.UserName)] = id
	for _, x := range u.ExternalIds {
		s.userByExt[pair{*x.Issuer, *x.Id}] = id
	}
	for _, e := range u.Emails {
		if v := fold(deref(e.Value)); v != "" {
			s.userByEmail[v] = append(s.userByEmail[v], id)
		}
	}
}

func (s *store) unindexUserLocked(id string, u *idtypes.User) {
	delete(s.userByName, fold(*u.UserName))
	for _, x := range u.ExternalIds {
		delete(s.userByExt, pair{*x.Issuer, *x.Id})
	}
	for _, e := range u.Emails {
		v := fold(deref(e.Value))
		ids := slices.DeleteFunc(s.userByEmail[v], func(x string) bool { return x == id })
		if len(ids) == 0 {
			delete(s.userByEmail, v)
		} else {
			s.userByEmail[v] = ids
		}
	}
}

// user returns a copy of the user with id.
func (s *store) user(id string) (idtypes.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.users[id]
	if !ok {
		return idtypes.User{}, notFound(resUser, id, "user not found")
	}
	return cloneUser(st.u), nil
}

// userIDByName returns the id of the user whose userName matches name,
// ignoring case.
func (s *store) userIDByName(name string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.userByName[fold(name)]
	return id, ok
}

// userIDsByEmail returns the ids of the users having email, ignoring case,
// in creation order.
func (s *store) userIDsByEmail(email string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := slices.Clone(s.userByEmail[fold(email)])
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Compare(s.users[a].seq, s.users[b].seq)
	})
	return ids
}

// userIDByExternalID returns the id of the user with the external id.
func (s *store) userIDByExternalID(issuer, id string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	uid, ok := s.userByExt[pair{issuer, id}]
	return uid, ok
}

// pageUsers returns up to n users created after the user with seq after,
// filtered by keep when not nil. Pass last back as after for the next page.
func (s *store) pageUsers(after uint64, n int, keep func(*idtypes.User) bool) (
	out []idtypes.User, last uint64, more bool,
) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var k func(*user) bool
	if keep != nil {
		k = func(u *user) bool { return keep(&u.u) }
	}
	page, last, more := s.userOrder.page(after, n, k)
	for _, u := range page {
		out = append(out, cloneUser(u.u))
	}
	return out, last, more
}

// userCount returns the number of users.
func (s *store) userCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.users)
}

// updateUser applies change to a copy of the user with id, checks the result
// and stores it with a new revision and UpdatedAt. The ids, ARN and
// CreatedAt cannot be changed. If revision is not empty it must match the
// stored one (ConflictException otherwise, as AWS does).
func (s *store) updateUser(
	id, revision string, change func(*idtypes.User) error,
) (idtypes.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.users[id]
	if !ok {
		return idtypes.User{}, notFound(resUser, id, "user not found")
	}
	if revision != "" && revision != *st.u.Revision {
		return idtypes.User{}, staleRevision(resUser)
	}

	u := cloneUser(st.u)
	if err := change(&u); err != nil {
		return idtypes.User{}, err
	}
	u.IdentityStoreId, u.UserId, u.UserArn = st.u.IdentityStoreId, st.u.UserId, st.u.UserArn
	u.CreatedAt, u.CreatedBy = st.u.CreatedAt, st.u.CreatedBy
	if err := s.checkUserLocked(id, &u); err != nil {
		return idtypes.User{}, err
	}
	if u.UserStatus == "" {
		u.UserStatus = idtypes.UserStatusEnabled
	}

	s.unindexUserLocked(id, &st.u)
	u.Revision = s.nextRevision()
	u.UpdatedAt = ptr(s.clock())
	st.u = u
	s.indexUserLocked(id, &st.u)
	return cloneUser(u), nil
}

// deleteUser deletes the user, its memberships and its assignments. If
// revision is not empty it must match the stored one.
func (s *store) deleteUser(id, revision string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteUserLocked(id, revision)
}

func (s *store) deleteUserLocked(id, revision string) error {
	st, ok := s.users[id]
	if !ok {
		return notFound(resUser, id, "user not found")
	}
	if revision != "" && revision != *st.u.Revision {
		return staleRevision(resUser)
	}

	for _, m := range s.memByUser[id].all() {
		s.removeMembershipLocked(m)
	}
	delete(s.memByUser, id)
	for _, a := range s.asgByPrincipal[pair{principalUser, id}].all() {
		s.removeAssignmentLocked(a)
	}
	delete(s.asgByPrincipal, pair{principalUser, id})

	s.unindexUserLocked(id, &st.u)
	s.userOrder.remove(st.seq)
	delete(s.users, id)
	return nil
}

// ---- groups ---------------------------------------------------------------

// createGroup stores a new group built from g, filling the ids, the ARN, the
// revision and the timestamps. displayName is required and unique.
func (s *store) createGroup(g idtypes.Group) (idtypes.Group, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createGroupLocked(g)
}

func (s *store) createGroupLocked(g idtypes.Group) (idtypes.Group, error) {
	g = cloneGroup(g)
	if err := s.checkGroupLocked("", &g); err != nil {
		return idtypes.Group{}, err
	}

	id := s.entityID("group")
	now := s.clock()
	g.IdentityStoreId = ptr(s.identityStoreID)
	g.GroupId = ptr(id)
	g.GroupArn = ptr(groupARN(id))
	g.Revision = s.nextRevision()
	g.CreatedAt, g.UpdatedAt = ptr(now), ptr(now)

	st := &group{seq: s.next(), g: g}
	s.groups[id] = st
	s.groupOrder.add(st.seq, st)
	s.indexGroupLocked(id, &g)
	return cloneGroup(g), nil
}

func (s *store) checkGroupLocked(id string, g *idtypes.Group) error {
	name := deref(g.DisplayName)
	switch {
	case name == "":
		return invalid("displayName must not be empty")
	case len([]rune(name)) > 1024:
		return invalid("displayName must be at most 1024 characters")
	}
	if other, ok := s.groupByName[fold(name)]; ok && other != id {
		return conflict(resGroup, "a group with this displayName already exists")
	}
	for _, x := range g.ExternalIds {
		if deref(x.Issuer) == "" || deref(x.Id) == "" {
			return invalid("external id needs both an issuer and an id")
		}
		if other, ok := s.groupByExt[pair{*x.Issuer, *x.Id}]; ok && other != id {
			return conflict(resGroup, "a group with this external id already exists")
		}
	}
	return nil
}

func (s *store) indexGroupLocked(id string, g *idtypes.Group) {
	s.groupByName[fold(*g.DisplayName)] = id
	for _, x := range g.ExternalIds {
		s.groupByExt[pair{*x.Issuer, *x.Id}] = id
	}
}

func (s *store) unindexGroupLocked(g *idtypes.Group) {
	delete(s.groupByName, fold(*g.DisplayName))
	for _, x := range g.ExternalIds {
		delete(s.groupByExt, pair{*x.Issuer, *x.Id})
	}
}

// group returns a copy of the group with id.
func (s *store) group(id string) (idtypes.Group, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.groups[id]
	if !ok {
		return idtypes.Group{}, notFound(resGroup, id, "group not found")
	}
	return cloneGroup(st.g), nil
}

// groupIDByName returns the id of the group whose displayName matches name,
// ignoring case.
func (s *store) groupIDByName(name string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.groupByName[fold(name)]
	return id, ok
}

// groupIDByExternalID returns the id of the group with the external id.
func (s *store) groupIDByExternalID(issuer, id string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	gid, ok := s.groupByExt[pair{issuer, id}]
	return gid, ok
}

// pageGroups returns up to n groups created after seq after, filtered by
// keep when not nil.
func (s *store) pageGroups(after uint64, n int, keep func(*idtypes.Group) bool) (
	out []idtypes.Group, last uint64, more bool,
) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var k func(*group) bool
	if keep != nil {
		k = func(g *group) bool { return keep(&g.g) }
	}
	page, last, more := s.groupOrder.page(after, n, k)
	for _, g := range page {
		out = append(out, cloneGroup(g.g))
	}
	return out, last, more
}

// updateGroup applies change to a copy of the group and stores the result,
// as updateUser does for users.
func (s *store) updateGroup(
	id, revision string, change func(*idtypes.Group) error,
) (idtypes.Group, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.groups[id]
	if !ok {
		return idtypes.Group{}, notFound(resGroup, id, "group not found")
	}
	if revision != "" && revision != *st.g.Revision {
		return idtypes.Group{}, staleRevision(resGroup)
	}

	g := cloneGroup(st.g)
	if err := change(&g); err != nil {
		return idtypes.Group{}, err
	}
	g.IdentityStoreId, g.GroupId, g.GroupArn = st.g.IdentityStoreId, st.g.GroupId, st.g.GroupArn
	g.CreatedAt, g.CreatedBy = st.g.CreatedAt, st.g.CreatedBy
	if err := s.checkGroupLocked(id, &g); err != nil {
		return idtypes.Group{}, err
	}

	s.unindexGroupLocked(&st.g)
	g.Revision = s.nextRevision()
	g.UpdatedAt = ptr(s.clock())
	st.g = g
	s.indexGroupLocked(id, &st.g)
	return cloneGroup(g), nil
}

// deleteGroup deletes the group and its memberships. Its assignments stay,
// orphaned, as on AWS.
func (s *store) deleteGroup(id, revision string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteGroupLocked(id, revision)
}

func (s *store) deleteGroupLocked(id, revision string) error {
	st, ok := s.groups[id]
	if !ok {
		return notFound(resGroup, id, "group not found")
	}
	if revision != "" && revision != *st.g.Revision {
		return staleRevision(resGroup)
	}

	for _, m := range s.memByGroup[id].all() {
		s.removeMembershipLocked(m)
	}
	delete(s.memByGroup, id)
	s.unindexGroupLocked(&st.g)
	s.groupOrder.remove(st.seq)
	delete(s.groups, id)
	return nil
}

// ---- memberships ----------------------------------------------------------

// addMembership puts the user in the group. Both must exist; a second
// membership of the same pair is a conflict.
func (s *store) addMembership(groupID, userID string) (membership, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addMembershipLocked(groupID, userID)
}

func (s *store) addMembershipLocked(groupID, userID string) (membership, error) {
	if _, ok := s.groups[groupID]; !ok {
		return membership{}, notFound(resGroup, groupID, "group not found")
	}
	if _, ok := s.users[userID]; !ok {
		return membership{}, notFound(resUser, userID, "user not found")
	}
	key := pair{groupID, userID}
	if _, ok := s.memByPair[key]; ok {
		return membership{}, conflict(resMembership, "the user is already a member of the group")
	}

	m := &membership{
		seq:       s.next(),
		id:        s.entityID("membership"),
		groupID:   groupID,
		userID:    userID,
		createdAt: s.clock(),
	}
	s.memberships[m.id] = m
	s.memByPair[key] = m
	if s.memByGroup[groupID] == nil {
		s.memByGroup[groupID] = &seqList[*membership]{}
	}
	s.memByGroup[groupID].add(m.seq, m)
	if s.memByUser[userID] == nil {
		s.memByUser[userID] = &seqList[*membership]{}
	}
	s.memByUser[userID].add(m.seq, m)
	return *m, nil
}

// removeMembership deletes the membership with id.
func (s *store) removeMembership(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.memberships[id]
	if !ok {
		return notFound(resMembership, id, "membership not found")
	}
	s.removeMembershipLocked(m)
	return nil
}

func (s *store) removeMembershipLocked(m *membership) {
	delete(s.memberships, m.id)
	delete(s.memByPair, pair{m.groupID, m.userID})
	s.memByGroup[m.groupID].remove(m.seq)
	s.memByUser[m.userID].remove(m.seq)
}

// membership returns the membership with id.
func (s *store) membership(id string) (membership, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.memberships[id]
	if !ok {
		return membership{}, notFound(resMembership, id, "membership not found")
	}
	return *m, nil
}

// membershipOf returns the membership of the user in the group, if any.
func (s *store) membershipOf(groupID, userID string) (membership, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.memByPair[pair{groupID, userID}]
	if !ok {
		return membership{}, false
	}
	return *m, true
}

// pageGroupMembers returns up to n memberships of the group after seq after.
// The group must exist.
func (s *store) pageGroupMembers(
	groupID string, after uint64, n int,
) ([]membership, uint64, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.groups[groupID]; !ok {
		return nil, 0, false, notFound(resGroup, groupID, "group not found")
	}
	return pageMemberships(s.memByGroup[groupID], after, n)
}

// pageUserGroups returns up to n memberships of the user after seq after.
// The user must exist.
func (s *store) pageUserGroups(
	userID string, after uint64, n int,
) ([]membership, uint64, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.users[userID]; !ok {
		return nil, 0, false, notFound(resUser, userID, "user not found")
	}
	return pageMemberships(s.memByUser[userID], after, n)
}

func pageMemberships(
	l *seqList[*membership], after uint64, n int,
) ([]membership, uint64, bool, error) {
	page, last, more := l.page(after, n, nil)
	out := make([]membership, len(page))
	for i, m := range page {
		out[i] = *m
	}
	return out, last, more, nil
}

// memberCount returns the number of members of a group (0 if it is unknown).
func (s *store) memberCount(groupID string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.memByGroup[groupID].len()
}

// ---- copies ---------------------------------------------------------------

func ptr[T any](v T) *T { return &v }

func cp[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// cloneUser returns a deep copy of u (Extensions documents are shared: they
// are immutable).
func cloneUser(u idtypes.User) idtypes.User {
	out := u
	out.IdentityStoreId, out.Revision = cp(u.IdentityStoreId), cp(u.Revision)
	out.UserArn, out.UserId = cp(u.UserArn), cp(u.UserId)
	out.Birthdate, out.CreatedAt, out.CreatedBy = cp(u.Birthdate), cp(u.CreatedAt), cp(u.CreatedBy)
	out.DisplayName, out.Locale, out.NickName = cp(u.DisplayName), cp(u.Locale), cp(u.NickName)
	out.PreferredLanguage, out.ProfileUrl = cp(u.PreferredLanguage), cp(u.ProfileUrl)
	out.Timezone, out.Title, out.UpdatedAt = cp(u.Timezone), cp(u.Title), cp(u.UpdatedAt)
	out.UpdatedBy, out.UserName, out.UserType = cp(u.UpdatedBy), cp(u.UserName), cp(u.UserType)
	out.Website = cp(u.Website)
	if u.Name != nil {
		n := *u.Name
		n.FamilyName, n.Formatted, n.GivenName = cp(n.FamilyName), cp(n.Formatted), cp(n.GivenName)
		n.HonorificPrefix, n.HonorificSuffix = cp(n.HonorificPrefix), cp(n.HonorificSuffix)
		n.MiddleName = cp(n.MiddleName)
		out.Name = &n
	}
	out.Addresses = cloneEach(u.Addresses, func(a idtypes.Address) idtypes.Address {
		a.Country, a.Formatted, a.Locality = cp(a.Country), cp(a.Formatted), cp(a.Locality)
		a.PostalCode, a.Region = cp(a.PostalCode), cp(a.Region)
		a.StreetAddress, a.Type = cp(a.StreetAddress), cp(a.Type)
		return a
	})
	out.Emails = cloneEach(u.Emails, func(e idtypes.Email) idtypes.Email {
		e.Type, e.Value = cp(e.Type), cp(e.Value)
		return e
	})
	out.ExternalIds = cloneExternalIDs(u.ExternalIds)
	out.PhoneNumbers = cloneEach(u.PhoneNumbers, func(p idtypes.PhoneNumber) idtypes.PhoneNumber {
		p.Type, p.Value = cp(p.Type), cp(p.Value)
		return p
	})
	out.Photos = cloneEach(u.Photos, func(p idtypes.Photo) idtypes.Photo {
		p.Display, p.Type, p.Value = cp(p.Display), cp(p.Type), cp(p.Value)
		return p
	})
	out.Roles = cloneEach(u.Roles, func(r idtypes.Role) idtypes.Role {
		r.Type, r.Value = cp(r.Type), cp(r.Value)
		return r
	})
	out.Extensions = maps.Clone(u.Extensions)
	return out
}

func cloneGroup(g idtypes.Group) idtypes.Group {
	out := g
	out.GroupArn, out.GroupId = cp(g.GroupArn), cp(g.GroupId)
	out.IdentityStoreId, out.Revision = cp(g.IdentityStoreId), cp(g.Revision)
	out.CreatedAt, out.CreatedBy = cp(g.CreatedAt), cp(g.CreatedBy)
	out.Description, out.DisplayName = cp(g.Description), cp(g.DisplayName)
	out.UpdatedAt, out.UpdatedBy = cp(g.UpdatedAt), cp(g.UpdatedBy)
	out.ExternalIds = cloneExternalIDs(g.ExternalIds)
	return out
}

func cloneExternalIDs(xs []idtypes.ExternalId) []idtypes.ExternalId {
	return cloneEach(xs, func(x idtypes.ExternalId) idtypes.ExternalId {
		x.Id, x.Issuer = cp(x.Id), cp(x.Issuer)
		return x
	})
}

func cloneEach[T any](xs []T, f func(T) T) []T {
	if xs == nil {
		return nil
	}
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
