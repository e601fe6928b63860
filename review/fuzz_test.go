package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

// demoFile returns the demo organisation's snapshot as a saved file.
func demoFile(t testing.TB, compress bool) []byte {
	t.Helper()
	o := awsidctest.Demo()
	snap, err := review.Collect(context.Background(),
		identitycenter.New(o.IdentityStore(), o.IdentityStoreID()),
		permissions.New(o.SSOAdmin(), o.Organizations(), o.InstanceARN()),
		review.Options{InstanceARN: o.InstanceARN(), IdentityStoreID: o.IdentityStoreID(),
			Now: func() time.Time { return snapTime }})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, snap.Save(&buf, compress))
	return buf.Bytes()
}

func TestLoadRefusesDamagedFiles(t *testing.T) {
	plain := demoFile(t, false)
	gz := demoFile(t, true)
	s, err := review.Load(bytes.NewReader(plain))
	require.NoError(t, err)
	require.NotEmpty(t, s.Users)

	edited := bytes.Replace(plain, []byte("alice.martin"), []byte("alice.martln"), 1)
	require.NotEqual(t, plain, edited)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a snapshot file"},
		{"truncated", plain[:len(plain)/2], "not a snapshot file"},
		{"truncated gzip", gz[:len(gz)/2], "file refused"},
		{"edited", edited, "checksum mismatch"},
		{"foreign JSON", []byte(`{"users":[]}`), "format"},
		{"decision file", []byte(`{"format":"awsidc-decisions","version":1}`), "format"},
		{"newer version", bytes.Replace(plain, []byte(`"version":1`), []byte(`"version":2`), 1),
			"version 2"},
		{"trailing data", append(append([]byte{}, plain...), []byte(`{}`)...),
			"not a snapshot file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := review.Load(bytes.NewReader(tt.data))
			assert.Nil(t, s)
			require.ErrorIs(t, err, review.ErrBadFile)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// FuzzLoadSnapshot feeds Load damaged and hostile files: it must never
// panic, must refuse with ErrBadFile, and what it accepts must save and
// load back the same.
func FuzzLoadSnapshot(f *testing.F) {
	// Small seeds: the fuzzer minimises what it finds, which is slow on
	// large inputs.
	small := &review.Snapshot{InstanceARN: "arn:aws:sso:::instance/ssoins-1234567890abcdef",
		IdentityStoreID: "d-1234567890", TakenAt: snapTime,
		Users: []identitycenter.User{{ID: "u1", UserName: "ada"}},
		Assignments: []permissions.Assignment{{AccountID: "123456789012",
			PermissionSetARN: "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
			PrincipalType:    permissions.PrincipalUser, PrincipalID: "u1"}}}
	for _, compress := range []bool{false, true} {
		var buf bytes.Buffer
		require.NoError(f, small.Save(&buf, compress))
		f.Add(buf.Bytes())
		f.Add(buf.Bytes()[:buf.Len()-10])
	}
	f.Add([]byte(`{"format":"awsidc-snapshot","version":1,"sha256":"` +
		"74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b" +
		`","snapshot":null}`))
	f.Add([]byte(`{"format":"awsidc-snapshot","version":-1}`))
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00})
	f.Add([]byte(strings.Repeat("[", 1000)))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := review.Load(bytes.NewReader(data))
		if err != nil {
			assert.Nil(t, s)
			assert.ErrorIs(t, err, review.ErrBadFile)
			return
		}
		require.NotNil(t, s)
		var buf bytes.Buffer
		require.NoError(t, s.Save(&buf, false))
		again, err := review.Load(&buf)
		require.NoError(t, err)
		a, err := json.Marshal(s)
		require.NoError(t, err)
		b, err := json.Marshal(again)
		require.NoError(t, err)
		assert.JSONEq(t, string(a), string(b))
	})
}
