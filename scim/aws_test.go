package scim_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/scim"
)

const awsToken = "aws-scim-bearer-token-for-tests"

// fastRetries keeps tests quick while still retrying.
var fastRetries = scim.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond,
	MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 5 * time.Second}

func awsFake(t *testing.T, sopts []awsidctest.SCIMOption, opts ...scim.Option) (
	*awsidctest.Org, *awsidctest.SCIMServer, *scim.Client) {
	t.Helper()
	org := awsidctest.NewOrg()
	srv := org.SCIMServer(awsToken, sopts...)
	t.Cleanup(srv.Close)
	opts = append([]scim.Option{scim.WithRateLimit(rate.Inf, 1),
		scim.WithRetryPolicy(fastRetries)}, opts...)
	c, err := scim.New(srv.URL(), awsToken, opts...)
	require.NoError(t, err)
	return org, srv, c
}

func awsUser(name string) scim.User {
	return scim.User{
		UserName:    name,
		ExternalID:  "ext-" + name,
		DisplayName: "User " + name,
		Name:        &scim.Name{GivenName: "Given", FamilyName: "Family"},
		Emails:      []scim.Email{{Value: name + "@example.com", Type: "work", Primary: true}},
		Active:      scim.Bool(true),
	}
}

func describe(t *testing.T, org *awsidctest.Org, id string) (*identitystore.DescribeUserOutput,
	error) {
	t.Helper()
	return org.IdentityStore().DescribeUser(context.Background(), &identitystore.DescribeUserInput{
		IdentityStoreId: aws.String(org.IdentityStoreID()), UserId: aws.String(id)})
}

func TestAWSUserLifecycleSharesTheStore(t *testing.T) {
	org, _, c := awsFake(t, nil)
	ctx := context.Background()

	alice, err := c.CreateUser(ctx, awsUser("alice"))
	require.NoError(t, err)
	require.NotEmpty(t, alice.ID)
	assert.True(t, alice.IsActive())

	// Created over SCIM, seen by the Identity Store.
	out, err := describe(t, org, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, "alice", aws.ToString(out.UserName))
	assert.Equal(t, idtypes.UserStatusEnabled, out.UserStatus)

	// Created through the Identity Store side, seen over SCIM.
	bobID, err := org.AddUser(awsidctest.UserSeed{UserName: "bob", ExternalID: "ext-bob",
		GivenName: "Bob", FamilyName: "B", DisplayName: "Bob"})
	require.NoError(t, err)
	bob, err := c.UserByUserName(ctx, "BOB")
	require.NoError(t, err, "userName matching ignores case")
	assert.Equal(t, bobID, bob.ID)
	byExt, err := c.UserByExternalID(ctx, "ext-bob")
	require.NoError(t, err)
	assert.Equal(t, bobID, byExt.ID)
	assert.Empty(t, bob.Emails, "a user made outside SCIM may have no email")

	// Suspend shows as a disabled user; reactivate undoes it.
	require.NoError(t, c.Suspend(ctx, alice.ID))
	out, err = describe(t, org, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, idtypes.UserStatusDisabled, out.UserStatus)
	got, err := c.User(ctx, alice.ID)
	require.NoError(t, err)
	assert.False(t, got.IsActive())
	require.NoError(t, c.Reactivate(ctx, alice.ID))
	out, err = describe(t, org, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, idtypes.UserStatusEnabled, out.UserStatus)

	// Replace.
	got, err = c.User(ctx, alice.ID)
	require.NoError(t, err)
	got.DisplayName = "Alice Liddell"
	got.Title = "Reviewer"
	replaced, err := c.ReplaceUser(ctx, got)
	require.NoError(t, err)
	assert.Equal(t, "Alice Liddell", replaced.DisplayName)
	out, err = describe(t, org, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, "Reviewer", aws.ToString(out.Title))

	// Deprovision cascades memberships and assignments.
	gid, err := org.AddGroup("ops", "")
	require.NoError(t, err)
	require.NoError(t, c.AddMembers(ctx, gid, alice.ID, bobID))
	acct, err := org.AddAccount(awsidctest.AccountSeed{Name: "prod"})
	require.NoError(t, err)
	ps, err := org.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "Admin"})
	require.NoError(t, err)
	require.NoError(t, org.Assign(acct, ps, "USER", alice.ID))
	require.NoError(t, org.Assign(acct, ps, "USER", bobID))

	require.NoError(t, c.Deprovision(ctx, alice.ID))
	_, err = describe(t, org, alice.ID)
	var rnf *idtypes.ResourceNotFoundException
	assert.ErrorAs(t, err, &rnf)
	members := userIDs(t, c.GroupMembers(ctx, gid))
	assert.Equal(t, []string{bobID}, members)
	for _, a := range org.Assignments() {
		assert.NotEqual(t, alice.ID, a.PrincipalID, "the user's assignments are deleted")
	}
	assert.Len(t, org.Assignments(), 1)

	_, err = c.User(ctx, alice.ID)
	assert.ErrorIs(t, err, scim.ErrNotFound)
	assert.NoError(t, c.Deprovision(ctx, alice.ID), "already gone is done")
	assert.ErrorIs(t, c.DeleteUser(ctx, alice.ID), scim.ErrNotFound)

	// The user name is free again, and a new user gets a new id.
	again, err := c.CreateUser(ctx, awsUser("alice"))
	require.NoError(t, err)
	assert.NotEqual(t, alice.ID, again.ID)
}

func userIDs(t *testing.T, seq func(func(scim.User, error) bool)) []string {
	t.Helper()
	var out []string
	for u, err := range seq {
		require.NoError(t, err)
		out = append(out, u.ID)
	}
	return out
}

func groupIDs(t *testing.T, seq func(func(scim.Group, error) bool)) ([]string, error) {
	t.Helper()
	var out []string
	for g, err := range seq {
		if err != nil {
			return out, err
		}
		assert.Empty(t, g.Members, "AWS never lists members on a group")
		out = append(out, g.ID)
	}
	return out, nil
}

func TestAWSCursorPaging(t *testing.T) {
	org, srv, c := awsFake(t, nil, scim.WithPageSize(5))
	ctx := context.Background()
	var want []string
	for i := range 23 {
		id, err := org.AddUser(awsidctest.UserSeed{UserName: fmt.Sprintf("user%02d", i)})
		require.NoError(t, err)
		want = append(want, id)
	}
	var wantGroups []string
	for i := range 7 {
		id, err := org.AddGroup(fmt.Sprintf("group%02d", i), "")
		require.NoError(t, err)
		wantGroups = append(wantGroups, id)
	}

	srv.ResetRequests()
	assert.Equal(t, want, userIDs(t, c.Users(ctx)))
	reqs := srv.Requests()
	// 4 (a short first page) + 5 + 5 + 5 + 4.
	require.Len(t, reqs, 5)
	assert.True(t, strings.HasPrefix(reqs[0].RawQuery, "cursor&"), reqs[0].RawQuery)
	for _, r := range reqs[1:] {
		q, err := url.ParseQuery(r.RawQuery)
		require.NoError(t, err)
		assert.NotEmpty(t, q.Get("cursor"))
		assert.Equal(t, "5", q.Get("count"))
		assert.Empty(t, q.Get("startIndex"))
	}

	got, err := groupIDs(t, c.Groups(ctx))
	require.NoError(t, err)
	assert.Equal(t, wantGroups, got)

	// Early break: one request.
	srv.ResetRequests()
	for range c.Users(ctx) {
		break
	}
	assert.Len(t, srv.Requests(), 1)
}

func TestAWSMembership(t *testing.T) {
	org, srv, c := awsFake(t, nil)
	ctx := context.Background()
	g, err := c.CreateGroup(ctx, scim.Group{DisplayName: "Engineers", ExternalID: "ext-eng"})
	require.NoError(t, err)

	var ids []string
	for i := range 250 {
		id, err := org.AddUser(awsidctest.UserSeed{UserName: fmt.Sprintf("m%03d", i)})
		require.NoError(t, err)
		ids = append(ids, id)
	}

	srv.ResetRequests()
	require.NoError(t, c.AddMembers(ctx, g.ID, ids...))
	assert.Len(t, srv.Requests(), 3, "250 members in chunks of 100")
	assert.ElementsMatch(t, ids, userIDs(t, c.GroupMembers(ctx, g.ID)))

	list, err := org.IdentityStore().ListGroupMemberships(ctx,
		&identitystore.ListGroupMembershipsInput{IdentityStoreId: aws.String(org.IdentityStoreID()),
			GroupId: aws.String(g.ID), MaxResults: aws.Int32(100)})
	require.NoError(t, err)
	assert.Len(t, list.GroupMemberships, 100, "the Identity Store sees the memberships")

	fetched, err := c.Group(ctx, g.ID)
	require.NoError(t, err)
	assert.Empty(t, fetched.Members)
	assert.Equal(t, "ext-eng", fetched.ExternalID)
	byName, err := c.GroupByDisplayName(ctx, "engineers")
	require.NoError(t, err)
	assert.Equal(t, g.ID, byName.ID)

	groups, err := groupIDs(t, c.UserGroups(ctx, ids[7]))
	require.NoError(t, err)
	assert.Equal(t, []string{g.ID}, groups)
	_, err = groupIDs(t, c.UserGroups(ctx, "no-such-user"))
	assert.ErrorIs(t, err, scim.ErrNotFound, "AWS answers 404 for an unknown member")

	require.NoError(t, c.RemoveMembers(ctx, g.ID, ids[:120]...))
	assert.ElementsMatch(t, ids[120:], userIDs(t, c.GroupMembers(ctx, g.ID)))
	assert.NoError(t, c.RemoveMembers(ctx, g.ID), "no ids sends nothing")

	require.NoError(t, c.DeleteGroup(ctx, g.ID))
	_, err = c.Group(ctx, g.ID)
	assert.ErrorIs(t, err, scim.ErrNotFound)
}

func TestAWSValidation(t *testing.T) {
	_, _, c := awsFake(t, nil)
	ctx := context.Background()
	_, err := c.CreateUser(ctx, awsUser("taken"))
	require.NoError(t, err)

	twoEmails := awsUser("two")
	twoEmails.Emails = append(twoEmails.Emails, scim.Email{Value: "b@x.com"})
	notPrimary := awsUser("np")
	notPrimary.Emails[0].Primary = false
	noFamily := awsUser("nf")
	noFamily.Name.FamilyName = ""
	valid := awsUser("valid")
	sameEmail := awsUser("other")
	sameEmail.Emails[0].Value = "TAKEN@example.com"
	sameExt := awsUser("other2")
	sameExt.ExternalID = "ext-taken"

	tests := []struct {
		name   string
		user   scim.User
		status int
	}{
		{"duplicate user name", awsUser("Taken"), 409},
		{"duplicate email", sameEmail, 409},
		{"duplicate external id", sameExt, 409},
		{"forbidden character", awsUser("a:b"), 400},
		{"two emails", twoEmails, 400},
		{"email not primary", notPrimary, 400},
		{"missing family name", noFamily, 400},
		{"no display name", scim.User{UserName: "x", Name: awsUser("x").Name}, 400},
		{"colon in external id", func() scim.User {
			u := awsUser("colon")
			u.ExternalID = "a:b"
			return u
		}(), 400},
		{"valid user", valid, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := c.CreateUser(ctx, tt.user)
			if tt.status == 201 {
				require.NoError(t, err)
				assert.NotEmpty(t, u.ID)
				return
			}
			var e *scim.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.status, e.StatusCode)
			assert.Empty(t, e.ScimType, "AWS sends no scimType")
			assert.NotEmpty(t, e.RequestID)
			if tt.status == 409 {
				assert.Equal(t, "Refused to create a new, duplicate resource.", e.Detail)
				assert.ErrorIs(t, err, scim.ErrConflict)
			}
		})
	}

	// Filters AWS does not support are refused.
	_, err = userIDsErr(c.UsersWhere(ctx, scim.Eq("displayName", "x")))
	var e *scim.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
}

func userIDsErr(seq func(func(scim.User, error) bool)) ([]string, error) {
	var out []string
	for u, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, u.ID)
	}
	return out, nil
}

func TestAWSFilterValues(t *testing.T) {
	_, _, c := awsFake(t, nil)
	ctx := context.Background()
	for _, name := range []string{"a+b@example.com", "o'brien@example.com", "zoë 日本",
		`quo"te`, `back\slash`, "sp ace&amp=1?#"} {
		t.Run(name, func(t *testing.T) {
			u := awsUser("x")
			u.UserName, u.ExternalID = name, "ext "+name
			u.Emails[0].Value = strings.NewReplacer(" ", "", `"`, "", `\`, "").Replace(name) +
				".mail@example.com"
			created, err := c.CreateUser(ctx, u)
			require.NoError(t, err)
			got, err := c.UserByUserName(ctx, name)
			require.NoError(t, err)
			assert.Equal(t, created.ID, got.ID)
			got, err = c.UserByExternalID(ctx, "ext "+name)
			require.NoError(t, err)
			assert.Equal(t, created.ID, got.ID)
		})
	}
}

func TestAWSPatchRules(t *testing.T) {
	_, _, c := awsFake(t, nil)
	ctx := context.Background()
	u, err := c.CreateUser(ctx, awsUser("pat"))
	require.NoError(t, err)
	_, err = c.CreateUser(ctx, awsUser("other"))
	require.NoError(t, err)

	replace := func(path string, v any) scim.PatchOperation {
		return scim.PatchOperation{Op: "replace", Path: path, Value: v}
	}
	tests := []struct {
		name   string
		ops    []scim.PatchOperation
		status int
		detail string
	}{
		{"two operations on active", []scim.PatchOperation{replace("active", false),
			replace("active", true)}, 400, ""},
		{"remove active", []scim.PatchOperation{{Op: "remove", Path: "active"}}, 400, ""},
		{"remove userName", []scim.PatchOperation{{Op: "remove", Path: "userName"}}, 400, ""},
		{"no path, two attributes", []scim.PatchOperation{{Op: "replace",
			Value: map[string]any{"title": "a", "nickName": "b"}}}, 400,
			`Current PATCH support allows omitting "path" attribute only for Add and Replace` +
				` operations modifying a single attribute.`},
		{"rename to a taken userName", []scim.PatchOperation{replace("userName", "OTHER")},
			409, ""},
		{"empty string", []scim.PatchOperation{replace("title", "")}, 400, ""},
		{"no path, one attribute", []scim.PatchOperation{{Op: "replace",
			Value: map[string]any{"title": "Boss"}}}, 0, ""},
		{"rename", []scim.PatchOperation{replace("userName", "pat2"),
			replace("name.givenName", "Pat")}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.PatchUser(ctx, u.ID, tt.ops...)
			if tt.status == 0 {
				require.NoError(t, err)
				return
			}
			var e *scim.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.status, e.StatusCode)
			if tt.detail != "" {
				assert.Equal(t, tt.detail, e.Detail)
			}
		})
	}
	got, err := c.User(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, "pat2", got.UserName)
	assert.Equal(t, "Boss", got.Title)
	assert.Equal(t, "Pat", got.Name.GivenName)
	assert.True(t, got.IsActive())

	assert.ErrorIs(t, c.Suspend(ctx, "no-such-user"), scim.ErrNotFound)
}

func TestAWSPatchUserNoContent(t *testing.T) {
	org, _, c := awsFake(t, []awsidctest.SCIMOption{awsidctest.WithSCIMPatchUserNoContent()})
	ctx := context.Background()
	u, err := c.CreateUser(ctx, awsUser("quiet"))
	require.NoError(t, err)
	require.NoError(t, c.Suspend(ctx, u.ID))
	out, err := describe(t, org, u.ID)
	require.NoError(t, err)
	assert.Equal(t, idtypes.UserStatusDisabled, out.UserStatus)
}

func TestAWSAuthAndTenant(t *testing.T) {
	_, srv, _ := awsFake(t, []awsidctest.SCIMOption{awsidctest.WithSCIMLegacyErrors()})
	ctx := context.Background()

	bad, err := scim.New(srv.URL(), "expired-token", scim.WithRateLimit(rate.Inf, 1))
	require.NoError(t, err)
	_, err = bad.User(ctx, "u")
	assert.ErrorIs(t, err, scim.ErrUnauthorized)
	assert.Contains(t, err.Error(), "expired or been rotated")
	assert.NotContains(t, err.Error(), "expired-token")

	wrongTenant := strings.Replace(srv.URL(), srv.Tenant(), "nosuchtenant", 1)
	c, err := scim.New(wrongTenant, awsToken, scim.WithRateLimit(rate.Inf, 1))
	require.NoError(t, err)
	_, err = c.User(ctx, "u")
	var e *scim.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "TENANT does not exist.", e.Detail, "the legacy body has only schema")

	// Rotation: both tokens work while two are held, then only the new one.
	token := "old"
	srv.SetTokens(awsToken, "new")
	rot, err := scim.NewWithTokenFunc(srv.URL(), func(context.Context) (string, error) {
		return token, nil
	}, scim.WithRateLimit(rate.Inf, 1))
	require.NoError(t, err)
	_, err = userIDsErr(rot.Users(ctx))
	assert.ErrorIs(t, err, scim.ErrUnauthorized)
	token = "new"
	_, err = userIDsErr(rot.Users(ctx))
	assert.NoError(t, err)
}

func TestAWSFaults(t *testing.T) {
	_, srv, c := awsFake(t, nil)
	ctx := context.Background()
	u, err := c.CreateUser(ctx, awsUser("f"))
	require.NoError(t, err)

	tests := []struct {
		name    string
		inject  func()
		wantErr error
		minTime time.Duration
		calls   int
	}{
		{"429 without Retry-After is retried", func() { srv.Inject429(2, 0) }, nil, 0, 3},
		{"429 with Retry-After waits", func() { srv.Inject429(1, time.Second) }, nil,
			time.Second, 2},
		{"500 is retried", func() { srv.Inject500(3) }, nil, 0, 4},
		{"retries are bounded", func() { srv.Inject429(10, 0) }, scim.ErrThrottled, 0, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			tt.inject()
			start := time.Now()
			got, err := c.User(ctx, u.ID)
			assert.GreaterOrEqual(t, time.Since(start), tt.minTime)
			assert.Len(t, srv.Requests(), tt.calls)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				// Drain what is left of the injected faults.
				srv.Inject500(0)
				for range 10 {
					if _, err := c.User(ctx, u.ID); err == nil || !errors.Is(err,
						scim.ErrThrottled) {
						break
					}
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, u.ID, got.ID)
		})
	}
}
