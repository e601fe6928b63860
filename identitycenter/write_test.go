package identitycenter_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/mototest"
)

// writeBackend is one identity store to write to, with a reader of it and
// seeding functions.
type writeBackend struct {
	name     string
	addUser  func(t *testing.T, userName string) string
	addGroup func(t *testing.T, displayName string) string
	addMem   func(t *testing.T, groupID, userID string)
	writer   *identitycenter.Writer
	reader   *identitycenter.Client
	// lookups reports whether GetGroupMembershipId works (moto lacks it).
	lookups bool
}

func writeBackends(t *testing.T) []writeBackend {
	org := awsidctest.NewOrg()
	out := []writeBackend{{
		name: "fake",
		addUser: func(t *testing.T, name string) string {
			id, err := org.AddUser(awsidctest.UserSeed{UserName: name})
			require.NoError(t, err)
			return id
		},
		addGroup: func(t *testing.T, name string) string {
			id, err := org.AddGroup(name, "")
			require.NoError(t, err)
			return id
		},
		addMem: func(t *testing.T, gid, uid string) {
			_, err := org.AddMember(gid, uid)
			require.NoError(t, err)
		},
		writer:  identitycenter.NewWriter(org.IdentityStore(), org.IdentityStoreID()),
		reader:  identitycenter.New(org.IdentityStore(), org.IdentityStoreID()),
		lookups: true,
	}}
	if os.Getenv(mototest.EnvEndpoint) != "" {
		f := mototest.NewFixture(t)
		out = append(out, writeBackend{
			name:     "moto",
			addUser:  func(t *testing.T, name string) string { return f.CreateUser(t, name) },
			addGroup: func(t *testing.T, name string) string { return f.CreateGroup(t, name) },
			addMem:   func(t *testing.T, gid, uid string) { f.AddMember(t, gid, uid) },
			writer:   identitycenter.NewWriter(f.IdentityStore, f.IdentityStoreID),
			reader:   identitycenter.New(f.IdentityStore, f.IdentityStoreID),
		})
	}
	return out
}

func TestWriterMemberships(t *testing.T) {
	for _, b := range writeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := t.Context()
			uid := b.addUser(t, "writer.member")
			gid := b.addGroup(t, "writer-group")

			mid, err := b.writer.AddMember(ctx, gid, uid)
			require.NoError(t, err)
			assert.Equal(t, []string{uid}, memberIDs(t, b.reader, gid))

			if b.lookups {
				got, err := b.writer.MembershipID(ctx, gid, uid)
				require.NoError(t, err)
				assert.Equal(t, mid, got)
				require.NoError(t, b.writer.RemoveMember(ctx, gid, uid))
				err = b.writer.RemoveMember(ctx, gid, uid)
				assert.ErrorIs(t, err, identitycenter.ErrNotFound, "got %v", err)
			} else {
				require.NoError(t, b.writer.DeleteMembership(ctx, mid))
			}
			assert.Empty(t, memberIDs(t, b.reader, gid))
		})
	}
}

func TestWriterDeleteUser(t *testing.T) {
	for _, b := range writeBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := t.Context()
			uid := b.addUser(t, "writer.gone")
			gid := b.addGroup(t, "writer-gone-group")
			b.addMem(t, gid, uid)

			require.NoError(t, b.writer.DeleteUser(ctx, uid))
			_, err := b.reader.User(ctx, uid)
			assert.ErrorIs(t, err, identitycenter.ErrNotFound, "got %v", err)
			assert.Empty(t, memberIDs(t, b.reader, gid), "memberships go with the user")
		})
	}
}

func TestWriterErrorsNameTheCall(t *testing.T) {
	org := awsidctest.NewOrg(awsidctest.WithInterceptor(awsidctest.AllowOnly()))
	w := identitycenter.NewWriter(org.IdentityStore(), org.IdentityStoreID())
	err := w.DeleteUser(t.Context(), "u-1")
	require.ErrorIs(t, err, identitycenter.ErrAccessDenied)
	assert.Contains(t, err.Error(), "identitystore:DeleteUser")
	assert.Contains(t, err.Error(), "u-1")
}

func memberIDs(t *testing.T, c *identitycenter.Client, groupID string) []string {
	t.Helper()
	var ids []string
	for m, err := range c.Members(t.Context(), groupID) {
		require.NoError(t, err)
		ids = append(ids, m.UserID)
	}
	return ids
}
