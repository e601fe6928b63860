package scim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of a Client; each has an Option to change it.
const (
	DefaultPageSize         = 100
	DefaultMaxResponseBytes = 8 << 20
	DefaultRateLimit        = rate.Limit(8)
	DefaultRateBurst        = 2
	DefaultTimeout          = 30 * time.Second
)

// DefaultRetryPolicy is the retry policy of a Client unless [WithRetryPolicy] sets one.
var DefaultRetryPolicy = RetryPolicy{
	MaxRetries:    4,
	BaseDelay:     500 * time.Millisecond,
	MaxDelay:      20 * time.Second,
	MaxRetryAfter: time.Minute,
}

// RetryPolicy bounds the retries of one request. A request is retried on a 429, on a
// 5xx other than 501 and on a network error, after a wait drawn uniformly from
// [0, min(MaxDelay, BaseDelay·2^n)) for the n-th retry (full jitter), or after the
// server's Retry-After when it sent one. A Retry-After longer than MaxRetryAfter ends
// the retries at once, returning the error.
type RetryPolicy struct {
	MaxRetries    int
	BaseDelay     time.Duration
	MaxDelay      time.Duration
	MaxRetryAfter time.Duration
}

// TokenFunc returns the bearer token to send. It is called before every attempt, so a
// token rotated in its source is picked up without building a new Client.
type TokenFunc func(ctx context.Context) (string, error)

// Client is a SCIM 2.0 client. It is safe for concurrent use. Its String, GoString,
// Format and LogValue methods show the endpoint and never the token.
type Client struct {
	base     string // normalised, ends with "/"
	token    TokenFunc
	http     *http.Client
	log      *slog.Logger
	limiter  *rate.Limiter
	retry    RetryPolicy
	pageSize int
	maxBody  int64
	agent    string

	// sleep waits for d or until ctx is done; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client. The default has a 30-second timeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.http = hc
		}
	}
}

// WithLogger sets a logger for request and retry records at debug level. Records
// carry the method, the path without its query, the status and the attempt; never a
// header, a body or the token. The default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l
		}
	}
}

// WithRateLimit paces requests, retries included, to limit per second with the given
// burst. rate.Inf turns pacing off.
func WithRateLimit(limit rate.Limit, burst int) Option {
	return func(c *Client) { c.limiter = rate.NewLimiter(limit, max(burst, 1)) }
}

// WithRetryPolicy sets the retry policy; MaxRetries 0 turns retries off.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) { c.retry = p }
}

// WithPageSize sets the count asked for per page of a list, between 1 and 100 (AWS's
// limit); other values are clamped.
func WithPageSize(n int) Option {
	return func(c *Client) { c.pageSize = min(max(n, 1), 100) }
}

// WithMaxResponseBytes caps the size of a response body read; a larger body fails the
// request.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) { c.agent = ua }
}

// New returns a client for the SCIM endpoint, such as
// https://scim.us-east-1.amazonaws.com/<tenant>/scim/v2/, that sends token as a bearer
// token. The endpoint must be https; http is accepted only for loopback hosts. The
// tenant path is kept, with exactly one trailing slash.
func New(endpoint, token string, opts ...Option) (*Client, error) {
	if token == "" {
		return nil, errors.New("scim: empty token")
	}
	return NewWithTokenFunc(endpoint, func(context.Context) (string, error) {
		return token, nil
	}, opts...)
}

// NewWithTokenFunc is like [New], with the token read from fn before every attempt.
func NewWithTokenFunc(endpoint string, fn TokenFunc, opts ...Option) (*Client, error) {
	if fn == nil {
		return nil, errors.New("scim: nil token func")
	}
	base, err := normaliseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:     base,
		token:    fn,
		http:     &http.Client{Timeout: DefaultTimeout},
		log:      slog.New(slog.DiscardHandler),
		limiter:  rate.NewLimiter(DefaultRateLimit, DefaultRateBurst),
		retry:    DefaultRetryPolicy,
		pageSize: DefaultPageSize,
		maxBody:  DefaultMaxResponseBytes,
		agent:    "awsidc-scim",
		sleep:    sleepCtx,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Endpoint returns the normalised base URL, ending with a slash.
func (c *Client) Endpoint() string { return c.base }

// String returns a description that names the endpoint and hides the token.
func (c *Client) String() string {
	return "scim.Client{endpoint: " + c.base + ", token: [redacted]}"
}

// GoString is like String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Format makes every verb print String, so that no field of the Client is printed.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue gives slog the endpoint only.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("endpoint", c.base))
}

// normaliseEndpoint checks the endpoint and returns it with exactly one trailing slash.
func normaliseEndpoint(endpoint string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil {
		// The parse error quotes the whole URL; a token pasted into it by
		// mistake must not travel on in an error.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("scim: invalid endpoint URL: %w", err)
	}
	switch {
	case u.Host == "":
		return "", errors.New("scim: endpoint has no host")
	case u.User != nil:
		return "", errors.New("scim: endpoint must not carry credentials")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", errors.New("scim: endpoint must not have a query or fragment")
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return "", fmt.Errorf("scim: endpoint scheme %q: https is required"+
			" (http only for loopback hosts)", u.Scheme)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	u.RawPath = ""
	return u.String(), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// request is one call: method, path below the base (already escaped), query and body.
type request struct {
	method string
	path   string
	query  string
	body   any
}

// response is what do returns for a 2xx.
type response struct {
	status   int
	body     []byte
	attempts int
}

// do sends req, retrying as the policy allows, and returns the 2xx response or an
// error: an *Error for a non-2xx status, or a wrapped network or context error.
func (c *Client) do(ctx context.Context, req request) (response, error) {
	var payload []byte
	if req.body != nil {
		var err error
		if payload, err = json.Marshal(req.body); err != nil {
			return response{}, fmt.Errorf("scim: encode %s body: %w", req.method, err)
		}
	}
	path := "/" + strings.TrimPrefix(req.path, "/")

	for attempt := 1; ; attempt++ {
		resp, retry, wait, err := c.attempt(ctx, req, payload, path)
		if err == nil {
			resp.attempts = attempt
			return resp, nil
		}
		if !retry || attempt > c.retry.MaxRetries {
			return response{attempts: attempt}, err
		}
		if wait == 0 {
			wait = backoff(c.retry, attempt)
		} else if wait > c.retry.MaxRetryAfter {
			return response{attempts: attempt}, err
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "scim retry",
			slog.String("method", req.method), slog.String("path", path),
			slog.Int("attempt", attempt), slog.Duration("wait", wait))
		if serr := c.sleep(ctx, wait); serr != nil {
			return response{attempts: attempt}, fmt.Errorf("scim: %s %s: %w",
				req.method, path, serr)
		}
	}
}

// attempt sends the request once. It reports whether a failure may be retried, and
// the server's Retry-After.
func (c *Client) attempt(ctx context.Context, req request, payload []byte,
	path string) (response, bool, time.Duration, error) {
	fail := func(err error) error {
		return fmt.Errorf("scim: %s %s: %w", req.method, path, err)
	}
	if err := c.limiter.Wait(ctx); err != nil {
		return response{}, false, 0, fail(err)
	}
	token, err := c.token(ctx)
	if err != nil {
		return response{}, false, 0, fmt.Errorf("scim: read token: %w", err)
	}
	if token == "" {
		return response{}, false, 0, errors.New("scim: read token: empty token")
	}

	target := c.base + strings.TrimPrefix(req.path, "/")
	if req.query != "" {
		target += "?" + req.query
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, target, body)
	if err != nil {
		return response{}, false, 0, fail(err)
	}
	hr.Header.Set("Authorization", "Bearer "+token)
	hr.Header.Set("Accept", "application/scim+json, application/json")
	if payload != nil {
		hr.Header.Set("Content-Type", "application/scim+json")
	}
	if c.agent != "" {
		hr.Header.Set("User-Agent", c.agent)
	}

	start := time.Now()
	res, err := c.http.Do(hr)
	if err != nil {
		if ctx.Err() != nil {
			return response{}, false, 0, fail(ctx.Err())
		}
		return response{}, true, 0, fail(redactURLError(err))
	}
	defer res.Body.Close()
	data, rerr := io.ReadAll(io.LimitReader(res.Body, c.maxBody+1))
	c.log.LogAttrs(ctx, slog.LevelDebug, "scim request",
		slog.String("method", req.method), slog.String("path", path),
		slog.Int("status", res.StatusCode), slog.Duration("took", time.Since(start)))
	if rerr != nil {
		if ctx.Err() != nil {
			return response{}, false, 0, fail(ctx.Err())
		}
		return response{}, true, 0, fail(fmt.Errorf("read body: %w", rerr))
	}
	if int64(len(data)) > c.maxBody {
		return response{}, false, 0, fail(fmt.Errorf("response body exceeds %d bytes",
			c.maxBody))
	}

	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return response{status: res.StatusCode, body: data}, false, 0, nil
	}
	e := decodeError(req.method, path, res.StatusCode, res.Header, data, token)
	retry := res.StatusCode == http.StatusTooManyRequests ||
		res.StatusCode >= 500 && res.StatusCode != http.StatusNotImplemented
	return response{}, retry, e.RetryAfter, e
}

// redactURLError drops the query from a *url.Error, which may hold a filter value.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		u, perr := url.Parse(ue.URL)
		if perr == nil {
			u.RawQuery = ""
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}

// backoff returns the full-jitter wait before retry n (1-based).
func backoff(p RetryPolicy, n int) time.Duration {
	ceiling := p.MaxDelay
	if n < 32 {
		if d := p.BaseDelay << (n - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// decode unmarshals a response body into v.
func decode(method, path string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("scim: %s %s: decode response: %w", method, path, err)
	}
	return nil
}
