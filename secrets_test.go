package awsidc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/scim"
)

// leakScan gathers everything a run prints, logs or returns, to look for
// the test secrets in it.
type leakScan struct {
	logs bytes.Buffer
	outs []string
}

// format prints v with every verb a caller might use.
func (s *leakScan) format(v any) {
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		s.outs = append(s.outs, fmt.Sprintf(verb, v))
	}
	if b, err := json.Marshal(v); err == nil {
		s.outs = append(s.outs, string(b))
	}
}

func (s *leakScan) err(err error) {
	if err != nil {
		s.outs = append(s.outs, err.Error())
		s.format(err)
	}
}

func (s *leakScan) check(t *testing.T) {
	t.Helper()
	all := append([]string{s.logs.String()}, s.outs...)
	for _, out := range all {
		assert.NotContains(t, out, testToken)
		assert.NotContains(t, out, testExternalID)
	}
	assert.Positive(t, s.logs.Len(), "the logger saw the run")
}

// TestSecretsNeverLeak runs representative operations — building a
// connector with a role, an external id and a SCIM token, SCIM reads and
// writes through throttling, server errors and refusals, credentials that
// cannot be fetched, configuration errors — with a logger that records
// everything at debug level, formats every value the caller can reach with
// every verb, and looks for the token and the external id.
func TestSecretsNeverLeak(t *testing.T) {
	var scan leakScan
	logger := slog.New(slog.NewJSONHandler(&scan.logs, &slog.HandlerOptions{
		Level: slog.LevelDebug}))
	ctx := context.Background()

	org := awsidctest.NewOrg()
	_, err := org.AddUser(awsidctest.UserSeed{UserName: "ada", DisplayName: "Ada",
		GivenName: "Ada", FamilyName: "L", Email: "ada@example.com"})
	require.NoError(t, err)
	srv := org.SCIMServer(testToken)
	t.Cleanup(srv.Close)

	// Credentials come from an STS that is not there, quickly.
	base := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:1"),
		Credentials: aws.AnonymousCredentials{},
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
		HTTPClient:  &http.Client{Timeout: time.Second}}
	cfg := Config{
		AWS: &base, InstanceARN: org.InstanceARN(), IdentityStoreID: org.IdentityStoreID(),
		RoleARN: "arn:aws:iam::123456789012:role/reviewer", ExternalID: testExternalID,
		SCIMEndpoint: srv.URL(), SCIMToken: testToken, MaxAttempts: 1, Logger: logger,
	}
	scan.format(cfg)
	scan.format(&cfg)
	scan.format(cfg.SCIMToken)
	scan.format(cfg.ExternalID)
	logger.Info("config", "cfg", cfg, "token", cfg.SCIMToken, "external_id", cfg.ExternalID)

	conn, err := New(ctx, cfg)
	require.NoError(t, err)
	scan.format(conn)
	scan.format(conn.SCIM())
	scan.format(conn.AWSConfig())
	logger.Debug("connector", "conn", conn, "scim", conn.SCIM())

	// AWS calls whose credentials cannot be had.
	for _, err := range conn.IdentityCenter().Users(ctx) {
		require.Error(t, err)
		scan.err(err)
		break
	}
	_, err = conn.Permissions().PermissionSet(ctx,
		"arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef")
	require.Error(t, err)
	scan.err(err)

	// SCIM through a throttle, a server error, a 404 and a refused token.
	c := conn.SCIM()
	srv.Inject429(1, 0)
	srv.Inject500(1)
	u, err := c.UserByUserName(ctx, "ada")
	require.NoError(t, err)
	scan.format(u)
	_, err = c.User(ctx, "no-such-user")
	require.Error(t, err)
	scan.err(err)
	srv.SetTokens("another-token")
	_, err = c.UserByUserName(ctx, "ada")
	require.Error(t, err)
	var se *scim.Error
	require.True(t, errors.As(err, &se))
	scan.err(err)

	// Configuration errors quote no secret, even one pasted in the wrong field.
	for _, bad := range []Config{
		{Region: "eu-west-1", RoleARN: cfg.RoleARN, ExternalID: testExternalID + "!"},
		{Region: "eu-west-1", ExternalID: testExternalID},
		{Region: "eu-west-1", SCIMEndpoint: "https://x:" + testToken + "@scim.example.com/t",
			SCIMToken: testToken},
		{Region: "eu-west-1", SCIMEndpoint: "http://scim.example.com/" + testToken,
			SCIMToken: testToken},
		{Region: "eu-west-1", SCIMEndpoint: "https://scim.example.com/%zz/" + testToken,
			SCIMToken: testToken},
		{Region: testExternalID, RoleARN: testToken},
	} {
		_, err := New(ctx, bad)
		require.Error(t, err)
		scan.err(err)
		logger.Error("new failed", "err", err)
	}
	scan.check(t)
	assert.Contains(t, scan.logs.String(), "scim retry", "retries were logged at debug level")
}
