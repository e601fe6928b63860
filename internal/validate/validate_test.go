package validate

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestValidators(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) error
		good []string
		bad  []string
	}{
		{"instance ARN", InstanceARN,
			[]string{"arn:aws:sso:::instance/ssoins-1234567890abcdef",
				"arn:aws-cn:sso:::instance/ssoins-1234567890abcdef",
				"arn:aws-us-gov:sso:::instance/ins-1234567890abcdef"},
			[]string{"", "arn:aws:sso:::instance/ssoins-12", "arn:aws:iam::123456789012:role/x"}},
		{"permission set ARN", PermissionSetARN,
			[]string{"arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef"},
			[]string{"arn:aws:sso:::permissionSet/ps-1234567890abcdef", "ps-1"}},
		{"role ARN", RoleARN,
			[]string{"arn:aws:iam::123456789012:role/reader",
				"arn:aws-iso-b:iam::123456789012:role/a/b"},
			[]string{"arn:aws:iam::1234:role/x", "arn:aws:iam::123456789012:user/x", "role"}},
		{"account id", AccountID, []string{"123456789012"},
			[]string{"12345678901", "1234567890123", "abc"}},
		{"region", Region, []string{"eu-west-1", "us-gov-west-1", "ap-southeast-2"},
			[]string{"", "eu_west_1", "EU-WEST-1", "moon"}},
		{"principal id", PrincipalID,
			[]string{"9067d9c1b1-1e9ac6f0-0a8a-4d2b-9d7e-2a9d0b1c2d3e",
				"1e9ac6f0-0a8a-4d2b-9d7e-2a9d0b1c2d3e"},
			[]string{"", "user-1", "9067d9c1b1-xyz"}},
		{"external id", ExternalID, []string{"ab", "tenant:123/x=y", strings.Repeat("a", 1224)},
			[]string{"a", strings.Repeat("a", 1225), "has space", "quote\""}},
		{"endpoint", Endpoint,
			[]string{"https://scim.eu-west-1.amazonaws.com/t/scim/v2/", "http://127.0.0.1:9/x",
				"http://localhost:8080", "http://[::1]:1"},
			[]string{"http://example.com/", "ftp://x", "scim.example.com", "https://u:p@h/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.good {
				assert.NoError(t, tt.fn(s), s)
			}
			for _, s := range tt.bad {
				assert.Error(t, tt.fn(s), s)
			}
		})
	}
}

func TestSessionDuration(t *testing.T) {
	assert.NoError(t, SessionDuration(15*time.Minute))
	assert.NoError(t, SessionDuration(12*time.Hour))
	assert.Error(t, SessionDuration(14*time.Minute))
	assert.Error(t, SessionDuration(12*time.Hour+time.Second))
}

func TestExternalIDNeverQuoted(t *testing.T) {
	err := ExternalID("secret value with spaces")
	assert.Error(t, err)
	assert.NotContains(t, err.Error(), "secret value")
}

func TestSamePartition(t *testing.T) {
	assert.NoError(t, SamePartition("arn:aws:iam::123456789012:role/r", "eu-west-1"))
	assert.NoError(t, SamePartition("arn:aws-cn:iam::123456789012:role/r", "cn-north-1"))
	assert.NoError(t, SamePartition("arn:aws-us-gov:sso:::instance/ssoins-1", "us-gov-west-1"))
	assert.Error(t, SamePartition("arn:aws-cn:iam::123456789012:role/r", "eu-west-1"))
	assert.Error(t, SamePartition("arn:aws:iam::123456789012:role/r", "us-gov-east-1"))
	assert.Equal(t, "aws-iso-b", Partition("us-isob-east-1"))
}
