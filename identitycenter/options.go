package identitycenter

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awsidc/awsidc/internal/awscall"
)

// Pacer paces calls to AWS: Wait blocks until the call named by its IAM
// action (such as "identitystore:ListUsers") may be sent, or ctx is done.
// The connector in package awsidc supplies one that paces each AWS
// throttle bucket to its own rate.
type Pacer interface {
	Wait(ctx context.Context, action string) error
}

// Option configures a [Client], a [Writer] or the listing of [Instances].
type Option = awscall.Option

// WithPacer makes the client wait on p before every attempt of every call.
func WithPacer(p Pacer) Option {
	return awscall.WithPacer(p)
}

// WithRetryer sets the retry policy. The default is the SDK's standard
// retryer with 10 attempts and no client-side retry quota. The client retries
// by itself, so an SDK client handed to [New] should not retry as well; the
// connector in package awsidc sets that up.
func WithRetryer(r aws.Retryer) Option {
	return awscall.WithRetryer(r)
}

// WithObserver makes the client report the outcome of every attempt: the IAM
// action called and its error, nil on success. f must be fast and safe for
// concurrent use.
func WithObserver(f func(action string, err error)) Option {
	return awscall.WithObserver(f)
}
