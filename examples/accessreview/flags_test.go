package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc"
)

// TestAWSFlagsReachTheConnector checks that every AWS flag lands in the
// connector's configuration, and that any of them means AWS, not the demo.
func TestAWSFlagsReachTheConnector(t *testing.T) {
	args := []string{
		"-region", "eu-west-1",
		"-instance-arn", "arn:aws:sso:::instance/ssoins-1234567890abcdef",
		"-role-arn", "arn:aws:iam::123456789012:role/access-review",
		"-external-id", "ext-0123456789",
		"-session-duration", "2h30m",
		"-endpoint-url", "http://127.0.0.1:5000",
	}
	o, err := parseFlags(args, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, awsidc.Config{
		Region:          "eu-west-1",
		InstanceARN:     "arn:aws:sso:::instance/ssoins-1234567890abcdef",
		RoleARN:         "arn:aws:iam::123456789012:role/access-review",
		ExternalID:      "ext-0123456789",
		SessionDuration: 2*time.Hour + 30*time.Minute,
		EndpointURL:     "http://127.0.0.1:5000",
	}, connectorConfig(o))

	for _, flag := range []string{"-region", "-instance-arn", "-role-arn", "-endpoint-url"} {
		t.Run(flag, func(t *testing.T) {
			for i := 0; i < len(args); i += 2 {
				if args[i] != flag {
					continue
				}
				o, err := parseFlags(args[i:i+2], io.Discard)
				require.NoError(t, err)
				assert.True(t, awsConfigured(o, noEnv), "%s alone means AWS", flag)
			}
		})
	}
	o, err = parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.False(t, awsConfigured(o, noEnv), "no flag and no environment: the demo")
	endpointEnv := func(k string) string {
		if k == "AWS_ENDPOINT_URL" {
			return "http://127.0.0.1:5000"
		}
		return ""
	}
	assert.True(t, awsConfigured(o, endpointEnv), "AWS_ENDPOINT_URL alone means AWS")
}
