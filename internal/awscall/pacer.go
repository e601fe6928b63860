package awscall

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rates holds the documented AWS throttle limits, in requests per second,
// that a [Pacer] keeps to. AWS raises them on request, so each can be set.
type Rates struct {
	// SSOAdmin is shared by every SSO Admin operation together (20 TPS).
	SSOAdmin float64
	// IdentityStore applies to each Identity Store operation on its own
	// (20 TPS per API).
	IdentityStore float64
	// ListAccounts is Organizations' ListAccounts limit (8 per second).
	ListAccounts float64
	// Organizations applies to other Organizations operations, each on its
	// own (DescribeAccount allows 20 per second).
	Organizations float64

	// Burst is how much time's worth of calls a bucket may send at once
	// after a pause: a bucket of rate r holds max(1, ⌊r × Burst⌋) calls.
	// Zero means 50ms, a single call at AWS's documented rates. A larger
	// bucket keeps a high rate from losing the slots that timer delays
	// would otherwise waste.
	Burst time.Duration
}

// defaultBurst is the Burst of Rates that leave it zero.
const defaultBurst = 50 * time.Millisecond

// DefaultRates are AWS's documented throttle limits.
var DefaultRates = Rates{SSOAdmin: 20, IdentityStore: 20, ListAccounts: 8, Organizations: 20}

// Scale returns r with every rate multiplied by f; Burst stays as it is.
func (r Rates) Scale(f float64) Rates {
	r.SSOAdmin *= f
	r.IdentityStore *= f
	r.ListAccounts *= f
	r.Organizations *= f
	return r
}

// Bucket names the AWS throttle bucket an IAM action draws from: all of SSO
// Admin shares one, each Identity Store and Organizations operation has its
// own.
func Bucket(action string) string {
	if strings.HasPrefix(action, "sso:") {
		return "sso"
	}
	return action
}

// Pacer holds one token-bucket limiter per AWS throttle bucket. It is safe
// for concurrent use; a nil *Pacer never waits.
type Pacer struct {
	rates Rates

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

// NewPacer returns a Pacer keeping to rates. A rate of zero or less leaves
// that bucket unpaced.
func NewPacer(rates Rates) *Pacer {
	if rates.Burst <= 0 {
		rates.Burst = defaultBurst
	}
	return &Pacer{rates: rates, limiters: map[string]*rate.Limiter{}}
}

// Rate returns the rate, in requests per second, that action is paced to;
// zero means unpaced.
func (p *Pacer) Rate(action string) float64 {
	if p == nil {
		return 0
	}
	switch {
	case strings.HasPrefix(action, "sso:"):
		return p.rates.SSOAdmin
	case strings.HasPrefix(action, "identitystore:"):
		return p.rates.IdentityStore
	case action == "organizations:ListAccounts":
		return p.rates.ListAccounts
	case strings.HasPrefix(action, "organizations:"):
		return p.rates.Organizations
	}
	return 0
}

// Wait blocks until action may be sent, or ctx is done.
func (p *Pacer) Wait(ctx context.Context, action string) error {
	if p == nil {
		return ctx.Err()
	}
	l := p.limiter(action)
	if l == nil {
		return ctx.Err()
	}
	return l.Wait(ctx)
}

// burstOf returns the bucket size of a bucket of rate r.
func (p *Pacer) burstOf(r float64) int {
	return max(1, int(r*p.rates.Burst.Seconds()))
}

func (p *Pacer) limiter(action string) *rate.Limiter {
	r := p.Rate(action)
	if r <= 0 {
		return nil
	}
	key := Bucket(action)

	p.mu.Lock()
	defer p.mu.Unlock()
	l, ok := p.limiters[key]
	if !ok {
		l = rate.NewLimiter(rate.Limit(r), p.burstOf(r))
		p.limiters[key] = l
	}
	return l
}
