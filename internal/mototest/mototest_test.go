package mototest

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// skipRecorder is a testing.TB that records a skip instead of skipping.
type skipRecorder struct {
	testing.TB
	skipped string
}

func (r *skipRecorder) Helper() {}

func (r *skipRecorder) Skip(args ...any) {
	r.skipped = fmt.Sprint(args...)
	runtime.Goexit()
}

func TestEndpoint(t *testing.T) {
	tests := []struct {
		name     string
		env      string
		wantURL  string
		wantSkip string
	}{
		{name: "set", env: "http://127.0.0.1:5000", wantURL: "http://127.0.0.1:5000"},
		{name: "unset", env: "", wantSkip: skipMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvEndpoint, tt.env)
			rec := &skipRecorder{TB: t}

			var got string
			done := make(chan struct{})
			go func() {
				defer close(done)
				got = Endpoint(rec)
			}()
			<-done

			assert.Equal(t, tt.wantURL, got)
			assert.Equal(t, tt.wantSkip, rec.skipped)
		})
	}
}

func TestSessionName(t *testing.T) {
	long := "TestX/" + string(make([]byte, 80))
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "subtest", in: "TestA/case_1", want: "TestA-case_1"},
		{name: "spaces", in: "TestA/two words", want: "TestA-two-words"},
		{name: "short", in: "T", want: "awsidc-T"},
		{name: "long", in: long, want: "TestX-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sessionName(tt.in)
			assert.Equal(t, tt.want, got)
			assert.LessOrEqual(t, len(got), 64)
			assert.Regexp(t, `^[\w+=,.@-]{2,64}$`, got)
		})
	}
}

func TestConfigIsolatesAccounts(t *testing.T) {
	t.Parallel()
	a, b := NewFixture(t), NewFixture(t)

	assert.NotEqual(t, a.AccountID, b.AccountID, "accounts")
	assert.NotEqual(t, a.InstanceARN, b.InstanceARN, "instances")
	assert.NotEqual(t, a.IdentityStoreID, b.IdentityStoreID, "identity stores")

	// The same user name in both accounts: no conflict, and each store sees
	// only its own user.
	userA := a.CreateUser(t, "alice")
	userB := b.CreateUser(t, "alice")
	for _, f := range []struct {
		fx   *Fixture
		want string
	}{{a, userA}, {b, userB}} {
		out, err := f.fx.IdentityStore.ListUsers(t.Context(), &identitystore.ListUsersInput{
			IdentityStoreId: aws.String(f.fx.IdentityStoreID),
		})
		require.NoError(t, err)
		require.Len(t, out.Users, 1)
		assert.Equal(t, f.want, aws.ToString(out.Users[0].UserId))
	}

	// Permission sets do not leak either.
	a.CreatePermissionSet(t, "only-in-a")
	sets, err := b.SSOAdmin.ListPermissionSets(t.Context(), &ssoadmin.ListPermissionSetsInput{
		InstanceArn: aws.String(b.InstanceARN),
	})
	require.NoError(t, err)
	assert.Empty(t, sets.PermissionSets)
}

func TestConfigIgnoresAmbientAWSSettings(t *testing.T) {
	Endpoint(t)
	t.Setenv("AWS_CA_BUNDLE", "/nonexistent/ca.pem")
	t.Setenv("AWS_PROFILE", "nonexistent-profile")
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	t.Setenv("NO_PROXY", "")

	f := NewFixture(t)

	assert.Len(t, f.AccountID, 12)
	assert.NotEmpty(t, f.InstanceARN)
	assert.NotEmpty(t, f.IdentityStoreID)
}
