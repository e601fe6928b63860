package awscall

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// DefaultMaxAttempts is how many times a call is tried before its error is
// returned. Throttling is expected on large organisations, so it is well
// above the SDK's default of 3.
const DefaultMaxAttempts = 10

// Waiter paces calls: Wait blocks until action may be sent or ctx is done.
type Waiter interface {
	Wait(ctx context.Context, action string) error
}

// Invoker runs one AWS call with pacing and retries. The zero value and a nil
// *Invoker are usable: no pacing, the default retry policy.
type Invoker struct {
	// Pacer, when set, is waited on before every attempt.
	Pacer Waiter

	// Retryer decides which errors are retried and how long to wait. Nil
	// means [NewRetryer] with its defaults.
	Retryer aws.Retryer

	// Observe, when set, is told of every attempt's outcome (nil error on
	// success). It is used by tests and metrics; it must be fast.
	Observe func(action string, err error)

	// Invalidate, when set, drops the cached AWS credentials, so that the
	// next attempt signs with fresh ones. Do calls it when AWS answers that
	// the security token has expired (see [IsExpiredToken]), then retries
	// once at once. *aws.CredentialsCache's Invalidate method fits.
	Invalidate func()
}

// serverFaultCodes are the error codes of AWS's transient server failures.
// Through the SDK's HTTP stack their 5xx status already makes them
// retryable; listing the codes keeps them retryable when an API is reached
// another way (a fake, a wrapper that drops the HTTP response).
var serverFaultCodes = []string{
	"InternalServerException", "InternalFailure", "InternalError", "ServiceException",
	"ServiceUnavailableException", "ServiceUnavailable",
}

// NewRetryer returns the SDK's standard retryer with maxAttempts attempts
// ([DefaultMaxAttempts] when maxAttempts is zero or less), its client-side
// retry quota disabled (so that sustained throttling cannot
// turn into "retry quota exceeded"), Identity Store's RetryAfterSeconds
// honoured, and extra error codes treated as retryable.
func NewRetryer(maxAttempts int, extraCodes ...string) aws.Retryer {
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	var r aws.Retryer = retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.RateLimiter = ratelimit.None
		o.Backoff = retryAfterBackoff{next: retry.NewExponentialJitterBackoff(o.MaxBackoff)}
	})
	return retry.AddWithErrorCodes(r, append(slices.Clone(serverFaultCodes), extraCodes...)...)
}

var defaultRetryer = NewRetryer(DefaultMaxAttempts)

// retryAfterBackoff honours a server-provided RetryAfterSeconds (Identity
// Store sends it in the error body, where the SDK does not look) and otherwise
// defers to the SDK's exponential backoff with jitter.
type retryAfterBackoff struct {
	next retry.BackoffDelayer
}

// retryAfterer is implemented by errors that carry a server's advice.
type retryAfterer interface {
	RetryAfter() (time.Duration, bool)
}

// BackoffDelay returns the longer of the SDK's backoff and the server's
// advice.
func (b retryAfterBackoff) BackoffDelay(attempt int, err error) (time.Duration, error) {
	d, derr := b.next.BackoffDelay(attempt, err)
	if derr != nil {
		return d, derr
	}
	if s, ok := RetryAfter(err); ok && s > d {
		// Cap the server's advice so that a bogus value cannot stall a run.
		return min(s, 30*time.Second), nil
	}
	return d, nil
}

// Do runs fn for action, pacing each attempt and retrying retryable errors
// until the retry policy gives up or ctx is done. A failure is returned as an
// *Error holding the last attempt's error; a cancelled or expired ctx returns
// ctx's error, and a pacer that cannot wait (ctx done, or its deadline too
// near for the next slot) returns its own error.
//
// An expired security token (see [IsExpiredToken]) is retried once, without
// a backoff and without counting as an attempt, after the Invoker's
// Invalidate (when set) drops the cached credentials: a long run whose
// credentials lapse between the cache's check and AWS's carries on.
func Do[T any](
	ctx context.Context, inv *Invoker, action string, fn func(context.Context) (T, error),
) (T, error) {
	var zero T
	var pacer Waiter
	var observe func(string, error)
	var invalidate func()
	r := defaultRetryer
	if inv != nil {
		pacer, observe, invalidate = inv.Pacer, inv.Observe, inv.Invalidate
		if inv.Retryer != nil {
			r = inv.Retryer
		}
	}
	refreshed := false

	for attempt := 1; ; attempt++ {
		if pacer != nil {
			if err := pacer.Wait(ctx, action); err != nil {
				return zero, err
			}
		}
		out, err := fn(ctx)
		if observe != nil {
			observe(action, err)
		}
		if err == nil {
			return out, nil
		}
		if ctx.Err() != nil {
			return zero, ctx.Err()
		}
		if !refreshed && IsExpiredToken(err) {
			// Not counted as an attempt: the request never reached the
			// service's logic, and fresh credentials fix it at once.
			refreshed = true
			if invalidate != nil {
				invalidate()
			}
			attempt--
			continue
		}
		if !r.IsErrorRetryable(err) || (r.MaxAttempts() > 0 && attempt >= r.MaxAttempts()) {
			return zero, &Error{Action: action, Err: err}
		}

		delay, derr := r.RetryDelay(attempt, err)
		if derr != nil {
			return zero, &Error{Action: action, Err: errors.Join(err, derr)}
		}
		if err := sleep(ctx, delay); err != nil {
			return zero, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
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

// IsExpiredToken reports whether err is AWS refusing a request because the
// security token that signed it has expired.
func IsExpiredToken(err error) bool {
	switch ErrorCode(err) {
	case "ExpiredTokenException", "ExpiredToken":
		return true
	}
	return false
}

// ErrorCode returns the AWS error code of err, or "" when err carries none.
func ErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
