// Package mototest connects tests to a moto server standing in for AWS.
//
// The server is started by .ci/run (testdata/moto/launch.py), which exports
// its URL as AWSIDC_MOTO_ENDPOINT. Without that variable every helper here
// skips the calling test, so `go test ./...` passes on a machine without moto
// and reports the integration tests as skipped.
//
// Isolation: moto keeps all its state per AWS account and picks the account
// from the access key of each request. [Config] assumes a role in a fresh
// random 12-digit account through moto's STS and returns the credentials it
// hands out, so every call of [Config] starts from an empty account: no
// organisation, one new Identity Center instance, an empty identity store.
// Tests may therefore run in parallel, in one process or many, against one
// server, without seeing each other's data.
//
// The launcher corrects moto where it would hide bugs (see
// testdata/moto/README.md); what moto still lacks is listed there too.
package mototest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"
)

// EnvEndpoint names the environment variable holding the moto server URL.
const EnvEndpoint = "AWSIDC_MOTO_ENDPOINT"

// Region is the AWS Region every helper uses.
const Region = "us-east-1"

// defaultAccountID is the account moto serves to keys it did not issue; it
// is shared by every such caller, so Config never hands it out.
const defaultAccountID = "123456789012"

// skipMessage is what a test reports when no moto server is configured.
const skipMessage = "moto not running: set " + EnvEndpoint + " (bash .ci/run starts it)"

// Endpoint returns the URL of the moto server from AWSIDC_MOTO_ENDPOINT.
// When the variable is unset or empty it skips the test.
func Endpoint(t testing.TB) string {
	t.Helper()

	url := os.Getenv(EnvEndpoint)
	if url == "" {
		t.Skip(skipMessage)
	}
	return url
}

// Config returns an aws.Config pointed at moto, holding credentials for a
// fresh account that no other caller uses. It skips the test when moto is
// not configured (see [Endpoint]).
//
// The config is built by hand rather than with config.LoadDefaultConfig, so
// nothing from the environment applies: no profile, no AWS_CA_BUNDLE, no
// AWS_ENDPOINT_URL, and no HTTP proxy (traffic to 127.0.0.1 goes direct).
// Retries are few and short: moto never throttles, and an operation it lacks
// answers HTTP 500, which should fail fast rather than back off.
func Config(t testing.TB) aws.Config {
	t.Helper()

	base := baseConfig(Endpoint(t))
	base.Credentials = credentials.NewStaticCredentialsProvider("test", "test", "")

	accountID := defaultAccountID
	for accountID == defaultAccountID {
		accountID = fmt.Sprintf("%012d", rand.Int64N(900_000_000_000)+100_000_000_000)
	}
	out, err := sts.NewFromConfig(base).AssumeRole(t.Context(), &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::" + accountID + ":role/awsidc-test"),
		RoleSessionName: aws.String(sessionName(t.Name())),
	})
	require.NoError(t, err, "assume a role in a fresh moto account")

	cfg := base.Copy()
	creds := out.Credentials
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
		aws.ToString(creds.AccessKeyId),
		aws.ToString(creds.SecretAccessKey),
		aws.ToString(creds.SessionToken),
	))
	return cfg
}

// baseConfig builds a config for endpoint that reads nothing from the
// environment.
func baseConfig(endpoint string) aws.Config {
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.Proxy = nil
	})

	return aws.Config{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   httpClient,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 2
				o.MaxBackoff = 50 * time.Millisecond
				o.RateLimiter = ratelimit.None
			})
		},
	}
}

var sessionUnsafe = regexp.MustCompile(`[^\w+=,.@-]+`)

// sessionName turns a test name into a valid STS role session name
// (2 to 64 characters of [\w+=,.@-]).
func sessionName(testName string) string {
	name := sessionUnsafe.ReplaceAllString(testName, "-")
	if len(name) > 64 {
		name = name[:64]
	}
	if len(name) < 2 {
		name = "awsidc-" + name
	}
	return name
}

// Clients holds the SDK clients for the services awsidc reads.
type Clients struct {
	IdentityStore *identitystore.Client
	SSOAdmin      *ssoadmin.Client
	Organizations *organizations.Client
}

// NewClients builds the SDK clients from cfg.
func NewClients(cfg aws.Config) Clients {
	return Clients{
		IdentityStore: identitystore.NewFromConfig(cfg),
		SSOAdmin:      ssoadmin.NewFromConfig(cfg),
		Organizations: organizations.NewFromConfig(cfg),
	}
}

// AccountID returns the account the credentials in cfg belong to.
func AccountID(t testing.TB, cfg aws.Config) string {
	t.Helper()

	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err, "get caller identity")
	return aws.ToString(out.Account)
}
