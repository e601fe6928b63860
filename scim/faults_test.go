package scim_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/internal/faultproxy"
	"github.com/awsidc/awsidc/scim"
)

const faultToken = "scim-fault-token-0123456789"

// faultyClient returns a SCIM client reaching srv through a fault proxy,
// with retries that barely wait and a short per-request timeout.
func faultyClient(t *testing.T, srv *awsidctest.SCIMServer, s faultproxy.Schedule) (
	*scim.Client, *faultproxy.Proxy) {
	t.Helper()
	p, err := faultproxy.New(srv.URL(), s)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	c, err := scim.New(p.URL(), faultToken,
		scim.WithHTTPClient(&http.Client{Timeout: 300 * time.Millisecond,
			Transport: &http.Transport{Proxy: nil}}),
		scim.WithRateLimit(rate.Inf, 1),
		scim.WithPageSize(3),
		scim.WithRetryPolicy(scim.RetryPolicy{MaxRetries: 25, BaseDelay: time.Microsecond,
			MaxDelay: time.Millisecond, MaxRetryAfter: time.Second}))
	require.NoError(t, err)
	return c, p
}

func userNamesOf(t *testing.T, c *scim.Client) []string {
	t.Helper()
	var names []string
	for u, err := range c.Users(context.Background()) {
		require.NoError(t, err)
		names = append(names, u.UserName)
	}
	return names
}

func TestSCIMThroughFaultProxy(t *testing.T) {
	org := awsidctest.NewOrg()
	for i := range 10 {
		name := fmt.Sprintf("user%02d", i)
		_, err := org.AddUser(awsidctest.UserSeed{UserName: name, DisplayName: name,
			GivenName: "U", FamilyName: name, Email: name + "@example.com"})
		require.NoError(t, err)
	}
	srv := org.SCIMServer(faultToken)
	t.Cleanup(srv.Close)
	clean, _ := faultyClient(t, srv, faultproxy.Schedule{})
	want := userNamesOf(t, clean)
	require.Len(t, want, 10)

	for seed := range uint64(5) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			c, p := faultyClient(t, srv, faultproxy.Schedule{Seed: seed, Throttle: 0.3,
				ServerError: 0.05, Reset: 0.05, Timeout: 0.03, Slow: 0.05,
				SlowDelay: time.Millisecond, TimeoutDelay: 2 * time.Second})
			assert.Equal(t, want, userNamesOf(t, c), "listing neither short nor repeated")

			// A write faulted before it reaches the server is retried and
			// happens exactly once.
			name := fmt.Sprintf("new%d", seed)
			u, err := c.CreateUser(context.Background(), scim.User{UserName: name,
				DisplayName: name, Name: &scim.Name{GivenName: "N", FamilyName: name},
				Emails: []scim.Email{{Value: name + "@example.com", Type: "work", Primary: true}}})
			require.NoError(t, err)
			require.NoError(t, c.Suspend(context.Background(), u.ID))
			got, err := c.User(context.Background(), u.ID)
			require.NoError(t, err)
			require.NotNil(t, got.Active)
			assert.False(t, *got.Active)
			require.NoError(t, c.DeleteUser(context.Background(), u.ID))
			assert.Equal(t, want, userNamesOf(t, c))
			assert.Positive(t, p.Injected()[faultproxy.Throttle])
		})
	}
}

func TestSCIMGivesUpWhenServerStaysDown(t *testing.T) {
	org := awsidctest.NewOrg()
	srv := org.SCIMServer(faultToken)
	t.Cleanup(srv.Close)
	c, p := faultyClient(t, srv, faultproxy.Schedule{ServerError: 1})

	var got []scim.User
	var err error
	for u, e := range c.Users(context.Background()) {
		if e != nil {
			err = e
			break
		}
		got = append(got, u)
	}
	require.Error(t, err)
	assert.Empty(t, got)
	var se *scim.Error
	require.ErrorAs(t, err, &se)
	assert.Contains(t, []int{500, 503}, se.StatusCode)
	assert.NotContains(t, err.Error(), faultToken)
	assert.Equal(t, 26, p.Requests()["scim:GET Users"], "one try and 25 retries")
}
