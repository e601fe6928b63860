package scim_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/awsidc/awsidc/scim"
)

// These tests run the client against SCIMMY, an independent SCIM 2.0 server
// (testdata/scimmy), for what RFC 7644 fixes: filter syntax and escaping, PatchOp
// bodies, ListResponse and Error parsing, and startIndex paging.

// countingTransport counts round trips.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func scimmyClient(t *testing.T, opts ...scim.Option) (*scim.Client, *countingTransport) {
	t.Helper()
	endpoint := os.Getenv("AWSIDC_SCIMMY_ENDPOINT")
	if endpoint == "" {
		t.Skip("AWSIDC_SCIMMY_ENDPOINT is not set: start testdata/scimmy/server.mjs and set it" +
			" to its URL, such as http://127.0.0.1:8890/scim/v2/")
	}
	token := os.Getenv("AWSIDC_SCIMMY_TOKEN")
	if token == "" {
		token = "scimmy-test-token"
	}
	ct := &countingTransport{}
	opts = append([]scim.Option{scim.WithRateLimit(rate.Inf, 1),
		scim.WithHTTPClient(&http.Client{Transport: ct})}, opts...)
	c, err := scim.New(endpoint, token, opts...)
	require.NoError(t, err)
	return c, ct
}

// suffix makes names unique across runs against a long-lived server.
func suffix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

func newUser(name string) scim.User {
	return scim.User{
		UserName:    name,
		ExternalID:  "ext-" + name,
		DisplayName: "Test " + name,
		Name:        &scim.Name{GivenName: "Test", FamilyName: name},
		Emails:      []scim.Email{{Value: "x@example.com", Type: "work", Primary: true}},
		Active:      scim.Bool(true),
	}
}

func TestSCIMMYFilterEscaping(t *testing.T) {
	c, _ := scimmyClient(t)
	ctx := context.Background()
	s := suffix(t)
	// SCIMMY's filter parser reads neither \" nor \\ inside a value, although RFC 7644
	// makes compValue a JSON string; FuzzFilter checks those with another parser.
	names := []string{
		"plus+" + s + "@example.com",
		"space " + s,
		"apostrophe-o'brien-" + s,
		"zoë-日本-" + s,
		"amp&eq=" + s + "?#",
		"percent%2B-" + s,
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			created, err := c.CreateUser(ctx, newUser(name))
			require.NoError(t, err)
			require.NotEmpty(t, created.ID)
			assert.Equal(t, name, created.UserName)

			byName, err := c.UserByUserName(ctx, name)
			require.NoError(t, err)
			assert.Equal(t, created.ID, byName.ID)

			byExt, err := c.UserByExternalID(ctx, "ext-"+name)
			require.NoError(t, err)
			assert.Equal(t, created.ID, byExt.ID)

			got, err := c.User(ctx, created.ID)
			require.NoError(t, err)
			assert.Equal(t, "x@example.com", got.PrimaryEmail())
			require.NoError(t, c.Deprovision(ctx, created.ID))
		})
	}

	_, err := c.UserByUserName(ctx, "nobody-"+s)
	assert.ErrorIs(t, err, scim.ErrNotFound)
}

func TestSCIMMYStartIndexPaging(t *testing.T) {
	c, ct := scimmyClient(t, scim.WithPageSize(4))
	ctx := context.Background()
	s := suffix(t)
	want := map[string]bool{}
	for i := range 11 {
		u, err := c.CreateUser(ctx, newUser("page-"+s+"-"+string(rune('a'+i))))
		require.NoError(t, err)
		want[u.ID] = true
	}
	t.Cleanup(func() {
		for id := range want {
			_ = c.Deprovision(context.Background(), id)
		}
	})

	before := ct.n.Load()
	seen := map[string]int{}
	for u, err := range c.Users(ctx) {
		require.NoError(t, err)
		seen[u.ID]++
	}
	pages := ct.n.Load() - before
	for id := range want {
		assert.Equal(t, 1, seen[id], "user %s listed once", id)
	}
	assert.GreaterOrEqual(t, pages, int64(3), "11 users in pages of 4 take at least 3 pages")
	assert.Equal(t, int64(len(seen)+3)/4, pages, "one request per page")

	// An early break makes no further request.
	before = ct.n.Load()
	for _, err := range c.Users(ctx) {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, int64(1), ct.n.Load()-before)
}

func TestSCIMMYLifecycle(t *testing.T) {
	c, _ := scimmyClient(t)
	ctx := context.Background()
	s := suffix(t)

	alice, err := c.CreateUser(ctx, newUser("alice-"+s))
	require.NoError(t, err)
	bob, err := c.CreateUser(ctx, newUser("bob-"+s))
	require.NoError(t, err)
	g, err := c.CreateGroup(ctx, scim.Group{DisplayName: "Ops " + s})
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = c.DeleteGroup(context.Background(), g.ID)
		_ = c.Deprovision(context.Background(), alice.ID)
		_ = c.Deprovision(context.Background(), bob.ID)
	})

	// Duplicate user name: 409 with the RFC body.
	_, err = c.CreateUser(ctx, newUser("alice-"+s))
	var e *scim.Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, scim.ErrConflict)
	assert.Equal(t, "uniqueness", e.ScimType)

	// Membership through PATCH add and remove with path members.
	require.NoError(t, c.AddMembers(ctx, g.ID, alice.ID, bob.ID))
	members := ids(t, c.GroupMembers(ctx, g.ID))
	assert.ElementsMatch(t, []string{alice.ID, bob.ID}, members)
	groups := ids(t, c.UserGroups(ctx, alice.ID))
	assert.Equal(t, []string{g.ID}, groups)

	require.NoError(t, c.RemoveMembers(ctx, g.ID, alice.ID))
	assert.Equal(t, []string{bob.ID}, ids(t, c.GroupMembers(ctx, g.ID)))
	assert.Empty(t, ids(t, c.UserGroups(ctx, alice.ID)))

	byName, err := c.GroupByDisplayName(ctx, "Ops "+s)
	require.NoError(t, err)
	assert.Equal(t, g.ID, byName.ID)

	// Suspend and reactivate: SCIMMY answers PATCH with 200 and the user.
	require.NoError(t, c.Suspend(ctx, alice.ID))
	got, err := c.User(ctx, alice.ID)
	require.NoError(t, err)
	assert.False(t, got.IsActive())
	require.NoError(t, c.Reactivate(ctx, alice.ID))
	got, err = c.User(ctx, alice.ID)
	require.NoError(t, err)
	assert.True(t, got.IsActive())

	// Replace.
	got.DisplayName = "Alice Replaced"
	replaced, err := c.ReplaceUser(ctx, got)
	require.NoError(t, err)
	assert.Equal(t, "Alice Replaced", replaced.DisplayName)

	// Delete, then 404 with the RFC body; deprovision again is done.
	require.NoError(t, c.DeleteUser(ctx, alice.ID))
	_, err = c.User(ctx, alice.ID)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusNotFound, e.StatusCode)
	assert.ErrorIs(t, err, scim.ErrNotFound)
	assert.NotEmpty(t, e.Detail)
	assert.NoError(t, c.Deprovision(ctx, alice.ID))
}

func TestSCIMMYErrors(t *testing.T) {
	c, _ := scimmyClient(t)
	ctx := context.Background()

	g, err := c.CreateGroup(ctx, scim.Group{DisplayName: "errors " + suffix(t)})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.DeleteGroup(context.Background(), g.ID) })
	err = c.AddMembers(ctx, g.ID, "no-such-user")
	var e *scim.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	assert.Equal(t, "invalidValue", e.ScimType)
	assert.Contains(t, e.Detail, "no-such-user")

	err = c.PatchUser(ctx, "no-such-user", scim.PatchOperation{Op: "replace",
		Path: "active", Value: false})
	assert.ErrorIs(t, err, scim.ErrNotFound)

	bad, err := scim.New(os.Getenv("AWSIDC_SCIMMY_ENDPOINT"), "wrong-token",
		scim.WithRateLimit(rate.Inf, 1))
	require.NoError(t, err)
	_, err = bad.User(ctx, "x")
	assert.ErrorIs(t, err, scim.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong-token")
}

func ids[T interface{ scim.User | scim.Group }](t *testing.T,
	seq func(func(T, error) bool)) []string {
	t.Helper()
	var out []string
	for v, err := range seq {
		require.NoError(t, err)
		switch v := any(v).(type) {
		case scim.User:
			out = append(out, v.ID)
		case scim.Group:
			out = append(out, v.ID)
		}
	}
	return out
}
