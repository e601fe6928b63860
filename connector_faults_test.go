package awsidc

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/internal/faultproxy"
	"github.com/awsidc/awsidc/internal/mototest"
)

// proxied starts a fault proxy in front of moto and returns it with a
// Config that reaches the fixture's account through it.
func proxied(t *testing.T, fx *mototest.Fixture, s faultproxy.Schedule,
	opts ...faultproxy.Option) (*faultproxy.Proxy, Config) {
	t.Helper()
	p, err := faultproxy.New(mototest.Endpoint(t), s, opts...)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	base := fx.Config.Copy()
	base.HTTPClient = &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	return p, Config{AWS: &base, EndpointURL: p.URL()}
}

func userNames(t *testing.T, conn *Connector) []string {
	t.Helper()
	var names []string
	for u, err := range conn.IdentityCenter().Users(context.Background()) {
		require.NoError(t, err)
		names = append(names, u.UserName)
	}
	return names
}

// TestConnectorRetriesThrottlingFromTheWire checks the connector as built:
// its SDK clients retry nothing (aws.NopRetryer) and awscall retries the
// throttling error the proxy sends, with the real backoff.
func TestConnectorRetriesThrottlingFromTheWire(t *testing.T) {
	fx := mototest.NewFixture(t)
	fx.CreateUser(t, "ada")
	p, cfg := proxied(t, fx, faultproxy.Schedule{Throttle: 1, Limit: 1,
		Actions: []string{"identitystore:ListUsers"}})

	conn, err := New(context.Background(), cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{"ada"}, userNames(t, conn))
	assert.Equal(t, 1, p.Injected()[faultproxy.Throttle])
	assert.Equal(t, 2, p.Requests()["identitystore:ListUsers"], "throttled once, then retried")
}

// stsWatch rewrites the expiry of the credentials moto's AssumeRole hands
// out, records them, and checks the credentials that sign every other
// request.
type stsWatch struct {
	mu       sync.Mutex
	validFor time.Duration        // expiry given to new credentials
	issued   map[string]time.Time // access key id -> expiry
	assumed  int
	signed   int
	problems []string
	expireAt string // action to answer once with ExpiredTokenException
}

var (
	expirationRE = regexp.MustCompile(`<Expiration>[^<]*</Expiration>`)
	accessKeyRE  = regexp.MustCompile(`<AccessKeyId>([^<]*)</AccessKeyId>`)
	credentialRE = regexp.MustCompile(`Credential=([^/]+)/`)
)

func (w *stsWatch) modify(action string, resp *http.Response) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if action == "sts:AssumeRole" {
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		exp := time.Now().Add(w.validFor).UTC()
		body = expirationRE.ReplaceAll(body,
			[]byte("<Expiration>"+exp.Format(time.RFC3339)+"</Expiration>"))
		if m := accessKeyRE.FindSubmatch(body); m != nil {
			w.issued[string(m[1])] = exp
		}
		w.assumed++
		setBody(resp, body)
		return nil
	}
	if strings.HasPrefix(action, "sts:") {
		return nil
	}

	w.signed++
	key := ""
	if m := credentialRE.FindStringSubmatch(resp.Request.Header.Get("Authorization")); m != nil {
		key = m[1]
	}
	switch exp, ok := w.issued[key]; {
	case !ok:
		w.problems = append(w.problems, action+" signed with credentials not from AssumeRole")
	case time.Until(exp) < time.Minute:
		w.problems = append(w.problems, fmt.Sprintf("%s signed with credentials %s from expiry",
			action, time.Until(exp)))
	}
	if action == w.expireAt {
		w.expireAt = ""
		resp.StatusCode = http.StatusBadRequest
		resp.Header.Set("x-amzn-ErrorType", "ExpiredTokenException:")
		setBody(resp, []byte(`{"__type":"ExpiredTokenException",`+
			`"message":"The security token included in the request is expired"}`))
	}
	return nil
}

func setBody(resp *http.Response, body []byte) {
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
}

func (w *stsWatch) counts() (assumed, signed int, problems []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.assumed, w.signed, append([]string(nil), w.problems...)
}

func (w *stsWatch) set(f func(*stsWatch)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f(w)
}

func roleConfig(cfg Config, fx *mototest.Fixture) Config {
	cfg.RoleARN = "arn:aws:iam::" + fx.AccountID + ":role/access-review"
	cfg.ExternalID = testExternalID
	cfg.SessionDuration = 15 * time.Minute
	return cfg
}

// TestAssumedRoleCredentialsRefreshBeforeExpiry runs calls while the
// credentials STS hands out have plenty of time left, then while they have
// less than the refresh window (3 minutes for a 15-minute session, less up
// to 20% jitter). The first are reused; the second are replaced before any
// request is signed with them; no call fails either way.
func TestAssumedRoleCredentialsRefreshBeforeExpiry(t *testing.T) {
	fx := mototest.NewFixture(t)
	fx.CreateUser(t, "grace")
	w := &stsWatch{validFor: time.Hour, issued: map[string]time.Time{}}
	_, cfg := proxied(t, fx, faultproxy.Schedule{}, faultproxy.WithModifyResponse(w.modify))

	conn, err := New(context.Background(), roleConfig(cfg, fx))
	require.NoError(t, err)
	_, before, _ := w.counts() // discovery's calls
	for range 5 {
		assert.Equal(t, []string{"grace"}, userNames(t, conn))
	}
	assumed, signed, problems := w.counts()
	assert.Equal(t, 1, assumed, "fresh credentials are reused")
	assert.Equal(t, before+5, signed)
	assert.Empty(t, problems)

	// From now on STS hands out credentials inside the refresh window, and
	// the cached ones are about to enter it too.
	w.set(func(w *stsWatch) {
		w.validFor = 2 * time.Minute
		for k := range w.issued {
			w.issued[k] = time.Now().Add(2 * time.Minute)
		}
	})
	creds, err := conn.AWSConfig().Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	require.True(t, creds.CanExpire)
	if c, ok := conn.AWSConfig().Credentials.(*aws.CredentialsCache); ok {
		c.Invalidate() // the cached ones were issued for an hour; drop them
	}
	for range 5 {
		assert.Equal(t, []string{"grace"}, userNames(t, conn))
	}
	assumed, signed, problems = w.counts()
	assert.GreaterOrEqual(t, assumed, 1+5, "credentials near expiry are replaced before use")
	assert.Equal(t, before+10, signed)
	assert.Empty(t, problems, "no request signed with credentials about to expire")
}

// TestExpiredTokenRefreshesAndRetries has AWS answer one call with
// ExpiredTokenException: the connector drops its cached credentials,
// assumes the role again and retries, and the run goes on.
func TestExpiredTokenRefreshesAndRetries(t *testing.T) {
	fx := mototest.NewFixture(t)
	fx.CreateUser(t, "linus")
	w := &stsWatch{validFor: time.Hour, issued: map[string]time.Time{},
		expireAt: "identitystore:ListUsers"}
	p, cfg := proxied(t, fx, faultproxy.Schedule{}, faultproxy.WithModifyResponse(w.modify))

	conn, err := New(context.Background(), roleConfig(cfg, fx))
	require.NoError(t, err)
	assert.Equal(t, []string{"linus"}, userNames(t, conn))

	assumed, _, problems := w.counts()
	assert.Equal(t, 2, assumed, "the expired token made the connector assume the role again")
	assert.Equal(t, 2, p.Requests()["identitystore:ListUsers"], "refused once, then retried")
	assert.Empty(t, problems)
}
