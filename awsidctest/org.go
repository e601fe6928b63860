package awsidctest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// ExternalIDIssuer is the issuer the seeding helpers give to external ids.
const ExternalIDIssuer = "awsidctest-scim"

// ManagementAccountID is the id of the management account of every Org.
const ManagementAccountID = "111111111111"

// Org is the whole fake: one IAM Identity Center instance with its identity
// store, and the AWS Organization it belongs to. Its three clients share one
// store. An Org is safe for concurrent use.
type Org struct {
	s   *store
	ids *idGen

	mu           sync.Mutex
	interceptors []Interceptor
	calls        map[string]int
	pageLimit    int

	identityStore *IdentityStore
	ssoAdmin      *SSOAdmin
	organizations *Organizations
}

// Interceptor runs before every SDK-shaped call with the call's IAM action
// name, such as "identitystore:ListUsers", "sso:ListAccountAssignments" or
// "organizations:ListAccounts". A non-nil error fails the call with that
// error, before it reads or changes anything.
type Interceptor func(ctx context.Context, action string) error

// Option configures NewOrg.
type Option func(*options)

type options struct {
	interceptors    []Interceptor
	pageLimit       int
	seed            string
	clock           func() time.Time
	noOrganization  bool
	completionPolls int
	failer          func(op string, a Assignment) string
}

// WithInterceptor adds an interceptor. Several run in the order given; the
// first error stops the call.
func WithInterceptor(i Interceptor) Option {
	return func(o *options) { o.interceptors = append(o.interceptors, i) }
}

// WithPageLimit caps the items of every page at n, below what the caller
// asked for and what AWS allows, so that tests see several short pages.
func WithPageLimit(n int) Option {
	return func(o *options) { o.pageLimit = n }
}

// WithSeed sets the seed the ids are derived from. Two Orgs with the same
// seed given the same calls produce the same ids. The default is
// "awsidctest".
func WithSeed(seed string) Option {
	return func(o *options) { o.seed = seed }
}

// WithClock sets the clock used for every timestamp. The default is a
// deterministic clock that starts at 2026-01-15T09:00:00Z and moves one
// second each time it is read.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.clock = now }
}

// WithoutOrganization starts with no AWS Organization: organizations calls
// fail with AWSOrganizationsNotInUseException until CreateOrganization.
func WithoutOrganization() Option {
	return func(o *options) { o.noOrganization = true }
}

// WithCompletionPolls sets how many status reads (Describe or List of the
// creation or deletion status) an assignment request answers IN_PROGRESS
// before it reports its outcome. The default is 1; 0 makes requests finish
// at once (the write itself still answers IN_PROGRESS).
func WithCompletionPolls(n int) Option {
	return func(o *options) { o.completionPolls = n }
}

// WithAssignmentFailure makes assignment requests fail asynchronously: fail
// is called with op "create" or "delete" and the assignment, and a non-empty
// reason makes the request end FAILED with that FailureReason and leaves the
// assignments unchanged, as when AWS cannot create the IAM role.
func WithAssignmentFailure(fail func(op string, a Assignment) (reason string)) Option {
	return func(o *options) { o.failer = fail }
}

// logicalClock starts at a fixed time and moves one second per reading.
func logicalClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// NewOrg returns an empty Org: one instance
// (arn:aws:sso:::instance/ssoins-<16 hex>), an identity store
// (d-<10 digits>) and an organization whose only account is the management
// account 111111111111.
func NewOrg(opts ...Option) *Org {
	cfg := options{seed: "awsidctest", completionPolls: 1}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.clock == nil {
		cfg.clock = logicalClock()
	}

	ids := newIDGen(cfg.seed)
	o := &Org{
		s:            newStore(ids, cfg.clock),
		ids:          ids,
		interceptors: cfg.interceptors,
		calls:        map[string]int{},
		pageLimit:    cfg.pageLimit,
	}
	o.s.completionPolls = max(cfg.completionPolls, 0)
	o.s.failer = cfg.failer
	if !cfg.noOrganization {
		o.s.createOrganizationLocked()
	}
	o.identityStore = &IdentityStore{o: o}
	o.ssoAdmin = &SSOAdmin{o: o}
	o.organizations = &Organizations{o: o}
	return o
}

// createOrganizationLocked creates the organization with its management
// account.
func (s *store) createOrganizationLocked() {
	s.orgExists = true
	_, _ = s.addAccountLocked(orgtypes.Account{
		Id:    ptr(s.managementID),
		Name:  ptr("management"),
		Email: ptr("aws-management@example.com"),
	}, orgtypes.AccountJoinedMethodInvited)
}

// IdentityStore returns the identitystore client of the fake.
func (o *Org) IdentityStore() *IdentityStore { return o.identityStore }

// SSOAdmin returns the ssoadmin client of the fake.
func (o *Org) SSOAdmin() *SSOAdmin { return o.ssoAdmin }

// Organizations returns the organizations client of the fake.
func (o *Org) Organizations() *Organizations { return o.organizations }

// InstanceARN returns the ARN of the Identity Center instance.
func (o *Org) InstanceARN() string { return o.s.instanceARN }

// IdentityStoreID returns the id of the identity store (d-<10 digits>).
func (o *Org) IdentityStoreID() string { return o.s.identityStoreID }

// AddInterceptor adds an interceptor after the ones already present. It is
// safe to call while other goroutines make calls.
func (o *Org) AddInterceptor(i Interceptor) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.interceptors = append(slices.Clip(o.interceptors), i)
}

// Calls returns how many times each action was called, failed calls
// included.
func (o *Org) Calls() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return maps.Clone(o.calls)
}

// ResetCalls sets every call count back to zero.
func (o *Org) ResetCalls() {
	o.mu.Lock()
	defer o.mu.Unlock()
	clear(o.calls)
}

// enter starts an SDK-shaped call: it counts it, checks ctx and runs the
// interceptors.
func (o *Org) enter(ctx context.Context, action string) error {
	o.mu.Lock()
	o.calls[action]++
	chain := o.interceptors
	o.mu.Unlock()

	if err := ctx.Err(); err != nil {
		return err
	}
	for _, i := range chain {
		if err := i(ctx, action); err != nil {
			return err
		}
	}
	return nil
}

// pageSize returns the page size for maxResults, given the AWS default def
// and the AWS maximum hi, capped by WithPageLimit. A maxResults outside 1 to
// hi is invalid.
func (o *Org) pageSize(maxResults *int32, def, hi int32) (int, error) {
	n := def
	if maxResults != nil {
		n = *maxResults
	}
	if n < 1 || n > hi {
		return 0, invalid(fmt.Sprintf("maxResults must be between 1 and %d", hi))
	}
	if o.pageLimit > 0 && int(n) > o.pageLimit {
		return o.pageLimit, nil
	}
	return int(n), nil
}

// listRequest checks the paging fields of an SSO Admin or Identity Store
// list request, whose MaxResults defaults to and tops out at 100: it returns
// the page size and where the page starts. token must have been issued for
// op with the same params.
func (o *Org) listRequest(op string, params []string, maxResults *int32,
	token *string,
) (int, cursor, error) {
	n, err := o.pageSize(maxResults, 100, 100)
	if err != nil {
		return 0, cursor{}, err
	}
	cur, err := decodeToken(op, params, token)
	if err != nil {
		return 0, cursor{}, err
	}
	return n, cur, nil
}

// SettleAssignments finishes every assignment request still IN_PROGRESS.
func (o *Org) SettleAssignments() { o.s.settle() }

// ---- seeding --------------------------------------------------------------

// UserSeed describes a user for AddUser. Only UserName is required: users
// made outside SCIM may lack names and emails, and so may seeded ones.
type UserSeed struct {
	UserName    string
	DisplayName string
	GivenName   string
	FamilyName  string
	Email       string
	Status      string // "ENABLED" (default) or "DISABLED"
	ExternalID  string // stored with issuer ExternalIDIssuer
}

// AddUser adds a user without calling the interceptors and returns its id.
// A taken userName or external id gives an error matching ErrConflict.
func (o *Org) AddUser(u UserSeed) (string, error) {
	in := idtypes.User{UserName: ptr(u.UserName), UserStatus: idtypes.UserStatus(u.Status)}
	if u.DisplayName != "" {
		in.DisplayName = ptr(u.DisplayName)
	}
	if u.GivenName != "" || u.FamilyName != "" {
		in.Name = &idtypes.Name{}
		if u.GivenName != "" {
			in.Name.GivenName = ptr(u.GivenName)
		}
		if u.FamilyName != "" {
			in.Name.FamilyName = ptr(u.FamilyName)
		}
	}
	if u.Email != "" {
		in.Emails = []idtypes.Email{{Value: ptr(u.Email), Type: ptr("work"), Primary: true}}
	}
	if u.ExternalID != "" {
		in.ExternalIds = []idtypes.ExternalId{
			{Issuer: ptr(ExternalIDIssuer), Id: ptr(u.ExternalID)},
		}
	}

	out, err := o.s.createUser(in)
	if err != nil {
		return "", fmt.Errorf("add user %q: %w", u.UserName, err)
	}
	return *out.UserId, nil
}

// AddGroup adds a group without calling the interceptors and returns its id.
func (o *Org) AddGroup(displayName, description string) (string, error) {
	in := idtypes.Group{DisplayName: ptr(displayName)}
	if description != "" {
		in.Description = ptr(description)
	}
	out, err := o.s.createGroup(in)
	if err != nil {
		return "", fmt.Errorf("add group %q: %w", displayName, err)
	}
	return *out.GroupId, nil
}

// AddMember puts a user in a group and returns the membership id.
func (o *Org) AddMember(groupID, userID string) (string, error) {
	m, err := o.s.addMembership(groupID, userID)
	if err != nil {
		return "", fmt.Errorf("add member: %w", err)
	}
	return m.id, nil
}

// AccountSeed describes a member account for AddAccount.
type AccountSeed struct {
	ID    string // 12 digits; generated when empty
	Name  string
	Email string
	State string // organizations AccountState; "ACTIVE" when empty
}

// AddAccount adds a member account to the organization and returns its id.
func (o *Org) AddAccount(a AccountSeed) (string, error) {
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	in := orgtypes.Account{State: orgtypes.AccountState(a.State)}
	if a.ID != "" {
		in.Id = ptr(a.ID)
	}
	if a.Name != "" {
		in.Name = ptr(a.Name)
	}
	if a.Email != "" {
		in.Email = ptr(a.Email)
	}
	if !slices.Contains(orgtypes.AccountState("").Values(), in.State) && in.State != "" {
		return "", fmt.Errorf("add account %q: %w",
			a.Name, invalid("unknown account state "+a.State))
	}
	out, err := o.s.addAccountLocked(in, orgtypes.AccountJoinedMethodCreated)
	if err != nil {
		return "", fmt.Errorf("add account %q: %w", a.Name, err)
	}
	return *out.Id, nil
}

// CustomerManagedRef names a customer managed policy. An empty Path is "/".
type CustomerManagedRef struct {
	Name string
	Path string
}

// BoundarySeed is a permissions boundary: set exactly one field.
type BoundarySeed struct {
	ManagedPolicyARN string
	CustomerManaged  *CustomerManagedRef
}

// PermissionSetSeed describes a permission set for AddPermissionSet.
type PermissionSetSeed struct {
	Name            string
	Description     string
	SessionDuration string // ISO-8601, such as "PT8H"; "PT1H" when empty
	RelayState      string
	ManagedPolicies []string // AWS managed policy ARNs
	InlinePolicy    string   // JSON policy document
	CustomerManaged []CustomerManagedRef
	Boundary        *BoundarySeed
	Tags            map[string]string
}

// AddPermissionSet adds a permission set with its policies and tags and
// returns its ARN. Nothing is stored if any part is invalid.
func (o *Org) AddPermissionSet(p PermissionSetSeed) (string, error) {
	s := o.s
	s.mu.Lock()
	defer s.mu.Unlock()

	var tags []ssotypes.Tag
	for _, k := range slices.Sorted(maps.Keys(p.Tags)) {
		tags = append(tags, ssotypes.Tag{Key: ptr(k), Value: ptr(p.Tags[k])})
	}
	set, err := s.createPermissionSetLocked(p.Name, p.Description, p.RelayState,
		p.SessionDuration, tags)
	if err != nil {
		return "", fmt.Errorf("add permission set %q: %w", p.Name, err)
	}

	arn := *set.ps.PermissionSetArn
	err = func() error {
		for _, m := range p.ManagedPolicies {
			if err := s.attachManagedLocked(arn, m); err != nil {
				return err
			}
		}
		for _, c := range p.CustomerManaged {
			ref := ssotypes.CustomerManagedPolicyReference{Name: ptr(c.Name), Path: ptr(c.Path)}
			if err := s.attachCustomerLocked(arn, ref); err != nil {
				return err
			}
		}
		if p.InlinePolicy != "" {
			if err := s.putInlineLocked(arn, p.InlinePolicy); err != nil {
				return err
			}
		}
		if b := p.Boundary; b != nil {
			in := ssotypes.PermissionsBoundary{}
			if b.ManagedPolicyARN != "" {
				in.ManagedPolicyArn = ptr(b.ManagedPolicyARN)
			}
			if c := b.CustomerManaged; c != nil {
				in.CustomerManagedPolicyReference = &ssotypes.CustomerManagedPolicyReference{
					Name: ptr(c.Name), Path: ptr(c.Path),
				}
			}
			return s.putBoundaryLocked(arn, in)
		}
		return nil
	}()
	if err != nil {
		_ = s.deletePermissionSetLocked(arn)
		return "", fmt.Errorf("add permission set %q: %w", p.Name, err)
	}
	return arn, nil
}

// Assign creates an assignment at once, with no request to poll, and
// provisions the permission set to the account. The account, the permission
// set and the principal must exist; an existing assignment gives an error
// matching ErrConflict.
func (o *Org) Assign(accountID, permissionSetARN, principalType, principalID string) error {
	s := o.s
	s.mu.Lock()
	defer s.mu.Unlock()

	a := Assignment{accountID, permissionSetARN, principalType, principalID}
	if err := s.checkAssignmentLocked(a); err != nil {
		return fmt.Errorf("assign: %w", err)
	}
	if !s.principalExistsLocked(principalType, principalID) {
		return fmt.Errorf("assign: %w", notFound(principalType, principalID, "principal not found"))
	}
	if _, ok := s.assignments[a]; ok {
		return fmt.Errorf("assign: %w", conflict(resAssignment, "the assignment already exists"))
	}
	s.addAssignmentLocked(a)
	return nil
}

// DeleteUser deletes a user with the API's cascade: its memberships and its
// assignments go too.
func (o *Org) DeleteUser(id string) error {
	if err := o.s.deleteUser(id, ""); err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	return nil
}

// DeleteGroup deletes a group and its memberships. Its assignments stay,
// orphaned, as on AWS.
func (o *Org) DeleteGroup(id string) error {
	if err := o.s.deleteGroup(id, ""); err != nil {
		return fmt.Errorf("delete group: %w", err)
	}
	return nil
}

// Assignments returns every assignment, in creation order.
func (o *Org) Assignments() []Assignment {
	o.s.mu.RLock()
	defer o.s.mu.RUnlock()
	var out []Assignment
	for _, a := range o.s.asgOrder.all() {
		out = append(out, a.Assignment)
	}
	return out
}
