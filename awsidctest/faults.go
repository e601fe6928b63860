package awsidctest

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Fault names one kind of failure a [Faults] injects.
type Fault string

// The faults a [Faults] injects. The first five come from its interceptor;
// the page faults need the wrapped clients of [Faulty].
const (
	// FaultThrottle is the service's throttling error: ThrottlingException
	// for SSO Admin and the Identity Store, TooManyRequestsException for
	// Organizations (HTTP 400).
	FaultThrottle Fault = "throttle"
	// FaultServerError is an HTTP 500 InternalServerException (Organizations:
	// ServiceException) or, one time in two, an HTTP 503.
	FaultServerError Fault = "server-error"
	// FaultTimeout is a request that never got its answer: a network read
	// timeout or an HTTP client deadline, as the SDK reports them.
	FaultTimeout Fault = "timeout"
	// FaultSlow delays the call by Schedule.SlowDelay; the call then goes on.
	FaultSlow Fault = "slow"
	// FaultConflict is SSO Admin's ConflictException for a write that comes
	// right after another write.
	FaultConflict Fault = "conflict"
	// FaultShortPage cuts a page short, with a NextToken for the rest.
	FaultShortPage Fault = "short-page"
	// FaultEmptyPage answers a page with no items and a NextToken.
	FaultEmptyPage Fault = "empty-page"
	// FaultExpiredToken refuses a NextToken mid-listing, as AWS does once a
	// token has expired: ValidationException (Organizations:
	// InvalidInputException with reason INVALID_NEXT_TOKEN). At most once
	// per listing (operation and parameters), so that a listing restarted
	// from its first page gets through.
	FaultExpiredToken Fault = "expired-token"
)

// Schedule says how often each fault happens: every rate is a probability
// between 0 and 1, drawn per call (page faults: per page) from a random
// source seeded with Seed.
type Schedule struct {
	// Seed seeds the random source. With calls made one at a time, the same
	// seed injects the same faults; concurrent calls draw in whatever order
	// they arrive.
	Seed uint64

	// Throttle, ServerError and Timeout are the rates of failed calls; at
	// most one of them fails a call.
	Throttle    float64
	ServerError float64
	Timeout     float64
	// TimeoutDelay is how long a timed-out call waits before failing; zero
	// fails at once.
	TimeoutDelay time.Duration

	// Slow is the rate of calls delayed by SlowDelay (default 5ms).
	Slow      float64
	SlowDelay time.Duration

	// ConflictAfterWrite is the chance that an SSO Admin write leaves the
	// next SSO Admin write to fail with ConflictException, as AWS answers
	// while an operation on the same permission set is still in progress.
	ConflictAfterWrite float64

	// ShortPage, EmptyPage and ExpiredToken are the rates of page faults.
	ShortPage    float64
	EmptyPage    float64
	ExpiredToken float64

	// Actions, when not empty, limits the faults to these IAM actions; a
	// trailing "*" matches a prefix ("identitystore:List*").
	Actions []string
}

// Faults injects the failures of a [Schedule]. Its Intercept method is an
// [Interceptor] for the call faults; [Faulty] adds the page faults. A Faults
// is safe for concurrent use.
type Faults struct {
	s Schedule

	mu       sync.Mutex
	rnd      *rand.Rand
	injected map[Fault]int
	conflict bool                 // the next SSO Admin write fails
	pages    map[string]pageState // our NextTokens
	expired  map[string]bool      // listings whose token has expired once
	nextTok  int
}

// pageState is where one of our NextTokens resumes: the service's own token
// and how many items of that page were already returned.
type pageState struct {
	inner *string
	skip  int
}

// tokenPrefix starts every NextToken a Faulty client hands out.
const tokenPrefix = "awsidctest-faulty-"

// NewFaults returns a Faults injecting failures as s says.
func NewFaults(s Schedule) *Faults {
	if s.SlowDelay <= 0 {
		s.SlowDelay = 5 * time.Millisecond
	}
	return &Faults{
		s:        s,
		rnd:      rand.New(rand.NewPCG(s.Seed, s.Seed^0x9e3779b97f4a7c15)),
		injected: map[Fault]int{},
		pages:    map[string]pageState{},
		expired:  map[string]bool{},
	}
}

// Injected returns how many faults of each kind were injected so far.
func (f *Faults) Injected() map[Fault]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[Fault]int, len(f.injected))
	for k, v := range f.injected {
		out[k] = v
	}
	return out
}

// Total returns how many faults were injected so far, of every kind.
func (f *Faults) Total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, v := range f.injected {
		n += v
	}
	return n
}

func (f *Faults) applies(action string) bool {
	if len(f.s.Actions) == 0 {
		return true
	}
	for _, a := range f.s.Actions {
		if a == action || (strings.HasSuffix(a, "*") && strings.HasPrefix(action, a[:len(a)-1])) {
			return true
		}
	}
	return false
}

// roll reports, with probability p, true and counts fault. f.mu is held.
func (f *Faults) rollLocked(p float64, fault Fault) bool {
	if p <= 0 || f.rnd.Float64() >= p {
		return false
	}
	f.injected[fault]++
	return true
}

// Intercept is the call faults of the schedule as an [Interceptor]:
// throttling, server errors, timeouts, slow calls and conflicts after
// writes. Errors are shaped as the SDK returns them (an operation error
// around an HTTP response error around the service's typed exception), so
// retry policies see what they would see against AWS.
func (f *Faults) Intercept(ctx context.Context, action string) error {
	if !f.applies(action) {
		return nil
	}

	f.mu.Lock()
	var fault Fault
	u := f.rnd.Float64()
	switch s := f.s; {
	case u < s.Throttle:
		fault = FaultThrottle
	case u < s.Throttle+s.ServerError:
		fault = FaultServerError
	case u < s.Throttle+s.ServerError+s.Timeout:
		fault = FaultTimeout
	}
	if fault != "" {
		f.injected[fault]++
	}
	slow := fault == "" && f.rollLocked(f.s.Slow, FaultSlow)
	write := isSSOWrite(action)
	if fault == "" && write && f.conflict {
		fault = FaultConflict
		f.injected[fault]++
		f.conflict = false
	} else if fault == "" && write {
		f.conflict = f.rnd.Float64() < f.s.ConflictAfterWrite
	}
	odd := f.rnd.IntN(2) == 1
	f.mu.Unlock()

	switch fault {
	case FaultThrottle:
		return sdkError(action, http.StatusBadRequest, throttled(action, 0))
	case FaultServerError:
		status := http.StatusInternalServerError
		if odd {
			status = http.StatusServiceUnavailable
		}
		return sdkError(action, status, serverError(action))
	case FaultTimeout:
		if err := wait(ctx, f.s.TimeoutDelay); err != nil {
			return err
		}
		return timeoutError(action, odd)
	case FaultConflict:
		return sdkError(action, http.StatusConflict, &ssotypes.ConflictException{
			Message: ptr("An operation on this permission set is in progress. Retry later.")})
	}
	if slow {
		return wait(ctx, f.s.SlowDelay)
	}
	return nil
}

// isSSOWrite reports whether action is an SSO Admin call that changes state.
func isSSOWrite(action string) bool {
	op, ok := strings.CutPrefix(action, "sso:")
	if !ok {
		return false
	}
	for _, verb := range []string{"Create", "Delete", "Put", "Attach", "Detach", "Provision",
		"Update", "Tag", "Untag"} {
		if strings.HasPrefix(op, verb) {
			return true
		}
	}
	return false
}

func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// serviceID returns the SDK's service id of the service owning action.
func serviceID(action string) string {
	switch {
	case strings.HasPrefix(action, "identitystore:"):
		return "identitystore"
	case strings.HasPrefix(action, "organizations:"):
		return "Organizations"
	}
	return "SSO Admin"
}

// sdkError wraps err as the SDK returns a service's error response.
func sdkError(action string, status int, err error) error {
	_, op, _ := strings.Cut(action, ":")
	return &smithy.OperationError{ServiceID: serviceID(action), OperationName: op,
		Err: &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{
				Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status,
					Header: http.Header{}}},
				Err: err,
			},
			RequestID: deniedIDs.requestID(),
		}}
}

// serverError returns the internal error of the service that owns action.
func serverError(action string) error {
	msg := ptr("An internal error occurred. Retry the request.")
	switch {
	case strings.HasPrefix(action, "identitystore:"):
		return &idtypes.InternalServerException{Message: msg, RequestId: ptr(deniedIDs.requestID())}
	case strings.HasPrefix(action, "organizations:"):
		return &orgtypes.ServiceException{Message: msg}
	}
	return &ssotypes.InternalServerException{Message: msg}
}

// timeoutError returns a request that got no answer in time, as the SDK
// reports it: a network read timeout, or (deadline) the HTTP client's
// deadline.
func timeoutError(action string, deadline bool) error {
	_, op, _ := strings.Cut(action, ":")
	var err error = &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	if deadline {
		err = &url.Error{Op: "Post", URL: "https://" + serviceID(action) + ".amazonaws.com/",
			Err: context.DeadlineExceeded}
	}
	return &smithy.OperationError{ServiceID: serviceID(action), OperationName: op,
		Err: &smithyhttp.RequestSendError{Err: err}}
}

// tokenRefused returns the error of the service owning action for a
// NextToken it no longer accepts.
func tokenRefused(action string) error {
	msg := ptr("The pagination token is invalid or has expired.")
	var err error
	switch {
	case strings.HasPrefix(action, "identitystore:"):
		err = &idtypes.ValidationException{Message: msg, RequestId: ptr(deniedIDs.requestID())}
	case strings.HasPrefix(action, "organizations:"):
		err = &orgtypes.InvalidInputException{Message: msg,
			Reason: orgtypes.InvalidInputExceptionReasonInvalidPaginationToken}
	default:
		err = &ssotypes.ValidationException{Message: msg}
	}
	return sdkError(action, http.StatusBadRequest, err)
}

// shapePage runs one page of a list through the page faults. token is the
// NextToken the caller sent; call reads the page of the service's own
// token; items and next reach into the output.
func shapePage[O, T any](f *Faults, action string, in any, token *string,
	call func(token *string) (*O, error), items func(*O) *[]T, next func(*O) **string) (*O, error) {
	if !f.applies(action) {
		return call(token)
	}
	listing := listingKey(action, in)

	// Resolve our token, or expire it.
	inner, skip := token, 0
	if token != nil && strings.HasPrefix(*token, tokenPrefix) {
		f.mu.Lock()
		st, ok := f.pages[*token]
		expire := ok && !f.expired[listing] && f.rollLocked(f.s.ExpiredToken, FaultExpiredToken)
		if expire {
			f.expired[listing] = true
			delete(f.pages, *token)
		}
		f.mu.Unlock()
		if !ok || expire {
			return nil, tokenRefused(action)
		}
		inner, skip = st.inner, st.skip
	}

	f.mu.Lock()
	empty := f.rollLocked(f.s.EmptyPage, FaultEmptyPage)
	f.mu.Unlock()
	if empty {
		out := new(O)
		*next(out) = f.token(pageState{inner: inner, skip: skip})
		return out, nil
	}

	out, err := call(inner)
	if err != nil {
		return nil, err
	}
	all := *items(out)
	page := all[min(skip, len(all)):]

	f.mu.Lock()
	short := len(page) > 1 && f.rollLocked(f.s.ShortPage, FaultShortPage)
	cut := 0
	if short {
		cut = 1 + f.rnd.IntN(len(page)-1)
	}
	f.mu.Unlock()
	switch {
	case short:
		*items(out) = slices.Clone(page[:cut])
		*next(out) = f.token(pageState{inner: inner, skip: skip + cut})
	case *next(out) != nil && **next(out) != "":
		*items(out) = page
		*next(out) = f.token(pageState{inner: *next(out)})
	default:
		*items(out) = page
	}
	return out, nil
}

// token stores st and returns a new NextToken for it.
func (f *Faults) token(st pageState) *string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextTok++
	t := tokenPrefix + strconv.Itoa(f.nextTok)
	f.pages[t] = st
	return &t
}

// listingKey names one listing: the operation and its parameters other than
// the token.
func listingKey(action string, in any) string {
	b, _ := json.Marshal(in)
	return action + "|" + string(b)
}

// FaultyOrg is an [Org] whose clients inject the faults of a [Faults]: the
// call faults through its interceptor, the page faults in the list
// operations awsidc pages through. Everything else is the Org's.
type FaultyOrg struct {
	*Org
	identityStore *FaultyIdentityStore
	ssoAdmin      *FaultySSOAdmin
	organizations *FaultyOrganizations
}

// Faulty adds f's interceptor to o and returns o with clients that also
// inject f's page faults. Seeding helpers and Org methods go straight to o.
func Faulty(o *Org, f *Faults) *FaultyOrg {
	o.AddInterceptor(f.Intercept)
	return &FaultyOrg{
		Org:           o,
		identityStore: &FaultyIdentityStore{IdentityStore: o.IdentityStore(), f: f},
		ssoAdmin:      &FaultySSOAdmin{SSOAdmin: o.SSOAdmin(), f: f},
		organizations: &FaultyOrganizations{Organizations: o.Organizations(), f: f},
	}
}

// IdentityStore returns the faulty identitystore client.
func (o *FaultyOrg) IdentityStore() *FaultyIdentityStore { return o.identityStore }

// SSOAdmin returns the faulty ssoadmin client.
func (o *FaultyOrg) SSOAdmin() *FaultySSOAdmin { return o.ssoAdmin }

// Organizations returns the faulty organizations client.
func (o *FaultyOrg) Organizations() *FaultyOrganizations { return o.organizations }

// FaultyIdentityStore is an [IdentityStore] whose list operations inject
// page faults. It has every method of IdentityStore.
type FaultyIdentityStore struct {
	*IdentityStore
	f *Faults
}

// ListUsers is [IdentityStore.ListUsers] with page faults.
func (c *FaultyIdentityStore) ListUsers(ctx context.Context, in *identitystore.ListUsersInput,
	optFns ...func(*identitystore.Options)) (*identitystore.ListUsersOutput, error) {
	if in == nil {
		return c.IdentityStore.ListUsers(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "identitystore:ListUsers", &cp, in.NextToken,
		func(tok *string) (*identitystore.ListUsersOutput, error) {
			req := cp
			req.NextToken = tok
			return c.IdentityStore.ListUsers(ctx, &req, optFns...)
		},
		func(o *identitystore.ListUsersOutput) *[]idtypes.User { return &o.Users },
		func(o *identitystore.ListUsersOutput) **string { return &o.NextToken })
}

// ListGroups is [IdentityStore.ListGroups] with page faults.
func (c *FaultyIdentityStore) ListGroups(ctx context.Context, in *identitystore.ListGroupsInput,
	optFns ...func(*identitystore.Options)) (*identitystore.ListGroupsOutput, error) {
	if in == nil {
		return c.IdentityStore.ListGroups(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "identitystore:ListGroups", &cp, in.NextToken,
		func(tok *string) (*identitystore.ListGroupsOutput, error) {
			req := cp
			req.NextToken = tok
			return c.IdentityStore.ListGroups(ctx, &req, optFns...)
		},
		func(o *identitystore.ListGroupsOutput) *[]idtypes.Group { return &o.Groups },
		func(o *identitystore.ListGroupsOutput) **string { return &o.NextToken })
}

// ListGroupMemberships is [IdentityStore.ListGroupMemberships] with page
// faults.
func (c *FaultyIdentityStore) ListGroupMemberships(ctx context.Context,
	in *identitystore.ListGroupMembershipsInput, optFns ...func(*identitystore.Options)) (
	*identitystore.ListGroupMembershipsOutput, error) {
	if in == nil {
		return c.IdentityStore.ListGroupMemberships(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "identitystore:ListGroupMemberships", &cp, in.NextToken,
		func(tok *string) (*identitystore.ListGroupMembershipsOutput, error) {
			req := cp
			req.NextToken = tok
			return c.IdentityStore.ListGroupMemberships(ctx, &req, optFns...)
		},
		func(o *identitystore.ListGroupMembershipsOutput) *[]idtypes.GroupMembership {
			return &o.GroupMemberships
		},
		func(o *identitystore.ListGroupMembershipsOutput) **string { return &o.NextToken })
}

// ListGroupMembershipsForMember is
// [IdentityStore.ListGroupMembershipsForMember] with page faults.
func (c *FaultyIdentityStore) ListGroupMembershipsForMember(ctx context.Context,
	in *identitystore.ListGroupMembershipsForMemberInput, optFns ...func(*identitystore.Options)) (
	*identitystore.ListGroupMembershipsForMemberOutput, error) {
	if in == nil {
		return c.IdentityStore.ListGroupMembershipsForMember(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "identitystore:ListGroupMembershipsForMember", &cp, in.NextToken,
		func(tok *string) (*identitystore.ListGroupMembershipsForMemberOutput, error) {
			req := cp
			req.NextToken = tok
			return c.IdentityStore.ListGroupMembershipsForMember(ctx, &req, optFns...)
		},
		func(o *identitystore.ListGroupMembershipsForMemberOutput) *[]idtypes.GroupMembership {
			return &o.GroupMemberships
		},
		func(o *identitystore.ListGroupMembershipsForMemberOutput) **string {
			return &o.NextToken
		})
}

// FaultySSOAdmin is an [SSOAdmin] whose list operations inject page faults.
// It has every method of SSOAdmin.
type FaultySSOAdmin struct {
	*SSOAdmin
	f *Faults
}

// ListInstances is [SSOAdmin.ListInstances] with page faults.
func (c *FaultySSOAdmin) ListInstances(ctx context.Context, in *ssoadmin.ListInstancesInput,
	optFns ...func(*ssoadmin.Options)) (*ssoadmin.ListInstancesOutput, error) {
	if in == nil {
		return c.SSOAdmin.ListInstances(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "sso:ListInstances", &cp, in.NextToken,
		func(tok *string) (*ssoadmin.ListInstancesOutput, error) {
			req := cp
			req.NextToken = tok
			return c.SSOAdmin.ListInstances(ctx, &req, optFns...)
		},
		func(o *ssoadmin.ListInstancesOutput) *[]ssotypes.InstanceMetadata { return &o.Instances },
		func(o *ssoadmin.ListInstancesOutput) **string { return &o.NextToken })
}

// ListPermissionSets is [SSOAdmin.ListPermissionSets] with page faults.
func (c *FaultySSOAdmin) ListPermissionSets(ctx context.Context,
	in *ssoadmin.ListPermissionSetsInput, optFns ...func(*ssoadmin.Options)) (
	*ssoadmin.ListPermissionSetsOutput, error) {
	if in == nil {
		return c.SSOAdmin.ListPermissionSets(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "sso:ListPermissionSets", &cp, in.NextToken,
		func(tok *string) (*ssoadmin.ListPermissionSetsOutput, error) {
			req := cp
			req.NextToken = tok
			return c.SSOAdmin.ListPermissionSets(ctx, &req, optFns...)
		},
		func(o *ssoadmin.ListPermissionSetsOutput) *[]string { return &o.PermissionSets },
		func(o *ssoadmin.ListPermissionSetsOutput) **string { return &o.NextToken })
}

// ListAccountsForProvisionedPermissionSet is
// [SSOAdmin.ListAccountsForProvisionedPermissionSet] with page faults.
func (c *FaultySSOAdmin) ListAccountsForProvisionedPermissionSet(ctx context.Context,
	in *ssoadmin.ListAccountsForProvisionedPermissionSetInput, optFns ...func(*ssoadmin.Options)) (
	*ssoadmin.ListAccountsForProvisionedPermissionSetOutput, error) {
	if in == nil {
		return c.SSOAdmin.ListAccountsForProvisionedPermissionSet(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "sso:ListAccountsForProvisionedPermissionSet", &cp, in.NextToken,
		func(tok *string) (*ssoadmin.ListAccountsForProvisionedPermissionSetOutput, error) {
			req := cp
			req.NextToken = tok
			return c.SSOAdmin.ListAccountsForProvisionedPermissionSet(ctx, &req, optFns...)
		},
		func(o *ssoadmin.ListAccountsForProvisionedPermissionSetOutput) *[]string {
			return &o.AccountIds
		},
		func(o *ssoadmin.ListAccountsForProvisionedPermissionSetOutput) **string {
			return &o.NextToken
		})
}

// ListPermissionSetsProvisionedToAccount is
// [SSOAdmin.ListPermissionSetsProvisionedToAccount] with page faults.
func (c *FaultySSOAdmin) ListPermissionSetsProvisionedToAccount(ctx context.Context,
	in *ssoadmin.ListPermissionSetsProvisionedToAccountInput, optFns ...func(*ssoadmin.Options)) (
	*ssoadmin.ListPermissionSetsProvisionedToAccountOutput, error) {
	if in == nil {
		return c.SSOAdmin.ListPermissionSetsProvisionedToAccount(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "sso:ListPermissionSetsProvisionedToAccount", &cp, in.NextToken,
		func(tok *string) (*ssoadmin.ListPermissionSetsProvisionedToAccountOutput, error) {
			req := cp
			req.NextToken = tok
			return c.SSOAdmin.ListPermissionSetsProvisionedToAccount(ctx, &req, optFns...)
		},
		func(o *ssoadmin.ListPermissionSetsProvisionedToAccountOutput) *[]string {
			return &o.PermissionSets
		},
		func(o *ssoadmin.ListPermissionSetsProvisionedToAccountOutput) **string {
			return &o.NextToken
		})
}

// ListAccountAssignments is [SSOAdmin.ListAccountAssignments] with page
// faults.
func (c *FaultySSOAdmin) ListAccountAssignments(ctx context.Context,
	in *ssoadmin.ListAccountAssignmentsInput, optFns ...func(*ssoadmin.Options)) (
	*ssoadmin.ListAccountAssignmentsOutput, error) {
	if in == nil {
		return c.SSOAdmin.ListAccountAssignments(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "sso:ListAccountAssignments", &cp, in.NextToken,
		func(tok *string) (*ssoadmin.ListAccountAssignmentsOutput, error) {
			req := cp
			req.NextToken = tok
			return c.SSOAdmin.ListAccountAssignments(ctx, &req, optFns...)
		},
		func(o *ssoadmin.ListAccountAssignmentsOutput) *[]ssotypes.AccountAssignment {
			return &o.AccountAssignments
		},
		func(o *ssoadmin.ListAccountAssignmentsOutput) **string { return &o.NextToken })
}

// ListAccountAssignmentsForPrincipal is
// [SSOAdmin.ListAccountAssignmentsForPrincipal] with page faults.
func (c *FaultySSOAdmin) ListAccountAssignmentsForPrincipal(ctx context.Context,
	in *ssoadmin.ListAccountAssignmentsForPrincipalInput, optFns ...func(*ssoadmin.Options)) (
	*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error) {
	if in == nil {
		return c.SSOAdmin.ListAccountAssignmentsForPrincipal(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "sso:ListAccountAssignmentsForPrincipal", &cp, in.NextToken,
		func(tok *string) (*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error) {
			req := cp
			req.NextToken = tok
			return c.SSOAdmin.ListAccountAssignmentsForPrincipal(ctx, &req, optFns...)
		},
		func(o *ssoadmin.ListAccountAssignmentsForPrincipalOutput) *[]principalAssignment {
			return &o.AccountAssignments
		},
		func(o *ssoadmin.ListAccountAssignmentsForPrincipalOutput) **string {
			return &o.NextToken
		})
}

type principalAssignment = ssotypes.AccountAssignmentForPrincipal

// FaultyOrganizations is an [Organizations] whose ListAccounts injects page
// faults. It has every method of Organizations.
type FaultyOrganizations struct {
	*Organizations
	f *Faults
}

// ListAccounts is [Organizations.ListAccounts] with page faults.
func (c *FaultyOrganizations) ListAccounts(ctx context.Context,
	in *organizations.ListAccountsInput, optFns ...func(*organizations.Options)) (
	*organizations.ListAccountsOutput, error) {
	if in == nil {
		return c.Organizations.ListAccounts(ctx, in, optFns...)
	}
	cp := *in
	cp.NextToken = nil
	return shapePage(c.f, "organizations:ListAccounts", &cp, in.NextToken,
		func(tok *string) (*organizations.ListAccountsOutput, error) {
			req := cp
			req.NextToken = tok
			return c.Organizations.ListAccounts(ctx, &req, optFns...)
		},
		func(o *organizations.ListAccountsOutput) *[]orgtypes.Account { return &o.Accounts },
		func(o *organizations.ListAccountsOutput) **string { return &o.NextToken })
}
