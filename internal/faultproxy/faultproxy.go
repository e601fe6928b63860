// Package faultproxy is an HTTP reverse proxy on 127.0.0.1 that injects
// failures in front of an AWS emulator (moto) or a SCIM server: throttling
// and server errors in the service's own wire format, connection resets,
// requests that time out, and slow answers. Tests point real SDK and SCIM
// clients at it, so the whole stack (transport, deserialisation, retry
// policy) meets the faults as it would meet them from AWS.
//
// Every fault is injected before the request is forwarded: a faulted
// request never reaches the server, so retrying it is always safe. Faults
// after the server acted (a lost response to a write) are not simulated.
package faultproxy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault names one kind of failure the proxy injects.
type Fault string

// The faults a Proxy injects.
const (
	// Throttle answers the service's throttling error: HTTP 400
	// ThrottlingException (Organizations: TooManyRequestsException; STS:
	// Throttling) or, for SCIM, HTTP 429.
	Throttle Fault = "throttle"
	// ServerError answers HTTP 500 InternalServerException (Organizations:
	// ServiceException) or, one time in two, HTTP 503.
	ServerError Fault = "server-error"
	// Reset closes the connection with a TCP reset, without an answer.
	Reset Fault = "reset"
	// Timeout holds the request without an answer until the client gives up
	// (or Schedule.TimeoutDelay passes), then closes the connection.
	Timeout Fault = "timeout"
	// Slow forwards the request after Schedule.SlowDelay.
	Slow Fault = "slow"
)

// Schedule says how often each fault happens: each rate is a probability
// between 0 and 1, drawn per request from a source seeded with Seed. At most
// one of Throttle, ServerError, Reset and Timeout fails a request.
type Schedule struct {
	Seed uint64

	Throttle    float64
	ServerError float64
	Reset       float64
	Timeout     float64
	Slow        float64

	// SlowDelay is how long a slow request waits; zero means 20ms.
	SlowDelay time.Duration
	// TimeoutDelay bounds how long a timed-out request is held; zero means
	// 10s. Clients should time out well before.
	TimeoutDelay time.Duration

	// Limit, when positive, caps how many requests are failed (slow ones
	// not counted): after Limit failures every request goes through.
	Limit int

	// Actions, when not empty, limits faults to these actions; a trailing
	// "*" matches a prefix. Actions are named as IAM actions
	// ("identitystore:ListUsers", "sso:ListAccountAssignments",
	// "organizations:ListAccounts", "sts:AssumeRole"), and SCIM requests as
	// "scim:<METHOD> <resource type>", such as "scim:GET Users".
	Actions []string
}

// Option configures a Proxy.
type Option func(*Proxy)

// WithModifyResponse calls f on every response the server sends back
// through the proxy, with the request's action; f may change it. An error
// fails the request with HTTP 502.
func WithModifyResponse(f func(action string, resp *http.Response) error) Option {
	return func(p *Proxy) { p.modify = f }
}

// Proxy is a running fault-injecting reverse proxy. It is safe for
// concurrent use.
type Proxy struct {
	target *url.URL
	srv    *http.Server
	ln     net.Listener
	rp     *httputil.ReverseProxy
	modify func(string, *http.Response) error

	mu       sync.Mutex
	s        Schedule
	rnd      *rand.Rand
	injected map[Fault]int
	failed   int
	requests map[string]int
}

// New starts a proxy on 127.0.0.1 in front of target, such as moto's URL,
// injecting faults as s says. Close stops it.
func New(target string, s Schedule, opts ...Option) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("faultproxy: target %q is not an absolute URL", target)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen: %w", err)
	}

	p := &Proxy{target: u, ln: ln, injected: map[Fault]int{}, requests: map[string]int{}}
	for _, o := range opts {
		o(p)
	}
	p.SetSchedule(s)
	p.rp = &httputil.ReverseProxy{
		// Only scheme and host change: URL already carries the target's path.
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme, r.Out.URL.Host = u.Scheme, u.Host
		},
		// Never reach the target through an HTTP proxy of the environment.
		Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 16},
		ModifyResponse: func(resp *http.Response) error {
			if p.modify == nil {
				return nil
			}
			return p.modify(action(resp.Request), resp)
		},
	}
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// URL returns the proxy's base URL, http://127.0.0.1:<port>, with the
// target's path appended.
func (p *Proxy) URL() string {
	return "http://" + p.ln.Addr().String() + strings.TrimSuffix(p.target.Path, "/")
}

// Close stops the proxy and drops its connections.
func (p *Proxy) Close() {
	_ = p.srv.Close()
	if t, ok := p.rp.Transport.(*http.Transport); ok {
		t.CloseIdleConnections()
	}
}

// SetSchedule replaces the schedule and restarts its random source, such as
// to turn faults off while a test seeds data.
func (p *Proxy) SetSchedule(s Schedule) {
	if s.SlowDelay <= 0 {
		s.SlowDelay = 20 * time.Millisecond
	}
	if s.TimeoutDelay <= 0 {
		s.TimeoutDelay = 10 * time.Second
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.s = s
	p.failed = 0
	p.rnd = rand.New(rand.NewPCG(s.Seed, s.Seed^0x5bd1e995))
}

// Injected returns how many faults of each kind were injected.
func (p *Proxy) Injected() map[Fault]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[Fault]int, len(p.injected))
	for k, v := range p.injected {
		out[k] = v
	}
	return out
}

// Requests returns how many requests of each action the proxy received,
// faulted ones included.
func (p *Proxy) Requests() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int, len(p.requests))
	for k, v := range p.requests {
		out[k] = v
	}
	return out
}

// pick draws the fault for one request of act, or "" for none.
func (p *Proxy) pick(act string) (Fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests[act]++
	if !matches(p.s.Actions, act) {
		return "", false
	}
	s := p.s
	if s.Limit > 0 && p.failed >= s.Limit {
		s.Throttle, s.ServerError, s.Reset, s.Timeout = 0, 0, 0, 0
	}
	var f Fault
	switch u := p.rnd.Float64(); {
	case u < s.Throttle:
		f = Throttle
	case u < s.Throttle+s.ServerError:
		f = ServerError
	case u < s.Throttle+s.ServerError+s.Reset:
		f = Reset
	case u < s.Throttle+s.ServerError+s.Reset+s.Timeout:
		f = Timeout
	case p.rnd.Float64() < s.Slow:
		f = Slow
	}
	if f != "" {
		p.injected[f]++
	}
	if f != "" && f != Slow {
		p.failed++
	}
	return f, p.rnd.IntN(2) == 1
}

func matches(actions []string, act string) bool {
	if len(actions) == 0 {
		return true
	}
	for _, a := range actions {
		if a == act || (strings.HasSuffix(a, "*") && strings.HasPrefix(act, a[:len(a)-1])) {
			return true
		}
	}
	return false
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	if err := bufferBody(r); err != nil {
		http.Error(w, "faultproxy: read request", http.StatusBadRequest)
		return
	}
	act := action(r)
	fault, odd := p.pick(act)

	switch fault {
	case Throttle:
		writeThrottle(w, act)
		return
	case ServerError:
		status := http.StatusInternalServerError
		if odd {
			status = http.StatusServiceUnavailable
		}
		writeServerError(w, act, status)
		return
	case Reset:
		abort(w, true)
		return
	case Timeout:
		p.mu.Lock()
		d := p.s.TimeoutDelay
		p.mu.Unlock()
		_ = sleep(r.Context(), d)
		abort(w, false)
		return
	case Slow:
		p.mu.Lock()
		d := p.s.SlowDelay
		p.mu.Unlock()
		if sleep(r.Context(), d) != nil {
			return
		}
	}
	p.rp.ServeHTTP(w, r)
}

// bufferBody reads the request body into memory so that the action can be
// read from a form body and the body still forwarded.
func bufferBody(r *http.Request) error {
	if r.Body == nil {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return err
	}
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return nil
}

// targetPrefixes maps the X-Amz-Target service names of the JSON protocol
// to IAM service prefixes.
var targetPrefixes = map[string]string{
	"SWBExternalService":        "sso",
	"AWSIdentityStore":          "identitystore",
	"AWSOrganizationsV20161128": "organizations",
}

// action names the request as an IAM action, or "scim:<METHOD> <type>".
func action(r *http.Request) string {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		svc, op, _ := strings.Cut(t, ".")
		if prefix, ok := targetPrefixes[svc]; ok {
			return prefix + ":" + op
		}
		return strings.ToLower(svc) + ":" + op
	}
	if r.GetBody != nil && strings.HasPrefix(r.Header.Get("Content-Type"),
		"application/x-www-form-urlencoded") {
		body, _ := r.GetBody()
		b, _ := io.ReadAll(body)
		if q, err := url.ParseQuery(string(b)); err == nil && q.Get("Action") != "" {
			return "sts:" + q.Get("Action")
		}
	}
	if _, rest, ok := strings.Cut(r.URL.Path, "/scim/v2/"); ok {
		typ, _, _ := strings.Cut(rest, "/")
		return "scim:" + r.Method + " " + typ
	}
	return "http:" + r.Method + " " + r.URL.Path
}

// errorTypes gives, per service, the namespace its JSON errors carry and the
// codes of its throttling and server errors.
func errorTypes(act string) (namespace, throttle, server string) {
	switch {
	case strings.HasPrefix(act, "organizations:"):
		return "com.amazonaws.awsorganizationsv20161128", "TooManyRequestsException",
			"ServiceException"
	case strings.HasPrefix(act, "identitystore:"):
		return "com.amazonaws.identitystore", "ThrottlingException", "InternalServerException"
	case strings.HasPrefix(act, "sts:"):
		return "", "Throttling", "InternalFailure"
	}
	return "com.amazonaws.swbexternalservice", "ThrottlingException", "InternalServerException"
}

func writeThrottle(w http.ResponseWriter, act string) {
	if strings.HasPrefix(act, "scim:") || strings.HasPrefix(act, "http:") {
		writeSCIMError(w, http.StatusTooManyRequests, "Rate exceeded")
		return
	}
	_, code, _ := errorTypes(act)
	writeAWSError(w, act, http.StatusBadRequest, code, "Rate exceeded")
}

func writeServerError(w http.ResponseWriter, act string, status int) {
	if strings.HasPrefix(act, "scim:") || strings.HasPrefix(act, "http:") {
		writeSCIMError(w, status, "Service failure.")
		return
	}
	_, _, code := errorTypes(act)
	if status == http.StatusServiceUnavailable {
		code = "ServiceUnavailableException"
	}
	writeAWSError(w, act, status, code, "An internal error occurred. Retry the request.")
}

var requestIDs struct {
	mu sync.Mutex
	n  int
}

func requestID() string {
	requestIDs.mu.Lock()
	defer requestIDs.mu.Unlock()
	requestIDs.n++
	return fmt.Sprintf("faultproxy-%08d", requestIDs.n)
}

// writeAWSError answers as AWS does: for the JSON protocol a body with
// __type and message and the x-amzn-ErrorType header; for STS's query
// protocol an XML ErrorResponse.
func writeAWSError(w http.ResponseWriter, act string, status int, code, msg string) {
	rid := requestID()
	ns, _, _ := errorTypes(act)
	if strings.HasPrefix(act, "sts:") {
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("x-amzn-RequestId", rid)
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"+
			"<Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>"+
			"<RequestId>%s</RequestId></ErrorResponse>", code, msg, rid)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", rid)
	w.Header().Set("x-amzn-ErrorType", code+":http://internal.amazon.com/coral/"+ns+"/")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": ns + "#" + code, "message": msg})
}

// writeSCIMError answers in AWS's SCIM error format.
func writeSCIMError(w http.ResponseWriter, status int, detail string) {
	const schema = "urn:ietf:params:scim:api:messages:2.0:Error"
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-RequestId", requestID())
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"schema": []string{schema}, "schemas": []string{schema},
		"detail": detail, "status": strconv.Itoa(status),
	})
}

// abort closes the client's connection without an answer; reset makes it a
// TCP reset rather than an orderly close.
func abort(w http.ResponseWriter, reset bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
