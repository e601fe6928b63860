package awsidc

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/identitycenter"
)

// fakeAWS stands in for STS and the Identity Store on one endpoint: it
// answers AssumeRole with fresh credentials and every Identity Store call
// with ResourceNotFoundException, and records what it was asked.
type fakeAWS struct {
	mu      sync.Mutex
	assumes []map[string]string // the form of each AssumeRole request
	targets []string            // the X-Amz-Target of each JSON request
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		f.targets = append(f.targets, target)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"__type":"ResourceNotFoundException","message":"no such user"}`))
		return
	}
	if err := r.ParseForm(); err != nil || r.Form.Get("Action") != "AssumeRole" {
		http.Error(w, "unexpected request", http.StatusBadRequest)
		return
	}
	form := map[string]string{}
	for k := range r.Form {
		form[k] = r.Form.Get(k)
	}
	f.assumes = append(f.assumes, form)
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write([]byte(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` +
		`<AssumeRoleResult><Credentials><AccessKeyId>ASIAFAKE</AccessKeyId>` +
		`<SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>` +
		`<Expiration>` + exp + `</Expiration></Credentials>` +
		`<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>` +
		`<AssumedRoleId>AROAFAKE:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult>` +
		`<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`))
}

func (f *fakeAWS) seen() ([]map[string]string, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]string(nil), f.assumes...), append([]string(nil), f.targets...)
}

// known names the instance, so that New makes no call before one is asked.
var known = Config{
	Region:          "eu-west-1",
	InstanceARN:     "arn:aws:sso:::instance/ssoins-1234567890abcdef",
	IdentityStoreID: "d-1234567890",
	RoleARN:         "arn:aws:iam::123456789012:role/access-review",
}

func TestAssumeRoleRequest(t *testing.T) {
	tests := []struct {
		name string
		cfg  func(Config) Config
		want map[string]string
	}{
		{
			name: "defaults",
			cfg:  func(c Config) Config { return c },
			want: map[string]string{"DurationSeconds": "3600", "RoleSessionName": "awsidc"},
		},
		{
			name: "external id, longest session, own name",
			cfg: func(c Config) Config {
				c.ExternalID = testExternalID
				c.SessionDuration = 12 * time.Hour
				c.RoleSessionName = "quarterly-review"
				return c
			},
			want: map[string]string{"DurationSeconds": "43200",
				"RoleSessionName": "quarterly-review", "ExternalId": testExternalID},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeAWS{}
			srv := httptest.NewServer(fake)
			t.Cleanup(srv.Close)
			cfg := tt.cfg(known)
			cfg.EndpointURL = srv.URL
			cfg.AWS = &aws.Config{
				Credentials: credentials.NewStaticCredentialsProvider("AKIDBASE", "base", ""),
				HTTPClient:  &http.Client{Transport: &http.Transport{Proxy: nil}},
			}

			conn, err := New(context.Background(), cfg)
			require.NoError(t, err)
			assumes, _ := fake.seen()
			assert.Empty(t, assumes, "no call before credentials are needed")

			creds, err := conn.AWSConfig().Credentials.Retrieve(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "ASIAFAKE", creds.AccessKeyID)

			assumes, _ = fake.seen()
			require.Len(t, assumes, 1)
			got := assumes[0]
			assert.Equal(t, cfg.RoleARN, got["RoleArn"])
			for k, v := range tt.want {
				assert.Equal(t, v, got[k], k)
			}
			if _, ok := tt.want["ExternalId"]; !ok {
				assert.NotContains(t, got, "ExternalId")
			}

			// The credentials are cached: a second read assumes nothing.
			_, err = conn.AWSConfig().Credentials.Retrieve(context.Background())
			require.NoError(t, err)
			assumes, _ = fake.seen()
			assert.Len(t, assumes, 1)
		})
	}
}

// TestNewHonoursAWSEndpointURL builds a connector from the environment
// alone, as the SDK's default chain reads it: AWS_ENDPOINT_URL sends STS
// and the Identity Store to the same AWS-compatible endpoint.
func TestNewHonoursAWSEndpointURL(t *testing.T) {
	fake := &fakeAWS{}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            srv.URL,
		"AWS_ACCESS_KEY_ID":           "AKIDENV",
		"AWS_SECRET_ACCESS_KEY":       "env",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_REGION":                  "",
		"AWS_DEFAULT_REGION":          "",
		"AWS_CA_BUNDLE":               "",
		"AWS_CONFIG_FILE":             none,
		"AWS_SHARED_CREDENTIALS_FILE": none,
		"NO_PROXY":                    "127.0.0.1,localhost",
		"no_proxy":                    "127.0.0.1,localhost",
	} {
		t.Setenv(k, v)
	}

	cfg := known
	cfg.MaxAttempts = 1
	conn, err := New(context.Background(), cfg)
	require.NoError(t, err)
	_, err = conn.IdentityCenter().User(context.Background(), "u-1")
	assert.ErrorIs(t, err, identitycenter.ErrNotFound, "the fake endpoint answered")

	assumes, targets := fake.seen()
	require.Len(t, assumes, 1, "STS reached at AWS_ENDPOINT_URL")
	assert.Equal(t, known.RoleARN, assumes[0]["RoleArn"])
	assert.Equal(t, []string{"AWSIdentityStore.DescribeUser"}, targets,
		"the Identity Store reached at AWS_ENDPOINT_URL")
}
