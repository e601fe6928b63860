package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc"
)

func runPolicy(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// actionsOf parses a policy document and returns its actions, failing on
// invalid JSON or on an action listed twice.
func actionsOf(t *testing.T, doc string) []string {
	t.Helper()
	var d awsidc.PolicyDocument
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&d), "valid JSON:\n%s", doc)
	var all []string
	seen := map[string]bool{}
	for _, st := range d.Statement {
		for _, a := range st.Action {
			assert.Falsef(t, seen[a], "%s appears twice", a)
			seen[a] = true
			all = append(all, a)
		}
	}
	return all
}

func TestJSON(t *testing.T) {
	tests := []struct {
		features string
		want     []awsidc.FeatureName
	}{
		{"", awsidc.ReviewFeatures()},
		{"review", awsidc.ReviewFeatures()},
		{"grant,revoke", []awsidc.FeatureName{awsidc.FeatureGrant, awsidc.FeatureRevoke}},
		{"all", awsidc.AllFeatures()},
	}
	for _, tt := range tests {
		t.Run(tt.features, func(t *testing.T) {
			args := []string{}
			if tt.features != "" {
				args = append(args, "-features", tt.features)
			}
			code, out, stderr := runPolicy(t, args...)
			require.Equal(t, 0, code, stderr)
			assert.ElementsMatch(t, awsidc.RequiredActions(tt.want...), actionsOf(t, out))
		})
	}
}

func TestTerraform(t *testing.T) {
	code, out, stderr := runPolicy(t, "-features", "review,grant", "-format", "terraform",
		"-role-name", "access-review")
	require.Equal(t, 0, code, stderr)

	for _, want := range []string{
		`resource "aws_iam_role" "awsidc"`,
		`name                 = "access-review"`,
		`max_session_duration = 43200`,
		`Action    = "sts:AssumeRole"`,
		`Principal = { AWS = var.trusted_principal_arn }`,
		`Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }`,
		`sensitive   = true`,
		`resource "aws_iam_role_policy" "awsidc"`,
		`role   = aws_iam_role.awsidc.id`,
		`arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*`,
	} {
		assert.Contains(t, out, want)
	}
	assert.Equal(t, strings.Count(out, "{"), strings.Count(out, "}"), "braces balance")

	// The heredoc holds the same policy as the JSON format, with nothing
	// Terraform would interpolate.
	start := strings.Index(out, "<<-EOT\n")
	end := strings.Index(out, "\n  EOT\n")
	require.True(t, start > 0 && end > start, "a heredoc")
	body := out[start+len("<<-EOT\n") : end]
	assert.NotContains(t, body, "${")
	assert.NotContains(t, body, "%{")
	_, want, _ := runPolicy(t, "-features", "review,grant")
	assert.ElementsMatch(t, actionsOf(t, want), actionsOf(t, body))
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown feature", []string{"-features", "read-everything"}, "unknown feature"},
		{"no feature", []string{"-features", ","}, "no feature selected"},
		{"unknown format", []string{"-format", "yaml"}, "unknown format"},
		{"bad role name", []string{"-format", "terraform", "-role-name", `a"b`},
			"invalid role name"},
		{"argument", []string{"extra"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runPolicy(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, stderr, tt.want)
		})
	}
}

// TestREADMEShowsTheReviewPolicy keeps the README's policy from drifting
// from what the code generates.
func TestREADMEShowsTheReviewPolicy(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## Permissions\n")
	require.True(t, ok, "the README has a Permissions section")
	_, block, ok := strings.Cut(section, "```json\n")
	require.True(t, ok, "the section shows a policy")
	block, _, ok = strings.Cut(block, "```")
	require.True(t, ok)

	code, out, stderr := runPolicy(t)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, out, block, "regenerate with go run ./examples/policy")
}
