package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/scim"
)

func TestRun(t *testing.T) {
	org := awsidctest.NewOrg()
	srv := org.SCIMServer("tok-secret-123")
	defer srv.Close()
	uid, err := org.AddUser(awsidctest.UserSeed{UserName: "alice", GivenName: "A",
		FamilyName: "L", DisplayName: "Alice"})
	require.NoError(t, err)
	gid, err := org.AddGroup("ops", "")
	require.NoError(t, err)
	_, err = org.AddMember(gid, uid)
	require.NoError(t, err)

	env := func(k string) string {
		return map[string]string{"SCIM_TOKEN": "tok-secret-123", "OTHER": "tok-secret-123"}[k]
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		check    func(t *testing.T, out []byte)
	}{
		{"show", []string{"-endpoint", srv.URL(), "show", "alice"}, 0,
			func(t *testing.T, out []byte) {
				var u scim.User
				require.NoError(t, json.Unmarshal(out, &u))
				assert.Equal(t, uid, u.ID)
				assert.True(t, u.IsActive())
			}},
		{"suspend", []string{"-endpoint", srv.URL(), "-token-env", "OTHER", "suspend",
			"alice"}, 0, func(t *testing.T, out []byte) {
			var u scim.User
			require.NoError(t, json.Unmarshal(out, &u))
			assert.False(t, u.IsActive())
		}},
		{"reactivate", []string{"-endpoint", srv.URL(), "reactivate", "alice"}, 0,
			func(t *testing.T, out []byte) {
				var u scim.User
				require.NoError(t, json.Unmarshal(out, &u))
				assert.True(t, u.IsActive())
			}},
		{"groups", []string{"-endpoint", srv.URL(), "groups", "alice"}, 0,
			func(t *testing.T, out []byte) {
				var gs []scim.Group
				require.NoError(t, json.Unmarshal(out, &gs))
				require.Len(t, gs, 1)
				assert.Equal(t, gid, gs[0].ID)
			}},
		{"deprovision", []string{"-endpoint", srv.URL(), "deprovision", "alice"}, 0,
			func(t *testing.T, out []byte) {
				var u scim.User
				require.NoError(t, json.Unmarshal(out, &u))
				assert.Equal(t, uid, u.ID)
			}},
		{"gone", []string{"-endpoint", srv.URL(), "show", "alice"}, 1, nil},
		{"bad token env", []string{"-endpoint", srv.URL(), "-token-env", "NONE", "show",
			"alice"}, 2, nil},
		{"unknown action", []string{"-endpoint", srv.URL(), "delete", "alice"}, 2, nil},
		{"no endpoint", []string{"show", "alice"}, 2, nil},
		{"http endpoint not loopback", []string{"-endpoint", "http://example.com/", "show",
			"alice"}, 2, nil},
		{"bad flag", []string{"-nope"}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr, env)
			assert.Equal(t, tt.wantCode, code, "stderr: %s", stderr.String())
			assert.NotContains(t, stderr.String()+stdout.String(), "tok-secret-123")
			if tt.check != nil {
				tt.check(t, stdout.Bytes())
			}
		})
	}
}
