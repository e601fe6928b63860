package awscall

import "github.com/aws/aws-sdk-go-v2/aws"

// Option configures an [Invoker]. The public clients re-export it as their
// own Option type, with their own documentation.
type Option func(*Invoker)

// WithPacer makes Do wait on p before every attempt.
func WithPacer(p Waiter) Option {
	return func(inv *Invoker) { inv.Pacer = p }
}

// WithRetryer sets the retry policy.
func WithRetryer(r aws.Retryer) Option {
	return func(inv *Invoker) { inv.Retryer = r }
}

// WithObserver makes Do report the outcome of every attempt to f.
func WithObserver(f func(action string, err error)) Option {
	return func(inv *Invoker) { inv.Observe = f }
}

// WithInvalidate makes Do drop the credentials of creds when AWS reports
// them expired. It does nothing when creds caches nothing (has no
// Invalidate method).
func WithInvalidate(creds aws.CredentialsProvider) Option {
	return func(inv *Invoker) {
		if c, ok := creds.(interface{ Invalidate() }); ok {
			inv.Invalidate = c.Invalidate
		}
	}
}

// NewInvoker returns an Invoker that starts from the retry policy r (nil for
// [NewRetryer]'s defaults) and then applies opts in order.
func NewInvoker(r aws.Retryer, opts ...Option) *Invoker {
	inv := &Invoker{Retryer: r}
	for _, o := range opts {
		o(inv)
	}
	return inv
}
