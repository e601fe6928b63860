package awsidctest

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// Principal types, as ssoadmin spells them.
const (
	principalUser  = string(ssotypes.PrincipalTypeUser)
	principalGroup = string(ssotypes.PrincipalTypeGroup)
)

// Quotas AWS enforces that the fake enforces too.
const (
	maxOutstandingCreations = 15
	maxPoliciesPerSet       = 25
	maxTagsPerResource      = 50
	maxInlinePolicyBytes    = 32768
)

// Assignment is one account assignment: a principal given a permission set on
// an account.
type Assignment struct {
	AccountID        string
	PermissionSetARN string
	PrincipalType    string // "USER" or "GROUP"
	PrincipalID      string
}

type account struct {
	seq uint64
	a   orgtypes.Account
}

type permissionSet struct {
	seq      uint64
	ps       ssotypes.PermissionSet
	managed  []ssotypes.AttachedManagedPolicy
	customer []ssotypes.CustomerManagedPolicyReference
	inline   string
	boundary *ssotypes.PermissionsBoundary
	tags     []ssotypes.Tag
}

type assignment struct {
	seq uint64
	Assignment
}

// provision records that a permission set is provisioned to an account;
// stale means the set changed since.
type provision struct {
	seq       uint64
	accountID string
	setARN    string
	stale     bool
}

// operation is one asynchronous assignment request. It reports IN_PROGRESS
// until it has been observed pollsLeft more times, then final.
type operation struct {
	seq       uint64
	creation  bool
	status    ssotypes.AccountAssignmentOperationStatus
	final     ssotypes.StatusValues
	failure   string
	pollsLeft int
	counted   bool // counted in pendingCreations
}

// access is the half of the store that holds accounts, permission sets,
// assignments and their requests. It shares store.mu.
type access struct {
	accounts       map[string]*account
	accountOrder   seqList[*account]
	accountByEmail map[string]string
	createStatuses map[string]*orgtypes.CreateAccountStatus

	sets      map[string]*permissionSet
	setOrder  seqList[*permissionSet]
	setByName map[string]string

	assignments    map[Assignment]*assignment
	asgOrder       seqList[*assignment]
	asgByTarget    map[pair]*seqList[*assignment]
	asgByPrincipal map[pair]*seqList[*assignment]

	provisions    map[pair]*provision
	provBySet     map[string]*seqList[*provision]
	provByAccount map[string]*seqList[*provision]

	operations       map[string]*operation
	creationOrder    seqList[*operation]
	deletionOrder    seqList[*operation]
	pendingCreations int

	completionPolls int
	failer          func(op string, a Assignment) string
}

func (x *access) init() {
	x.accounts = map[string]*account{}
	x.accountByEmail = map[string]string{}
	x.createStatuses = map[string]*orgtypes.CreateAccountStatus{}
	x.sets = map[string]*permissionSet{}
	x.setByName = map[string]string{}
	x.assignments = map[Assignment]*assignment{}
	x.asgByTarget = map[pair]*seqList[*assignment]{}
	x.asgByPrincipal = map[pair]*seqList[*assignment]{}
	x.provisions = map[pair]*provision{}
	x.provBySet = map[string]*seqList[*provision]{}
	x.provByAccount = map[string]*seqList[*provision]{}
	x.operations = map[string]*operation{}
	x.completionPolls = 1
}

func listIn[K comparable, T any](m map[K]*seqList[T], k K) *seqList[T] {
	l := m[k]
	if l == nil {
		l = &seqList[T]{}
		m[k] = l
	}
	return l
}

// ---- accounts -------------------------------------------------------------

var accountIDPattern = regexp.MustCompile(`^\d{12}$`)

func (s *store) accountARN(id string) string {
	return "arn:aws:organizations::" + s.managementID + ":account/" + s.orgID + "/" + id
}

func (s *store) organizationARN() string {
	return "arn:aws:organizations::" + s.managementID + ":organization/" + s.orgID
}

// addAccountLocked stores a member account. An empty id is generated; an
// empty state is ACTIVE.
func (s *store) addAccountLocked(a orgtypes.Account, method orgtypes.AccountJoinedMethod) (
	orgtypes.Account, error,
) {
	id := deref(a.Id)
	if id == "" {
		for id == "" || s.accounts[id] != nil {
			id = s.ids.digits("account", 12)
		}
	}
	switch {
	case !accountIDPattern.MatchString(id):
		return orgtypes.Account{}, invalid("account id must be 12 digits")
	case s.accounts[id] != nil:
		return orgtypes.Account{}, conflict(resAccount, "an account with this id already exists")
	case deref(a.Email) != "" && s.accountByEmail[fold(*a.Email)] != "":
		return orgtypes.Account{}, conflict(resAccount, "an account with this email already exists")
	}

	a.Id = ptr(id)
	a.Arn = ptr(s.accountARN(id))
	if a.State == "" {
		a.State = orgtypes.AccountStateActive
	}
	a.Status = statusOf(a.State)
	if a.JoinedMethod == "" {
		a.JoinedMethod = method
	}
	a.JoinedTimestamp = ptr(s.clock())

	st := &account{seq: s.next(), a: a}
	s.accounts[id] = st
	s.accountOrder.add(st.seq, st)
	if e := deref(a.Email); e != "" {
		s.accountByEmail[fold(e)] = id
	}
	return cloneAccount(a), nil
}

// statusOf maps an account state to the retired Status field.
func statusOf(st orgtypes.AccountState) orgtypes.AccountStatus {
	switch st {
	case orgtypes.AccountStateActive:
		return orgtypes.AccountStatusActive
	case orgtypes.AccountStateSuspended, orgtypes.AccountStateClosed:
		return orgtypes.AccountStatusSuspended
	case orgtypes.AccountStatePendingClosure:
		return orgtypes.AccountStatusPendingClosure
	}
	return ""
}

func cloneAccount(a orgtypes.Account) orgtypes.Account {
	a.Arn, a.Email, a.Id, a.Name = cp(a.Arn), cp(a.Email), cp(a.Id), cp(a.Name)
	a.JoinedTimestamp = cp(a.JoinedTimestamp)
	a.Paths = append([]string(nil), a.Paths...)
	if len(a.Paths) == 0 {
		a.Paths = nil
	}
	return a
}

func (s *store) accountLocked(id string) (*account, error) {
	a, ok := s.accounts[id]
	if !ok {
		return nil, notFound(resAccount, id, "account "+id+" not found")
	}
	return a, nil
}

// ---- permission sets --------------------------------------------------------

var (
	setNamePattern  = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)
	durationPattern = regexp.MustCompile(`^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$`)
	policyARNRegexp = regexp.MustCompile(
		`^arn:(aws|aws-us-gov|aws-cn):iam::(aws|\d{12}):policy/(.+/)?([^/]+)$`)
)

// parseSessionDuration checks an ISO-8601 duration between 1 and 12 hours.
func parseSessionDuration(d string) error {
	m := durationPattern.FindStringSubmatch(d)
	if m == nil || d == "PT" {
		return invalid("sessionDuration must be an ISO-8601 duration such as PT8H")
	}
	var total time.Duration
	for i, unit := range []time.Duration{time.Hour, time.Minute, time.Second} {
		if m[i+1] != "" {
			n, _ := strconv.Atoi(m[i+1])
			total += time.Duration(n) * unit
		}
	}
	if total < time.Hour || total > 12*time.Hour {
		return invalid("sessionDuration must be between PT1H and PT12H")
	}
	return nil
}

// createPermissionSetLocked stores a new permission set.
func (s *store) createPermissionSetLocked(name, description, relayState, duration string,
	tags []ssotypes.Tag,
) (*permissionSet, error) {
	if !setNamePattern.MatchString(name) {
		return nil, invalid("permission set name must match [\\w+=,.@-]{1,32}")
	}
	if _, ok := s.setByName[name]; ok {
		return nil, conflict(resPermissionSet, "a permission set named "+name+" already exists")
	}
	if len(description) > 700 {
		return nil, invalid("description must be at most 700 characters")
	}
	if len(relayState) > 240 {
		return nil, invalid("relayState must be at most 240 characters")
	}
	if duration == "" {
		duration = "PT1H"
	}
	if err := parseSessionDuration(duration); err != nil {
		return nil, err
	}

	instanceID := strings.TrimPrefix(s.instanceARN, "arn:aws:sso:::instance/")
	arn := "arn:aws:sso:::permissionSet/" + instanceID +
		"/ps-" + s.ids.hexID("permissionset", 16)
	p := &permissionSet{seq: s.next()}
	p.ps = ssotypes.PermissionSet{
		CreatedDate:      ptr(s.clock()),
		Name:             ptr(name),
		PermissionSetArn: ptr(arn),
		SessionDuration:  ptr(duration),
	}
	if description != "" {
		p.ps.Description = ptr(description)
	}
	if relayState != "" {
		p.ps.RelayState = ptr(relayState)
	}
	if err := p.tag(tags); err != nil {
		return nil, err
	}
	s.sets[arn] = p
	s.setOrder.add(p.seq, p)
	s.setByName[name] = arn
	return p, nil
}

// tag merges tags into the set's tags, keeping their order.
func (p *permissionSet) tag(tags []ssotypes.Tag) error {
	out := append([]ssotypes.Tag(nil), p.tags...)
	for _, t := range tags {
		k := deref(t.Key)
		if k == "" || len(k) > 128 || len(deref(t.Value)) > 256 {
			return invalid("tag keys must be 1-128 characters and values at most 256")
		}
		found := false
		for i := range out {
			if *out[i].Key == k {
				out[i].Value, found = ptr(deref(t.Value)), true
			}
		}
		if !found {
			out = append(out, ssotypes.Tag{Key: ptr(k), Value: ptr(deref(t.Value))})
		}
	}
	if len(out) > maxTagsPerResource {
		return &storeError{kind: kindQuota, resource: resPermissionSet, msg: "too many tags"}
	}
	p.tags = out
	return nil
}

func (s *store) setLocked(arn string) (*permissionSet, error) {
	p, ok := s.sets[arn]
	if !ok {
		return nil, notFound(resPermissionSet, arn, "permission set not found")
	}
	return p, nil
}

// markStaleLocked notes that the set changed: every account it is
// provisioned to now has an out-of-date copy.
func (s *store) markStaleLocked(arn string) {
	for _, pv := range s.provBySet[arn].all() {
		pv.stale = true
	}
}

func (p *permissionSet) policyCount() int { return len(p.managed) + len(p.customer) }

func (s *store) attachManagedLocked(arn, policyARN string) error {
	p, err := s.setLocked(arn)
	if err != nil {
		return err
	}
	m := policyARNRegexp.FindStringSubmatch(policyARN)
	if m == nil {
		return invalid("managedPolicyArn is not a valid IAM policy ARN")
	}
	for _, x := range p.managed {
		if *x.Arn == policyARN {
			return conflict(resPermissionSet, "the managed policy is already attached")
		}
	}
	if p.policyCount() >= maxPoliciesPerSet {
		return &storeError{kind: kindQuota, resource: resPermissionSet,
			msg: "a permission set can have at most 25 managed and customer managed policies"}
	}
	p.managed = append(p.managed,
		ssotypes.AttachedManagedPolicy{Arn: ptr(policyARN), Name: ptr(m[4])})
	s.markStaleLocked(arn)
	return nil
}

func (s *store) attachCustomerLocked(
	arn string, ref ssotypes.CustomerManagedPolicyReference,
) error {
	p, err := s.setLocked(arn)
	if err != nil {
		return err
	}
	ref, err = normaliseRef(ref)
	if err != nil {
		return err
	}
	for _, x := range p.customer {
		if *x.Name == *ref.Name && *x.Path == *ref.Path {
			return conflict(resPermissionSet, "the customer managed policy is already attached")
		}
	}
	if p.policyCount() >= maxPoliciesPerSet {
		return &storeError{kind: kindQuota, resource: resPermissionSet,
			msg: "a permission set can have at most 25 managed and customer managed policies"}
	}
	p.customer = append(p.customer, ref)
	s.markStaleLocked(arn)
	return nil
}

func normaliseRef(ref ssotypes.CustomerManagedPolicyReference) (
	ssotypes.CustomerManagedPolicyReference, error,
) {
	if deref(ref.Name) == "" || len(*ref.Name) > 128 {
		return ref, invalid("customer managed policy name must be 1-128 characters")
	}
	path := deref(ref.Path)
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") {
		return ref, invalid("customer managed policy path must begin and end with /")
	}
	return ssotypes.CustomerManagedPolicyReference{Name: ptr(*ref.Name), Path: ptr(path)}, nil
}

func (s *store) putInlineLocked(arn, doc string) error {
	p, err := s.setLocked(arn)
	if err != nil {
		return err
	}
	if doc == "" || len(doc) > maxInlinePolicyBytes || !json.Valid([]byte(doc)) {
		return invalid("inlinePolicy must be a JSON policy document of at most 32768 bytes")
	}
	p.inline = doc
	s.markStaleLocked(arn)
	return nil
}

func (s *store) putBoundaryLocked(arn string, b ssotypes.PermissionsBoundary) error {
	p, err := s.setLocked(arn)
	if err != nil {
		return err
	}
	out := ssotypes.PermissionsBoundary{}
	switch {
	case b.ManagedPolicyArn != nil && b.CustomerManagedPolicyReference != nil,
		b.ManagedPolicyArn == nil && b.CustomerManagedPolicyReference == nil:
		return invalid("permissionsBoundary needs exactly one of managedPolicyArn and " +
			"customerManagedPolicyReference")
	case b.ManagedPolicyArn != nil:
		if !policyARNRegexp.MatchString(*b.ManagedPolicyArn) {
			return invalid("managedPolicyArn is not a valid IAM policy ARN")
		}
		out.ManagedPolicyArn = ptr(*b.ManagedPolicyArn)
	default:
		ref, err := normaliseRef(*b.CustomerManagedPolicyReference)
		if err != nil {
			return err
		}
		out.CustomerManagedPolicyReference = &ref
	}
	p.boundary = &out
	s.markStaleLocked(arn)
	return nil
}

func cloneBoundary(b *ssotypes.PermissionsBoundary) *ssotypes.PermissionsBoundary {
	if b == nil {
		return nil
	}
	out := &ssotypes.PermissionsBoundary{ManagedPolicyArn: cp(b.ManagedPolicyArn)}
	if r := b.CustomerManagedPolicyReference; r != nil {
		out.CustomerManagedPolicyReference = &ssotypes.CustomerManagedPolicyReference{
			Name: cp(r.Name), Path: cp(r.Path),
		}
	}
	return out
}

func clonePermissionSet(p ssotypes.PermissionSet) *ssotypes.PermissionSet {
	p.CreatedDate, p.Description, p.Name = cp(p.CreatedDate), cp(p.Description), cp(p.Name)
	p.PermissionSetArn, p.RelayState = cp(p.PermissionSetArn), cp(p.RelayState)
	p.SessionDuration = cp(p.SessionDuration)
	return &p
}

// deletePermissionSetLocked deletes an unused permission set. AWS refuses to
// delete a set that is still provisioned to an account.
func (s *store) deletePermissionSetLocked(arn string) error {
	p, err := s.setLocked(arn)
	if err != nil {
		return err
	}
	if s.provBySet[arn].len() > 0 {
		return conflict(resPermissionSet, "the permission set is provisioned to accounts")
	}
	s.setOrder.remove(p.seq)
	delete(s.sets, arn)
	delete(s.setByName, *p.ps.Name)
	delete(s.provBySet, arn)
	return nil
}

// ---- provisioning ---------------------------------------------------------

// provisionLocked provisions the set to the account, or refreshes a stale
// copy.
func (s *store) provisionLocked(accountID, setARN string) {
	k := pair{accountID, setARN}
	if pv, ok := s.provisions[k]; ok {
		pv.stale = false
		return
	}
	pv := &provision{seq: s.next(), accountID: accountID, setARN: setARN}
	s.provisions[k] = pv
	listIn(s.provBySet, setARN).add(pv.seq, pv)
	listIn(s.provByAccount, accountID).add(pv.seq, pv)
}

func (s *store) deprovisionLocked(accountID, setARN string) {
	k := pair{accountID, setARN}
	pv, ok := s.provisions[k]
	if !ok {
		return
	}
	delete(s.provisions, k)
	s.provBySet[setARN].remove(pv.seq)
	s.provByAccount[accountID].remove(pv.seq)
}

// provisionFilter keeps provisions matching a ProvisioningStatus filter.
func provisionFilter(st ssotypes.ProvisioningStatus) func(*provision) bool {
	switch st {
	case ssotypes.ProvisioningStatusLatestPermissionSetProvisioned:
		return func(p *provision) bool { return !p.stale }
	case ssotypes.ProvisioningStatusLatestPermissionSetNotProvisioned:
		return func(p *provision) bool { return p.stale }
	}
	return nil
}

// ---- assignments ----------------------------------------------------------

// principalExistsLocked reports whether the principal exists now.
func (s *store) principalExistsLocked(ptype, id string) bool {
	switch ptype {
	case principalUser:
		return s.users[id] != nil
	case principalGroup:
		return s.groups[id] != nil
	}
	return false
}

// addAssignmentLocked stores a and provisions its set to its account. The
// caller has checked that it is new.
func (s *store) addAssignmentLocked(a Assignment) {
	st := &assignment{seq: s.next(), Assignment: a}
	s.assignments[a] = st
	s.asgOrder.add(st.seq, st)
	listIn(s.asgByTarget, pair{a.AccountID, a.PermissionSetARN}).add(st.seq, st)
	listIn(s.asgByPrincipal, pair{a.PrincipalType, a.PrincipalID}).add(st.seq, st)
	s.provisionLocked(a.AccountID, a.PermissionSetARN)
}

// removeAssignmentLocked deletes a stored assignment; removing the last one
// of its (account, permission set) pair deprovisions the set.
func (s *store) removeAssignmentLocked(a *assignment) {
	delete(s.assignments, a.Assignment)
	s.asgOrder.remove(a.seq)
	target := s.asgByTarget[pair{a.AccountID, a.PermissionSetARN}]
	target.remove(a.seq)
	if target.len() == 0 {
		delete(s.asgByTarget, pair{a.AccountID, a.PermissionSetARN})
		s.deprovisionLocked(a.AccountID, a.PermissionSetARN)
	}
	if l := s.asgByPrincipal[pair{a.PrincipalType, a.PrincipalID}]; l != nil {
		l.remove(a.seq)
	}
}

// checkAssignmentLocked validates the parts of a that must exist.
func (s *store) checkAssignmentLocked(a Assignment) error {
	if a.PrincipalType != principalUser && a.PrincipalType != principalGroup {
		return invalid("principalType must be USER or GROUP")
	}
	if !accountIDPattern.MatchString(a.AccountID) {
		return invalid("targetId must be a 12-digit account id")
	}
	if _, err := s.setLocked(a.PermissionSetARN); err != nil {
		return err
	}
	if _, err := s.accountLocked(a.AccountID); err != nil {
		return invalid("account " + a.AccountID + " is not in the organization")
	}
	return nil
}

// createAssignment starts an asynchronous creation. The assignment is
// visible at once (unless the failer fails it); the request reports
// IN_PROGRESS until observed completionPolls times.
func (s *store) createAssignment(a Assignment) (ssotypes.AccountAssignmentOperationStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkAssignmentLocked(a); err != nil {
		return ssotypes.AccountAssignmentOperationStatus{}, err
	}
	if !s.principalExistsLocked(a.PrincipalType, a.PrincipalID) {
		return ssotypes.AccountAssignmentOperationStatus{},
			invalid("principal " + a.PrincipalID + " does not exist in the identity store")
	}

	if _, ok := s.assignments[a]; ok {
		return s.startOperationLocked(true, a, ssotypes.StatusValuesSucceeded, "", true), nil
	}
	if s.pendingCreations >= maxOutstandingCreations {
		return ssotypes.AccountAssignmentOperationStatus{}, &storeError{kind: kindQuota,
			resource: resAssignment, msg: "too many account assignment creations in progress"}
	}

	reason := ""
	if s.failer != nil {
		reason = s.failer("create", a)
	}
	if reason == "" {
		s.addAssignmentLocked(a)
	}
	final := ssotypes.StatusValuesSucceeded
	if reason != "" {
		final = ssotypes.StatusValuesFailed
	}
	return s.startOperationLocked(true, a, final, reason, false), nil
}

// deleteAssignment starts an asynchronous deletion of an existing assignment.
func (s *store) deleteAssignment(a Assignment) (ssotypes.AccountAssignmentOperationStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.PrincipalType != principalUser && a.PrincipalType != principalGroup {
		return ssotypes.AccountAssignmentOperationStatus{},
			invalid("principalType must be USER or GROUP")
	}
	if _, err := s.setLocked(a.PermissionSetARN); err != nil {
		return ssotypes.AccountAssignmentOperationStatus{}, err
	}
	st, ok := s.assignments[a]
	if !ok {
		return ssotypes.AccountAssignmentOperationStatus{},
			notFound(resAssignment, "", "account assignment not found")
	}

	reason := ""
	if s.failer != nil {
		reason = s.failer("delete", a)
	}
	final := ssotypes.StatusValuesSucceeded
	if reason == "" {
		s.removeAssignmentLocked(st)
	} else {
		final = ssotypes.StatusValuesFailed
	}
	return s.startOperationLocked(false, a, final, reason, false), nil
}

func (s *store) startOperationLocked(creation bool, a Assignment, final ssotypes.StatusValues,
	reason string, immediate bool,
) ssotypes.AccountAssignmentOperationStatus {
	op := &operation{
		seq:       s.next(),
		creation:  creation,
		final:     final,
		failure:   reason,
		pollsLeft: s.completionPolls,
		status: ssotypes.AccountAssignmentOperationStatus{
			CreatedDate:      ptr(s.clock()),
			PermissionSetArn: ptr(a.PermissionSetARN),
			PrincipalId:      ptr(a.PrincipalID),
			PrincipalType:    ssotypes.PrincipalType(a.PrincipalType),
			RequestId:        ptr(s.ids.uuid("request")),
			Status:           ssotypes.StatusValuesInProgress,
			TargetId:         ptr(a.AccountID),
			TargetType:       ssotypes.TargetTypeAwsAccount,
		},
	}
	s.operations[*op.status.RequestId] = op
	if creation {
		s.creationOrder.add(op.seq, op)
	} else {
		s.deletionOrder.add(op.seq, op)
	}

	// The write answers IN_PROGRESS even when the request is already done,
	// except for a repeated create, which has nothing to do.
	answer := cloneOperation(op.status)
	switch {
	case immediate:
		s.finishLocked(op)
		answer = cloneOperation(op.status)
	case op.pollsLeft == 0:
		s.finishLocked(op)
	case creation:
		op.counted = true
		s.pendingCreations++
	}
	return answer
}

func (s *store) finishLocked(op *operation) {
	if op.status.Status != ssotypes.StatusValuesInProgress {
		return
	}
	op.status.Status = op.final
	if op.failure != "" {
		op.status.FailureReason = ptr(op.failure)
	}
	if op.counted {
		op.counted = false
		s.pendingCreations--
	}
}

// observeLocked returns op's status as one poll sees it, advancing it.
func (s *store) observeLocked(op *operation) ssotypes.AccountAssignmentOperationStatus {
	if op.status.Status == ssotypes.StatusValuesInProgress {
		if op.pollsLeft > 0 {
			op.pollsLeft--
		} else {
			s.finishLocked(op)
		}
	}
	return cloneOperation(op.status)
}

// settle finishes every request still in progress.
func (s *store) settle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, op := range s.operations {
		s.finishLocked(op)
	}
}

func cloneOperation(
	st ssotypes.AccountAssignmentOperationStatus,
) ssotypes.AccountAssignmentOperationStatus {
	st.CreatedDate, st.FailureReason = cp(st.CreatedDate), cp(st.FailureReason)
	st.PermissionSetArn, st.PrincipalId = cp(st.PermissionSetArn), cp(st.PrincipalId)
	st.RequestId, st.TargetId = cp(st.RequestId), cp(st.TargetId)
	return st
}

// pageForPrincipal pages the assignments of a principal. For a user, the
// assignments of each of its groups follow its own, as GROUP rows. The
// cursor is (segment, after): segment 0 is the principal's own list, and a
// membership's seq names the list of that group.
func (s *store) pageForPrincipalLocked(ptype, id, accountID string, seg, after uint64, n int) (
	rows []Assignment, nseg, nafter uint64, more bool,
) {
	keep := func(a *assignment) bool { return accountID == "" || a.AccountID == accountID }
	type segment struct {
		key  uint64
		list *seqList[*assignment]
	}
	segs := []segment{{0, s.asgByPrincipal[pair{ptype, id}]}}
	if ptype == principalUser {
		for _, m := range s.memByUser[id].all() {
			segs = append(segs, segment{m.seq, s.asgByPrincipal[pair{principalGroup, m.groupID}]})
		}
	}

	for _, sg := range segs {
		if sg.key < seg {
			continue
		}
		from := uint64(0)
		if sg.key == seg {
			from = after
		}
		if len(rows) == n {
			if probe, _, _ := sg.list.page(from, 1, keep); len(probe) > 0 {
				return rows, nseg, nafter, true
			}
			continue
		}
		page, last, m := sg.list.page(from, n-len(rows), keep)
		for _, a := range page {
			rows = append(rows, a.Assignment)
		}
		if len(page) > 0 {
			nseg, nafter = sg.key, last
		}
		if m {
			return rows, nseg, nafter, true
		}
	}
	return rows, nseg, nafter, false
}
