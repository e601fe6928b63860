package scim

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

const testToken = "tok-0123456789-secret-bearer-token"

// seen is one request as the server saw it.
type seen struct {
	Method   string
	Path     string // escaped
	RawQuery string
	Auth     string
	Body     []byte
}

// recorder is an httptest server that records requests and answers with handle.
type recorder struct {
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []seen
	handle func(w http.ResponseWriter, r *http.Request, n int)
}

func newRecorder(t *testing.T, handle func(w http.ResponseWriter, r *http.Request,
	n int)) *recorder {
	t.Helper()
	rec := &recorder{handle: handle}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, seen{
			Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
			Auth: r.Header.Get("Authorization"), Body: body,
		})
		n := len(rec.reqs)
		rec.mu.Unlock()
		rec.handle(w, r, n)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (r *recorder) requests() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seen(nil), r.reqs...)
}

// sleeps records the waits a client asked for instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// newTestClient returns a client for rec with pacing off and sleeps recorded.
func newTestClient(t *testing.T, rec *recorder, opts ...Option) (*Client, *sleeps) {
	t.Helper()
	opts = append([]Option{WithRateLimit(rate.Inf, 1)}, opts...)
	c, err := New(rec.srv.URL+"/tenant/scim/v2/", testToken, opts...)
	require.NoError(t, err)
	sl := &sleeps{}
	c.sleep = sl.sleep
	return c, sl
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func scimError(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]any{
		"schemas": []string{SchemaError}, "status": itoa(status), "detail": detail,
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func users(n int) []User {
	out := make([]User, n)
	for i := range out {
		out[i] = User{ID: "u" + itoa(i+1), UserName: "user" + itoa(i+1), Active: Bool(true)}
	}
	return out
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, error) {
	t.Helper()
	var (
		out   []T
		first error
	)
	for v, err := range seq {
		require.NoError(t, first, "nothing may follow the error")
		if err != nil {
			var zero T
			require.Equal(t, zero, v, "the error must come with a zero value")
			first = err
			continue
		}
		out = append(out, v)
	}
	return out, first
}

func parseQuery(q string) (url.Values, error) { return url.ParseQuery(q) }

// nonNil turns a nil slice into an empty one, to compare with an empty list.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
