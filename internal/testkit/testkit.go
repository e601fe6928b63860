// Package testkit holds what the tests of identitycenter and permissions
// share: retry policies that do not wait, an observer that counts calls, an
// interceptor that fails one chosen call of a fake, a response rewriter that
// fails one chosen call of moto, and helpers for iterators. Only tests
// import it.
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// FastRetryer retries throttling at once, a few times.
func FastRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.RateLimiter = ratelimit.None
		o.Backoff = noBackoff{}
	})
}

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// NoWait keeps the retry decisions of the Retryer it wraps but retries at
// once.
type NoWait struct{ aws.Retryer }

// RetryDelay returns zero.
func (NoWait) RetryDelay(int, error) (time.Duration, error) { return 0, nil }

// CallCounter counts attempts per IAM action, as a client observer. The zero
// value is ready to use; it is safe for concurrent use.
type CallCounter struct {
	mu sync.Mutex
	n  map[string]int
}

// Observe counts one attempt of action. Its signature fits the clients'
// WithObserver options.
func (c *CallCounter) Observe(action string, _ error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[action]++
}

// Get returns how many attempts of action were counted.
func (c *CallCounter) Get(action string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[action]
}

// Reset forgets every count.
func (c *CallCounter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.n)
}

// Faults fails one chosen call of a fake, through its Intercept method. The
// zero value fails nothing; it is safe for concurrent use.
type Faults struct {
	mu     sync.Mutex
	action string
	skip   int // calls of action to let through first
	err    error
}

// FailNth makes the nth call of action from now fail with err, once.
func (f *Faults) FailNth(action string, n int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.action, f.skip, f.err = action, n-1, err
}

// Intercept returns the chosen error when action is the chosen call, and nil
// otherwise. Its signature fits awsidctest.WithInterceptor.
func (f *Faults) Intercept(_ context.Context, action string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil || action != f.action {
		return nil
	}
	if f.skip > 0 {
		f.skip--
		return nil
	}
	err := f.err
	f.err = nil
	return err
}

// Collect ranges over seq and returns the items before the first error and
// that error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var got []T
	for v, err := range seq {
		if err != nil {
			return got, err
		}
		got = append(got, v)
	}
	return got, nil
}

// Pages returns how many pages of size items n items take, at least one.
func Pages(n, size int) int {
	return max(1, (n+size-1)/size)
}

// WireFaults fails one chosen call at the wire, for servers that cannot be
// told to fail (moto): its Modify method, handed to a faultproxy through
// WithModifyResponse, replaces the server's answer to the chosen call with
// an AWS JSON-protocol error (Identity Store, SSO Admin, Organizations), so
// the SDK client deserialises it as it would AWS's. The zero value fails
// nothing; it is safe for concurrent use.
type WireFaults struct {
	mu     sync.Mutex
	action string
	skip   int // calls of action to let through first
	status int
	code   string
}

// FailNth makes the nth call of action from now answer HTTP status with the
// error code (such as "AccessDeniedException"), once.
func (w *WireFaults) FailNth(action string, n, status int, code string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.action, w.skip, w.status, w.code = action, n-1, status, code
}

// Modify rewrites resp when action is the chosen call. Its signature fits
// faultproxy.WithModifyResponse.
func (w *WireFaults) Modify(action string, resp *http.Response) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.code == "" || action != w.action {
		return nil
	}
	if w.skip > 0 {
		w.skip--
		return nil
	}

	body, err := json.Marshal(map[string]string{"__type": w.code, "message": "injected"})
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	resp.StatusCode = w.status
	resp.Status = fmt.Sprintf("%d %s", w.status, http.StatusText(w.status))
	resp.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp.Header.Set("X-Amzn-ErrorType", w.code+":")
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.ContentLength = int64(len(body))
	resp.Body = io.NopCloser(bytes.NewReader(body))
	w.code = ""
	return nil
}
