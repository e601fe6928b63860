package scim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormaliseEndpoint(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"https://scim.us-east-1.amazonaws.com/abc-123/scim/v2/",
			"https://scim.us-east-1.amazonaws.com/abc-123/scim/v2/", false},
		{"https://scim.us-east-1.amazonaws.com/abc-123/scim/v2",
			"https://scim.us-east-1.amazonaws.com/abc-123/scim/v2/", false},
		{" https://SCIM.example.com/t/scim/v2/// ", "https://scim.example.com/t/scim/v2/", false},
		{"https://scim.example.com", "https://scim.example.com/", false},
		{"http://127.0.0.1:8080/t/scim/v2", "http://127.0.0.1:8080/t/scim/v2/", false},
		{"http://localhost:1/x", "http://localhost:1/x/", false},
		{"http://[::1]:9/x", "http://[::1]:9/x/", false},
		{"http://scim.example.com/t/scim/v2", "", true},
		{"ftp://scim.example.com/", "", true},
		{"https://user:pw@scim.example.com/", "", true},
		{"https://scim.example.com/?q=1", "", true},
		{"https://scim.example.com/#f", "", true},
		{"/relative/path", "", true},
		{"https://%zz", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := normaliseEndpoint(tt.in)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNewRejects(t *testing.T) {
	_, err := New("https://scim.example.com/", "")
	assert.Error(t, err)
	_, err = NewWithTokenFunc("https://scim.example.com/", nil)
	assert.Error(t, err)
}

func TestTokenNeverShown(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		scimError(w, http.StatusUnauthorized, "token "+testToken+" is not valid")
	})
	c, _ := newTestClient(t, rec, WithLogger(logger))

	_, err := c.User(context.Background(), "u-1")
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnauthorized)
	require.Len(t, rec.requests(), 2)
	assert.Equal(t, "Bearer "+testToken, rec.requests()[0].Auth)

	logger.Info("client", "client", c)
	shown := map[string]string{
		"error":         err.Error(),
		"error %+v":     fmt.Sprintf("%+v", err),
		"%v":            fmt.Sprintf("%v", c),
		"%+v":           fmt.Sprintf("%+v", c),
		"%#v":           fmt.Sprintf("%#v", c),
		"%s":            fmt.Sprintf("%s", c),
		"%v value":      fmt.Sprintf("%v", *c),
		"%+v value":     fmt.Sprintf("%+v", *c),
		"%#v value":     fmt.Sprintf("%#v", *c),
		"String":        c.String(),
		"log records":   logs.String(),
		"Endpoint":      c.Endpoint(),
		"slog LogValue": c.LogValue().String(),
	}
	for name, s := range shown {
		t.Run(name, func(t *testing.T) {
			assert.NotContains(t, s, testToken)
			assert.NotContains(t, s, testToken[:16])
		})
	}
	assert.Contains(t, logs.String(), `"status":500`)
	assert.Contains(t, logs.String(), rec.srv.URL)
}

func TestNoLogsByDefault(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, User{ID: "u-1", UserName: "a"})
	})
	c, _ := newTestClient(t, rec)
	assert.False(t, c.log.Enabled(context.Background(), slog.LevelDebug))
	_, err := c.User(context.Background(), "u-1")
	require.NoError(t, err)
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name      string
		statuses  []int // one per attempt; the last answers for every later attempt
		header    http.Header
		policy    RetryPolicy
		wantCalls int
		wantErr   error
		wantWaits []time.Duration // exact waits; nil checks only the bound
	}{
		{name: "429 then success", statuses: []int{429, 429, 200}, wantCalls: 3},
		{name: "500 502 503 then success", statuses: []int{500, 502, 503, 200}, wantCalls: 4},
		{name: "501 is not retried", statuses: []int{501}, wantCalls: 1},
		{name: "400 is not retried", statuses: []int{400}, wantCalls: 1},
		{name: "404 is not retried", statuses: []int{404}, wantCalls: 1, wantErr: ErrNotFound},
		{name: "bounded", statuses: []int{429}, wantCalls: 5, wantErr: ErrThrottled},
		{name: "retry-after honoured", statuses: []int{429, 200},
			header: http.Header{"Retry-After": {"2"}}, wantCalls: 2,
			wantWaits: []time.Duration{2 * time.Second}},
		{name: "retry-after too long gives up", statuses: []int{429},
			header: http.Header{"Retry-After": {"3600"}}, wantCalls: 1, wantErr: ErrThrottled},
		{name: "retries off", statuses: []int{503}, policy: RetryPolicy{}, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				status := tt.statuses[min(n, len(tt.statuses))-1]
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				if status == 200 {
					writeJSON(w, 200, User{ID: "u-1", UserName: "a"})
					return
				}
				scimError(w, status, "nope")
			})
			policy := DefaultRetryPolicy
			if tt.policy != (RetryPolicy{}) || strings.HasPrefix(tt.name, "retries off") {
				policy = tt.policy
			}
			c, sl := newTestClient(t, rec, WithRetryPolicy(policy))

			u, err := c.User(context.Background(), "u-1")
			assert.Len(t, rec.requests(), tt.wantCalls)
			if tt.statuses[min(tt.wantCalls, len(tt.statuses))-1] == 200 {
				require.NoError(t, err)
				assert.Equal(t, "u-1", u.ID)
			} else {
				var e *Error
				require.ErrorAs(t, err, &e)
				if tt.wantErr != nil {
					assert.ErrorIs(t, err, tt.wantErr)
				}
			}
			waits := sl.all()
			assert.Len(t, waits, tt.wantCalls-1)
			if tt.wantWaits != nil {
				assert.Equal(t, tt.wantWaits, waits)
			}
			for i, w := range waits {
				ceiling := min(policy.MaxDelay, policy.BaseDelay<<i)
				if tt.wantWaits == nil {
					assert.Less(t, w, ceiling, "wait %d", i)
					assert.GreaterOrEqual(t, w, time.Duration(0))
				}
			}
		})
	}
}

func TestBackoffFullJitter(t *testing.T) {
	p := RetryPolicy{MaxRetries: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n := 1; n <= 10; n++ {
		ceiling := min(p.MaxDelay, p.BaseDelay<<(n-1))
		var top time.Duration
		for range 200 {
			d := backoff(p, n)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.Less(t, d, ceiling)
			top = max(top, d)
		}
		assert.Greater(t, top, ceiling/2, "retry %d: waits spread over [0, %v)", n, ceiling)
	}
	assert.Equal(t, time.Duration(0), backoff(RetryPolicy{}, 3))
	assert.Less(t, backoff(p, 1000), p.MaxDelay)
}

func TestNetworkErrorRetried(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			hj, ok := w.(http.Hijacker)
			require.True(t, ok)
			conn, _, err := hj.Hijack()
			require.NoError(t, err)
			_ = conn.Close()
			return
		}
		writeJSON(w, 200, User{ID: "u-1", UserName: "a"})
	})
	c, sl := newTestClient(t, rec)
	u, err := c.User(context.Background(), "u-1")
	require.NoError(t, err)
	assert.Equal(t, "u-1", u.ID)
	assert.Len(t, sl.all(), 1)
}

func TestContextCancelStopsRetries(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		scimError(w, 503, "busy")
	})
	c, _ := newTestClient(t, rec)
	c.sleep = sleepCtx
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	c.retry = RetryPolicy{MaxRetries: 100, BaseDelay: time.Hour, MaxDelay: time.Hour}

	start := time.Now()
	_, err := c.User(ctx, "u-1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Len(t, rec.requests(), 1)
}

func TestRateLimiterWaitsOnContext(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, User{ID: "u-1"})
	})
	c, _ := newTestClient(t, rec, WithRateLimit(0.001, 1))
	_, err := c.User(context.Background(), "u-1")
	require.NoError(t, err, "the burst lets the first request through")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = c.User(ctx, "u-1")
	assert.Error(t, err, "the second request waits for the limiter past the deadline")
	assert.Len(t, rec.requests(), 1)
}

func TestTokenFuncReadEachAttempt(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Header.Get("Authorization") != "Bearer new-token" {
			scimError(w, 401, "expired")
			return
		}
		writeJSON(w, 200, User{ID: "u-1"})
	})
	var calls atomic.Int32
	c, err := NewWithTokenFunc(rec.srv.URL, func(context.Context) (string, error) {
		if calls.Add(1) == 1 {
			return "old-token", nil
		}
		return "new-token", nil
	}, WithRateLimit(1e9, 1))
	require.NoError(t, err)

	_, err = c.User(context.Background(), "u-1")
	assert.ErrorIs(t, err, ErrUnauthorized, "a 401 is not retried")
	_, err = c.User(context.Background(), "u-1")
	require.NoError(t, err, "the rotated token is picked up")

	bad, err := NewWithTokenFunc(rec.srv.URL, func(context.Context) (string, error) {
		return "", errors.New("vault sealed")
	})
	require.NoError(t, err)
	_, err = bad.User(context.Background(), "u-1")
	assert.ErrorContains(t, err, "vault sealed")
	assert.Len(t, rec.requests(), 2)
}

func TestResponseSizeCap(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, User{ID: "u-1", DisplayName: strings.Repeat("x", 4096)})
	})
	c, _ := newTestClient(t, rec, WithMaxResponseBytes(1024))
	_, err := c.User(context.Background(), "u-1")
	assert.ErrorContains(t, err, "exceeds 1024 bytes")

	c, _ = newTestClient(t, rec, WithMaxResponseBytes(1<<20))
	_, err = c.User(context.Background(), "u-1")
	assert.NoError(t, err)
}

func TestIDsArePathEscaped(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, User{ID: "x"})
	})
	c, _ := newTestClient(t, rec)
	_, err := c.User(context.Background(), "a/b?c#d e")
	require.NoError(t, err)
	assert.Equal(t, "/tenant/scim/v2/Users/a%2Fb%3Fc%23d%20e", rec.requests()[0].Path)
	assert.Empty(t, rec.requests()[0].RawQuery)

	_, err = c.User(context.Background(), "")
	assert.Error(t, err)
	assert.Len(t, rec.requests(), 1, "an empty id sends nothing")
}

func TestCreateUserConflictAfterRetryLooksUp(t *testing.T) {
	tests := []struct {
		name     string
		first    int // status of the first POST
		wantErr  error
		wantGets int
	}{
		{"409 after a retried create returns the user", 500, nil, 1},
		{"409 on the first attempt is an error", 409, ErrConflict, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				switch {
				case r.Method == http.MethodPost && n == 1:
					scimError(w, tt.first, "first")
				case r.Method == http.MethodPost:
					scimError(w, 409, "Refused to create a new, duplicate resource.")
				default:
					writeJSON(w, 200, map[string]any{"Resources": []User{{ID: "u-9",
						UserName: "alice"}}})
				}
			})
			c, _ := newTestClient(t, rec)
			u, err := c.CreateUser(context.Background(), User{UserName: "alice"})
			gets := 0
			for _, r := range rec.requests() {
				if r.Method == http.MethodGet {
					gets++
				}
			}
			assert.Equal(t, tt.wantGets, gets)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "u-9", u.ID)
		})
	}
}

func TestMemberChangesChunked(t *testing.T) {
	tests := []struct {
		name       string
		ids        int
		wantChunks []int
	}{
		{"none sends nothing", 0, nil},
		{"one", 1, []int{1}},
		{"exactly 100", 100, []int{100}},
		{"250 in three", 250, []int{100, 100, 50}},
	}
	for _, op := range []string{"add", "remove"} {
		for _, tt := range tests {
			t.Run(op+" "+tt.name, func(t *testing.T) {
				rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
					w.WriteHeader(http.StatusNoContent)
				})
				c, _ := newTestClient(t, rec)
				ids := make([]string, 0, tt.ids+1)
				for i := range tt.ids {
					ids = append(ids, fmt.Sprintf("u-%d", i))
				}
				if tt.ids > 0 {
					ids = append(ids, "u-0") // a duplicate is sent once
				}
				var err error
				if op == "add" {
					err = c.AddMembers(context.Background(), "g/1", ids...)
				} else {
					err = c.RemoveMembers(context.Background(), "g/1", ids...)
				}
				require.NoError(t, err)

				var chunks []int
				for _, r := range rec.requests() {
					assert.Equal(t, http.MethodPatch, r.Method)
					assert.Equal(t, "/tenant/scim/v2/Groups/g%2F1", r.Path)
					var body struct {
						Schemas    []string
						Operations []struct {
							Op    string
							Path  string
							Value []map[string]string
						}
					}
					require.NoError(t, json.Unmarshal(r.Body, &body))
					assert.Equal(t, []string{SchemaPatchOp}, body.Schemas)
					require.Len(t, body.Operations, 1)
					assert.Equal(t, op, body.Operations[0].Op)
					assert.Equal(t, "members", body.Operations[0].Path)
					assert.NotEmpty(t, body.Operations[0].Value)
					chunks = append(chunks, len(body.Operations[0].Value))
				}
				assert.Equal(t, tt.wantChunks, chunks)
			})
		}
	}
}

func TestMemberChangeFailureSaysHowFar(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 2 {
			scimError(w, 400, "Request is unparsable")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c, _ := newTestClient(t, rec)
	ids := make([]string, 150)
	for i := range ids {
		ids[i] = fmt.Sprintf("u-%d", i)
	}
	err := c.RemoveMembers(context.Background(), "g-1", ids...)
	assert.ErrorContains(t, err, "100 of 150")
	var e *Error
	assert.ErrorAs(t, err, &e)
	assert.Error(t, c.AddMembers(context.Background(), "g-1", "u-1", ""))
}

func TestSuspendReactivateBodies(t *testing.T) {
	tests := []struct {
		name   string
		call   func(*Client) error
		status int
		value  bool
	}{
		{"suspend 204", func(c *Client) error { return c.Suspend(context.Background(), "u-1") },
			204, false},
		{"suspend 200", func(c *Client) error { return c.Suspend(context.Background(), "u-1") },
			200, false},
		{"reactivate", func(c *Client) error { return c.Reactivate(context.Background(), "u-1") },
			200, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if tt.status == 204 {
					w.WriteHeader(204)
					return
				}
				writeJSON(w, 200, User{ID: "u-1", Active: Bool(tt.value)})
			})
			c, _ := newTestClient(t, rec)
			require.NoError(t, tt.call(c))
			reqs := rec.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, http.MethodPatch, reqs[0].Method)
			assert.JSONEq(t, fmt.Sprintf(`{"schemas":[%q],"Operations":[{"op":"replace",`+
				`"path":"active","value":%t}]}`, SchemaPatchOp, tt.value), string(reqs[0].Body))
		})
	}
}

func TestDeprovisionTreatsGoneAsDone(t *testing.T) {
	tests := []struct {
		status  int
		wantErr error
	}{
		{204, nil},
		{404, nil},
		{409, ErrConflict},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if tt.status == 204 {
					w.WriteHeader(204)
					return
				}
				scimError(w, tt.status, "x")
			})
			c, _ := newTestClient(t, rec)
			err := c.Deprovision(context.Background(), "u-1")
			if tt.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.wantErr)
			}
			if tt.status == 404 {
				assert.ErrorIs(t, c.DeleteUser(context.Background(), "u-1"), ErrNotFound)
			}
		})
	}
}

func TestNewNeverEchoesTheEndpoint(t *testing.T) {
	const secret = "tok3n-in-the-url"
	_, err := New("https://scim.example.com/"+secret+"/\x7f", "token")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret)
}
