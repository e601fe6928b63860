package awsidc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/identitycenter"
)

const (
	testToken      = "scim-token-ABCDEF0123456789-never-shown"
	testExternalID = "external-id-0123456789"
)

func TestValidateReportsEveryProblem(t *testing.T) {
	cfg := Config{
		Region:          "not a region",
		InstanceARN:     "arn:aws:sso:::instance/bad",
		RoleARN:         "arn:aws:iam::12:role/x",
		ExternalID:      "x",
		SessionDuration: 13 * time.Hour,
		SCIMEndpoint:    "http://scim.example.com/tenant/scim/v2/",
	}
	err := cfg.Validate()
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)

	var fields []string
	for _, p := range ce.Problems {
		fields = append(fields, p.Field)
	}
	assert.ElementsMatch(t, []string{"Region", "InstanceARN", "RoleARN", "ExternalID",
		"SessionDuration", "SCIMEndpoint", "SCIMToken"}, fields)
}

func TestValidateAcceptsGoodConfig(t *testing.T) {
	cfg := Config{
		Region:          "eu-west-1",
		InstanceARN:     "arn:aws:sso:::instance/ssoins-1234567890abcdef",
		IdentityStoreID: "d-1234567890",
		RoleARN:         "arn:aws:iam::123456789012:role/path/awsidc-reader",
		ExternalID:      testExternalID,
		SessionDuration: 12 * time.Hour,
		SCIMEndpoint:    "https://scim.eu-west-1.amazonaws.com/abc-123/scim/v2/",
		SCIMToken:       testToken,
	}
	assert.NoError(t, cfg.Validate())

	cfg.SCIMEndpoint = "http://127.0.0.1:8080/t/scim/v2"
	assert.NoError(t, cfg.Validate(), "http is fine for loopback")
}

func TestSecretsNeverPrinted(t *testing.T) {
	cfg := Config{Region: "eu-west-1", ExternalID: testExternalID,
		SCIMEndpoint: "https://scim.example.com/t/scim/v2", SCIMToken: testToken,
		RoleARN: "arn:aws:iam::123456789012:role/r"}

	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		outs = append(outs, fmt.Sprintf(verb, cfg), fmt.Sprintf(verb, &cfg))
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("cfg", "cfg", cfg, "token", cfg.SCIMToken)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("cfg", "cfg", cfg)
	outs = append(outs, buf.String())
	js, err := json.Marshal(cfg)
	require.NoError(t, err)
	outs = append(outs, string(js))

	bad := cfg
	bad.SessionDuration = time.Second
	bad.ExternalID = Secret(testExternalID + "\x00")
	outs = append(outs, bad.Validate().Error())

	for _, out := range outs {
		assert.NotContains(t, out, testToken)
		assert.NotContains(t, out, testExternalID)
	}
	assert.Equal(t, testToken, cfg.SCIMToken.Reveal())
}

func TestPickInstance(t *testing.T) {
	a := identitycenter.Instance{ARN: "arn:aws:sso:::instance/ssoins-aaaaaaaaaaaaaaaa",
		IdentityStoreID: "d-aaaaaaaaaa"}
	b := identitycenter.Instance{ARN: "arn:aws:sso:::instance/ssoins-bbbbbbbbbbbbbbbb",
		IdentityStoreID: "d-bbbbbbbbbb"}

	got, err := pickInstance([]identitycenter.Instance{a}, "")
	require.NoError(t, err)
	assert.Equal(t, a, got)

	_, err = pickInstance([]identitycenter.Instance{a, b}, "")
	require.ErrorIs(t, err, ErrInstance)
	assert.Contains(t, err.Error(), a.ARN)
	assert.Contains(t, err.Error(), b.ARN, "the error lists every instance")

	got, err = pickInstance([]identitycenter.Instance{a, b}, b.ARN)
	require.NoError(t, err)
	assert.Equal(t, b, got)

	_, err = pickInstance(nil, "")
	assert.ErrorIs(t, err, ErrInstance)
}

func TestNewRejectsBadConfigBeforeAnyCall(t *testing.T) {
	_, err := New(context.Background(), Config{AWS: &aws.Config{Region: "eu-west-1"},
		InstanceARN: "nope"})
	var ce *ConfigError
	assert.True(t, errors.As(err, &ce))
}

func TestRatesDefaultToAWSQuotas(t *testing.T) {
	got := Rates{SSOAdmin: 40}.internal()
	assert.Equal(t, 40.0, got.SSOAdmin, "a raised quota is kept")
	assert.Equal(t, 20.0, got.IdentityStore)
	assert.Equal(t, 8.0, got.ListAccounts)
	assert.Equal(t, 20.0, got.Organizations)
}

func TestValidateRefusesAnotherPartition(t *testing.T) {
	err := Config{Region: "eu-west-1",
		RoleARN:     "arn:aws-cn:iam::123456789012:role/r",
		InstanceARN: "arn:aws-cn:sso:::instance/ssoins-1234567890abcdef"}.Validate()
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	require.Len(t, ce.Problems, 2)
	assert.Contains(t, err.Error(), "partition aws-cn does not match Region eu-west-1")
}
