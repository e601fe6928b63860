package awsidctest

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"golang.org/x/time/rate"
)

// Quotas are the throttle limits a [Throttle] enforces, in calls per second
// per AWS throttle bucket, with the latency each call takes.
type Quotas struct {
	// SSOAdmin is shared by every SSO Admin operation together (AWS: 20).
	SSOAdmin float64
	// IdentityStore applies to each Identity Store operation on its own
	// (AWS: 20 per API).
	IdentityStore float64
	// ListAccounts is Organizations' ListAccounts limit (AWS: 8).
	ListAccounts float64
	// Organizations applies to each other Organizations operation on its own
	// (AWS: 20 for DescribeAccount).
	Organizations float64

	// Burst is how much time's worth of calls a bucket holds when full: a
	// bucket of rate r admits max(1, r×Burst) calls at once. AWS does not
	// document its bursts; zero means 100ms.
	Burst time.Duration
	// Latency is how long every call takes, throttled ones included; zero
	// means none.
	Latency time.Duration
	// RetryAfterSeconds is put on the Identity Store's ThrottlingException,
	// as AWS may; zero leaves it out.
	RetryAfterSeconds int32
}

// AWSQuotas are AWS's documented throttle limits, with no latency.
var AWSQuotas = Quotas{SSOAdmin: 20, IdentityStore: 20, ListAccounts: 8, Organizations: 20}

// Scale returns q with every rate multiplied by f and the latency divided by
// f, so that a run takes 1/f of the time it takes at q.
func (q Quotas) Scale(f float64) Quotas {
	q.SSOAdmin *= f
	q.IdentityStore *= f
	q.ListAccounts *= f
	q.Organizations *= f
	q.Latency = time.Duration(float64(q.Latency) / f)
	return q
}

// Rate returns the rate of the bucket action draws from; zero means the
// action is not limited.
func (q Quotas) Rate(action string) float64 {
	switch {
	case strings.HasPrefix(action, "sso:"):
		return q.SSOAdmin
	case strings.HasPrefix(action, "identitystore:"):
		return q.IdentityStore
	case action == "organizations:ListAccounts":
		return q.ListAccounts
	case strings.HasPrefix(action, "organizations:"):
		return q.Organizations
	}
	return 0
}

// QuotaBucket names the AWS throttle bucket an IAM action draws from: one
// for all of SSO Admin ("sso"), one per Identity Store and Organizations
// operation (the action itself).
func QuotaBucket(action string) string {
	if strings.HasPrefix(action, "sso:") {
		return "sso"
	}
	return action
}

// Throttle enforces [Quotas] on an Org as AWS does: one token bucket per
// throttle bucket, and a call that finds its bucket empty fails with the
// service's throttling error (ThrottlingException for SSO Admin and the
// Identity Store, TooManyRequestsException for Organizations). Every call,
// throttled or not, first waits Latency. A Throttle is safe for concurrent
// use.
type Throttle struct {
	q Quotas

	mu       sync.Mutex
	buckets  map[string]*rate.Limiter
	admitted map[string]int

	throttled atomic.Int64
}

// NewThrottle returns a Throttle enforcing q. Add it to an Org with
// WithInterceptor(t.Intercept) or AddInterceptor(t.Intercept).
func NewThrottle(q Quotas) *Throttle {
	if q.Burst <= 0 {
		q.Burst = 100 * time.Millisecond
	}
	return &Throttle{q: q, buckets: map[string]*rate.Limiter{}, admitted: map[string]int{}}
}

// Intercept is the Throttle as an [Interceptor].
func (t *Throttle) Intercept(ctx context.Context, action string) error {
	if t.q.Latency > 0 {
		tm := time.NewTimer(t.q.Latency)
		select {
		case <-ctx.Done():
			tm.Stop()
			return ctx.Err()
		case <-tm.C:
		}
	}
	l := t.bucket(action)
	if l == nil || l.Allow() {
		t.mu.Lock()
		t.admitted[QuotaBucket(action)]++
		t.mu.Unlock()
		return nil
	}
	t.throttled.Add(1)
	return throttled(action, t.q.RetryAfterSeconds)
}

// Throttled returns how many calls have been throttled.
func (t *Throttle) Throttled() int64 { return t.throttled.Load() }

// Admitted returns how many calls each bucket let through.
func (t *Throttle) Admitted() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int, len(t.admitted))
	for k, v := range t.admitted {
		out[k] = v
	}
	return out
}

func (t *Throttle) bucket(action string) *rate.Limiter {
	r := t.q.Rate(action)
	if r <= 0 {
		return nil
	}
	key := QuotaBucket(action)
	t.mu.Lock()
	defer t.mu.Unlock()
	l, ok := t.buckets[key]
	if !ok {
		burst := max(1, int(r*t.q.Burst.Seconds()))
		l = rate.NewLimiter(rate.Limit(r), burst)
		t.buckets[key] = l
	}
	return l
}

// throttled returns the throttling error of the service that owns action.
func throttled(action string, retryAfter int32) error {
	msg := ptr("Rate exceeded")
	switch {
	case strings.HasPrefix(action, "identitystore:"):
		return &idtypes.ThrottlingException{Message: msg, RetryAfterSeconds: retryAfter,
			RequestId: ptr(deniedIDs.requestID())}
	case strings.HasPrefix(action, "organizations:"):
		return &orgtypes.TooManyRequestsException{Message: msg}
	}
	return &ssotypes.ThrottlingException{Message: msg}
}
