package identitycenter_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/awscall"
	"github.com/awsidc/awsidc/internal/testkit"
)

var fastRetries = identitycenter.WithRetryer(testkit.NoWait{Retryer: awscall.NewRetryer(25)})

// faultDirectory builds the same directory on every call: 7 users, 3
// groups, pages of at most two items.
func faultDirectory(t *testing.T) (*awsidctest.Org, []string, []string) {
	t.Helper()
	o := awsidctest.NewOrg(awsidctest.WithSeed("ic-faults"), awsidctest.WithPageLimit(2))
	var users, groups []string
	for i := range 7 {
		id, err := o.AddUser(awsidctest.UserSeed{UserName: fmt.Sprintf("u%d", i)})
		require.NoError(t, err)
		users = append(users, id)
	}
	for i := range 3 {
		id, err := o.AddGroup(fmt.Sprintf("g%d", i), "")
		require.NoError(t, err)
		groups = append(groups, id)
		for _, u := range users[i : i+3+i] {
			_, err := o.AddMember(id, u)
			require.NoError(t, err)
		}
	}
	return o, users, groups
}

type directory struct {
	Users       []identitycenter.User
	Groups      []identitycenter.Group
	Members     [][]identitycenter.Membership
	Memberships []identitycenter.Membership
}

func readDirectory(t *testing.T, c *identitycenter.Client, users, groups []string) directory {
	t.Helper()
	ctx := context.Background()
	var d directory
	for u, err := range c.Users(ctx) {
		require.NoError(t, err)
		d.Users = append(d.Users, u)
	}
	for g, err := range c.Groups(ctx) {
		require.NoError(t, err)
		d.Groups = append(d.Groups, g)
	}
	for _, g := range groups {
		var ms []identitycenter.Membership
		for m, err := range c.Members(ctx, g) {
			require.NoError(t, err)
			ms = append(ms, m)
		}
		d.Members = append(d.Members, ms)
	}
	for m, err := range c.MembershipsOf(ctx, users[2]) {
		require.NoError(t, err)
		d.Memberships = append(d.Memberships, m)
	}
	return d
}

func TestDirectoryUnderFaultsMatchesFaultFree(t *testing.T) {
	o, users, groups := faultDirectory(t)
	want := readDirectory(t, identitycenter.New(o.IdentityStore(), o.IdentityStoreID(),
		fastRetries), users, groups)
	require.Len(t, want.Users, 7)
	require.Len(t, want.Memberships, 3)

	for seed := range uint64(10) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			o, users, groups := faultDirectory(t)
			f := awsidctest.NewFaults(awsidctest.Schedule{Seed: seed, Throttle: 0.3,
				ServerError: 0.05, Timeout: 0.03, ShortPage: 0.3, EmptyPage: 0.2,
				ExpiredToken: 0.3})
			fo := awsidctest.Faulty(o, f)
			c := identitycenter.New(fo.IdentityStore(), o.IdentityStoreID(), fastRetries)
			assert.Equal(t, want, readDirectory(t, c, users, groups))
			assert.Positive(t, f.Total())
		})
	}
}

func TestWriterUnderFaultsChangesOnce(t *testing.T) {
	for seed := range uint64(10) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			o, users, groups := faultDirectory(t)
			f := awsidctest.NewFaults(awsidctest.Schedule{Seed: seed, Throttle: 0.3,
				ServerError: 0.05, Timeout: 0.05})
			fo := awsidctest.Faulty(o, f)
			w := identitycenter.NewWriter(fo.IdentityStore(), o.IdentityStoreID(), fastRetries)
			ctx := context.Background()

			_, err := w.AddMember(ctx, groups[0], users[6])
			require.NoError(t, err)
			require.NoError(t, w.RemoveMember(ctx, groups[0], users[0]))
			c := identitycenter.New(o.IdentityStore(), o.IdentityStoreID(), fastRetries)
			var members []string
			for m, err := range c.Members(ctx, groups[0]) {
				require.NoError(t, err)
				members = append(members, m.UserID)
			}
			assert.ElementsMatch(t, []string{users[1], users[2], users[6]}, members)
		})
	}
}
