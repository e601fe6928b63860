package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/internal/mototest"
	"github.com/awsidc/awsidc/review"
)

// noEnv is an environment with nothing set.
func noEnv(string) string { return "" }

type result struct {
	code           int
	stdout, stderr string
}

func runWith(t *testing.T, getenv func(string) string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb, getenv)
	return result{code, out.String(), errb.String()}
}

// golden returns the review package's golden export of the demo
// organisation, which the command must reproduce byte for byte.
func golden(t *testing.T, f review.Format) string {
	t.Helper()
	golden := filepath.Join("..", "..", "review", "testdata", "golden", "demo."+string(f))
	b, err := os.ReadFile(golden)
	require.NoError(t, err)
	return string(b)
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestDefaultReviewsTheDemo(t *testing.T) {
	t.Parallel()
	r := runWith(t, noEnv)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, golden(t, review.FormatTable), r.stdout)
	require.Len(t, lines(r.stderr), 1, "one notice line, got %q", r.stderr)
	assert.Contains(t, r.stderr, "demo")

	// -demo reviews the demo even when AWS is configured.
	env := func(k string) string {
		if k == "AWS_REGION" {
			return "eu-west-1"
		}
		return ""
	}
	r = runWith(t, env, "-demo")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, golden(t, review.FormatTable), r.stdout)
}

func TestFormats(t *testing.T) {
	t.Parallel()
	for _, f := range review.Formats {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			r := runWith(t, noEnv, "-format", string(f))
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, golden(t, f), r.stdout)
		})
	}
}

func TestOut(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "access.csv")
	r := runWith(t, noEnv, "-format", "csv", "-out", path)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stdout)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, golden(t, review.FormatCSV), string(got))

	// An -out that cannot be created is a runtime error.
	r = runWith(t, noEnv, "-out", filepath.Join(t.TempDir(), "missing", "dir", "x"))
	assert.Equal(t, 1, r.code)
	assert.Len(t, lines(r.stderr), 2, "the notice and one error line: %q", r.stderr)
}

func TestSaveThenDiffFindsNoChange(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"snap.json", "snap.json.gz"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), name)
			r := runWith(t, noEnv, "-save-snapshot", path, "-format", "jsonl")
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, golden(t, review.FormatJSONL), r.stdout, "review printed as well")

			data, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, strings.HasSuffix(name, ".gz"),
				bytes.HasPrefix(data, []byte{0x1f, 0x8b}), "gzip by extension")
			snap, err := review.Load(bytes.NewReader(data))
			require.NoError(t, err)
			assert.Equal(t, 123, snap.Counts().Access)

			for _, tc := range []struct {
				format string
				check  func(t *testing.T, out string)
			}{
				{"table", func(t *testing.T, out string) {
					require.Len(t, lines(out), 1, "the header alone: %q", out)
					assert.True(t, strings.HasPrefix(out, "CHANGE"))
				}},
				{"jsonl", func(t *testing.T, out string) { assert.Empty(t, out) }},
				{"csv", func(t *testing.T, out string) { assert.Len(t, lines(out), 1) }},
				{"json", func(t *testing.T, out string) {
					var d review.Diff
					require.NoError(t, json.Unmarshal([]byte(out), &d))
					assert.True(t, d.Empty(), "diff %s", out)
				}},
			} {
				r := runWith(t, noEnv, "-diff", path, "-format", tc.format)
				require.Equal(t, 0, r.code, r.stderr)
				tc.check(t, r.stdout)
			}
		})
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	type row struct {
		UserName  string `json:"user_name"`
		AccountID string `json:"account_id"`
	}
	all := lines(golden(t, review.FormatJSONL))
	parse := func(t *testing.T, ls []string) []row {
		var rows []row
		for _, l := range ls {
			var r row
			require.NoError(t, json.Unmarshal([]byte(l), &r))
			rows = append(rows, r)
		}
		return rows
	}
	keep := func(f func(row) bool) []string {
		var out []string
		for i, r := range parse(t, all) {
			if f(r) {
				out = append(out, all[i])
			}
		}
		return out
	}

	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"user", []string{"-user", "alice.martin"},
			keep(func(r row) bool { return r.UserName == "alice.martin" })},
		{"account", []string{"-account", "222222222222"},
			keep(func(r row) bool { return r.AccountID == "222222222222" })},
		{"both", []string{"-user", "alice.martin", "-account", "222222222222"},
			keep(func(r row) bool {
				return r.UserName == "alice.martin" && r.AccountID == "222222222222"
			})},
		{"unknown user", []string{"-user", "nobody"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, noEnv, append(tc.args, "-format", "jsonl")...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, tc.want, lines(r.stdout))
			if tc.name != "unknown user" {
				assert.NotEmpty(t, tc.want, "the filter keeps some rows")
				assert.Less(t, len(tc.want), len(all), "the filter drops some rows")
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"unknown flag", []string{"-nope"}},
		{"unknown format", []string{"-format", "xml"}},
		{"argument", []string{"extra"}},
		{"flag without value", []string{"-out"}},
		{"bad duration", []string{"-session-duration", "soon"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, noEnv, tc.args...)
			assert.Equal(t, 2, r.code)
			assert.Empty(t, r.stdout)
			assert.NotEmpty(t, r.stderr)
		})
	}
}

func TestBadDiffFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	saved := filepath.Join(dir, "good.json")
	require.Equal(t, 0, runWith(t, noEnv, "-save-snapshot", saved).code)
	good, err := os.ReadFile(saved)
	require.NoError(t, err)

	for _, tc := range []struct{ name, path string }{
		{"missing", filepath.Join(dir, "missing.json")},
		{"not a snapshot", write("foreign.json", `{"hello":"world"}`)},
		{"truncated", write("truncated.json", string(good[:len(good)/2]))},
		{"csv", write("access.csv", "user_id,user_name\n1,2\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, noEnv, "-diff", tc.path)
			assert.Equal(t, 1, r.code)
			assert.Empty(t, r.stdout)
			require.Len(t, lines(r.stderr), 1, "one line, before any collecting: %q", r.stderr)
			assert.True(t, strings.HasPrefix(r.stderr, "accessreview: "), r.stderr)
		})
	}
}

// TestAgainstMoto reviews a small organisation seeded in an isolated moto
// account, reached as any AWS endpoint with credentials in the environment.
// It sets process environment variables, so it does not run in parallel.
func TestAgainstMoto(t *testing.T) {
	f := mototest.NewFixture(t)

	userID := f.CreateUser(t, "ana, \"quoted\"")
	groupID := f.CreateGroup(t, "Ops, night")
	f.AddMember(t, groupID, userID)
	account := f.CreateAccount(t, "prod")
	set := f.CreatePermissionSet(t, "ReadOnly")
	f.Assign(t, account, set, ssotypes.PrincipalTypeGroup, groupID)
	f.Assign(t, account, set, ssotypes.PrincipalTypeUser, userID)

	// The command reads every permission set's policies, tags included, and
	// fails when it cannot (after retrying for minutes). moto 5.2.1 answers
	// ListTagsForResource with HTTP 500 unless the launcher provides it.
	_, err := f.SSOAdmin.ListTagsForResource(t.Context(), &ssoadmin.ListTagsForResourceInput{
		InstanceArn: aws.String(f.InstanceARN), ResourceArn: aws.String(set)})
	if err != nil {
		t.Skipf("moto cannot list a permission set's tags, which the review reads: %v", err)
	}

	creds, err := f.Config.Credentials.Retrieve(t.Context())
	require.NoError(t, err)
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":     creds.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY": creds.SecretAccessKey,
		"AWS_SESSION_TOKEN":     creds.SessionToken,
		"AWS_REGION":            "", "AWS_DEFAULT_REGION": "", "AWS_PROFILE": "",
		"AWS_ENDPOINT_URL": "", "AWS_CA_BUNDLE": "",
		"AWS_CONFIG_FILE":             filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none"),
		"NO_PROXY":                    "127.0.0.1,localhost",
	} {
		t.Setenv(k, v)
	}

	r := runWith(t, os.Getenv, "-endpoint-url", aws.ToString(f.Config.BaseEndpoint),
		"-region", mototest.Region, "-format", "jsonl")
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "demo")

	var rows []review.Access
	for _, l := range lines(r.stdout) {
		var a review.Access
		require.NoError(t, json.Unmarshal([]byte(l), &a))
		rows = append(rows, a)
	}
	require.Len(t, rows, 1, r.stdout)
	got := rows[0]
	assert.Equal(t, userID, got.UserID)
	assert.Equal(t, `ana, "quoted"`, got.UserName)
	assert.Equal(t, account, got.AccountID)
	assert.Equal(t, "prod", got.AccountName)
	assert.Equal(t, set, got.PermissionSetARN)
	assert.Equal(t, []review.Path{
		{PrincipalType: "USER", PrincipalID: userID},
		{PrincipalType: "GROUP", PrincipalID: groupID, GroupName: "Ops, night"},
	}, got.Via)
}

func TestUnknownFilterWarns(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-demo", "-user", "nobody", "-account", "000000000000"}
	code := run(context.Background(), args, &stdout, &stderr, func(string) string { return "" })
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr.String(), `no user named "nobody"`)
	assert.Contains(t, stderr.String(), `no account "000000000000"`)
}
