package faultproxy

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/internal/awscall"
)

// backend answers every AWS JSON request with an empty object and counts
// what reaches it.
func backend(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func start(t *testing.T, target string, s Schedule, opts ...Option) *Proxy {
	t.Helper()
	p, err := New(target, s, opts...)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

// sdkConfig is an AWS config for url that never retries by itself, as the
// connector's clients do, and gives up on a request after timeout.
func sdkConfig(url string, timeout time.Duration) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials:  aws.AnonymousCredentials{},
		HTTPClient:   &http.Client{Timeout: timeout, Transport: &http.Transport{Proxy: nil}},
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

func TestProxyThrottlesInEachServiceDialect(t *testing.T) {
	srv, hits := backend(t)
	p := start(t, srv.URL, Schedule{Throttle: 1})
	cfg := sdkConfig(p.URL(), 5*time.Second)
	ctx := context.Background()

	_, err := ssoadmin.NewFromConfig(cfg).ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	var ssoThrottle *ssotypes.ThrottlingException
	require.ErrorAs(t, err, &ssoThrottle)
	assert.Equal(t, "Rate exceeded", ssoThrottle.ErrorMessage())

	_, err = identitystore.NewFromConfig(cfg).ListUsers(ctx,
		&identitystore.ListUsersInput{IdentityStoreId: aws.String("d-1234567890")})
	var idsThrottle *idtypes.ThrottlingException
	require.ErrorAs(t, err, &idsThrottle)

	_, err = organizations.NewFromConfig(cfg).ListAccounts(ctx, &organizations.ListAccountsInput{})
	var orgThrottle *orgtypes.TooManyRequestsException
	require.ErrorAs(t, err, &orgThrottle)
	assert.True(t, awscall.NewRetryer(3).IsErrorRetryable(err))

	assert.Zero(t, hits.Load(), "faulted requests never reach the server")
	assert.Equal(t, 3, p.Injected()[Throttle])
	assert.Equal(t, 1, p.Requests()["sso:ListInstances"])
	assert.Equal(t, 1, p.Requests()["organizations:ListAccounts"])
}

func TestProxyFaultsAreRetryable(t *testing.T) {
	tests := []struct {
		name  string
		sched Schedule
		check func(t *testing.T, err error)
	}{
		{"server error", Schedule{ServerError: 1}, func(t *testing.T, err error) {
			var re *smithyhttp.ResponseError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, []int{500, 503}, re.HTTPStatusCode())
			var ae smithy.APIError
			require.ErrorAs(t, err, &ae)
			assert.Contains(t, []string{"InternalServerException", "ServiceUnavailableException"},
				ae.ErrorCode())
		}},
		{"connection reset", Schedule{Reset: 1}, func(t *testing.T, err error) {
			var se *smithyhttp.RequestSendError
			require.ErrorAs(t, err, &se)
		}},
		{"timeout", Schedule{Timeout: 1, TimeoutDelay: 5 * time.Second},
			func(t *testing.T, err error) {
				var ne net.Error
				require.ErrorAs(t, err, &ne)
				assert.True(t, ne.Timeout())
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := backend(t)
			p := start(t, srv.URL, tt.sched)
			client := ssoadmin.NewFromConfig(sdkConfig(p.URL(), 200*time.Millisecond))
			start := time.Now()
			_, err := client.ListInstances(context.Background(), &ssoadmin.ListInstancesInput{})
			require.Error(t, err)
			tt.check(t, err)
			assert.True(t, awscall.NewRetryer(3).IsErrorRetryable(err), "retryable: %v", err)
			assert.Less(t, time.Since(start), 2*time.Second)
			assert.Zero(t, hits.Load())
		})
	}
}

func TestProxyRetriedThroughAwscall(t *testing.T) {
	srv, hits := backend(t)
	p := start(t, srv.URL, Schedule{Seed: 4, Throttle: 0.3, ServerError: 0.1, Reset: 0.1,
		Timeout: 0.05, Slow: 0.1, SlowDelay: time.Millisecond, TimeoutDelay: 5 * time.Second})
	client := ssoadmin.NewFromConfig(sdkConfig(p.URL(), 100*time.Millisecond))
	inv := &awscall.Invoker{Retryer: noWait{awscall.NewRetryer(30)}}
	for range 30 {
		_, err := awscall.Do(context.Background(), inv, "sso:ListInstances",
			func(ctx context.Context) (*ssoadmin.ListInstancesOutput, error) {
				return client.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
			})
		require.NoError(t, err)
	}
	assert.Equal(t, int64(30), hits.Load(), "every call got through exactly once")
	got := p.Injected()
	for _, f := range []Fault{Throttle, ServerError, Reset, Timeout} {
		assert.Positive(t, got[f], "fault %s injected", f)
	}
}

type noWait struct{ aws.Retryer }

func (noWait) RetryDelay(int, error) (time.Duration, error) { return 0, nil }

func TestProxyActionsAndSCIM(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	p := start(t, srv.URL+"/tenant/scim/v2",
		Schedule{Throttle: 1, Actions: []string{"scim:GET Users"}})
	assert.True(t, strings.HasSuffix(p.URL(), "/tenant/scim/v2"))

	res, err := http.Get(p.URL() + "/Users?count=1")
	require.NoError(t, err)
	var body map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&body))
	_ = res.Body.Close()
	assert.Equal(t, http.StatusTooManyRequests, res.StatusCode)
	assert.Equal(t, "429", body["status"])

	res, err = http.Get(p.URL() + "/Groups")
	require.NoError(t, err)
	_ = res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode, "actions outside the list pass")
	assert.Equal(t, []string{"/tenant/scim/v2/Groups"}, paths)
	assert.Equal(t, map[string]int{"scim:GET Users": 1, "scim:GET Groups": 1}, p.Requests())
}

func TestProxySTSErrorsAndModifyResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "original")
	}))
	t.Cleanup(srv.Close)
	var seen []string
	p := start(t, srv.URL, Schedule{Throttle: 1, Actions: []string{"sts:GetCallerIdentity"}},
		WithModifyResponse(func(action string, resp *http.Response) error {
			seen = append(seen, action)
			resp.Body = io.NopCloser(strings.NewReader("changed"))
			return nil
		}))

	res, err := http.Post(p.URL(), "application/x-www-form-urlencoded",
		strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Contains(t, string(b), "<Code>Throttling</Code>")

	res, err = http.Post(p.URL(), "application/x-www-form-urlencoded",
		strings.NewReader("Action=AssumeRole&Version=2011-06-15"))
	require.NoError(t, err)
	b, _ = io.ReadAll(res.Body)
	_ = res.Body.Close()
	assert.Equal(t, "changed", string(b))
	assert.Equal(t, []string{"sts:AssumeRole"}, seen)
}

func TestNewRefusesBadTarget(t *testing.T) {
	_, err := New("not a url", Schedule{})
	assert.Error(t, err)
}

func TestProxyLimit(t *testing.T) {
	srv, hits := backend(t)
	p := start(t, srv.URL, Schedule{ServerError: 1, Limit: 2})
	client := ssoadmin.NewFromConfig(sdkConfig(p.URL(), time.Second))
	var errs int
	for range 5 {
		if _, err := client.ListInstances(context.Background(),
			&ssoadmin.ListInstancesInput{}); err != nil {
			errs++
		}
	}
	assert.Equal(t, 2, errs)
	assert.Equal(t, int64(3), hits.Load())
}
