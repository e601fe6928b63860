package identitycenter_test

import (
	"context"
	"errors"
	"iter"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/testkit"
)

// iterCase checks one iterator of the client against a seeded backend.
type iterCase struct {
	name string
	run  func(t *testing.T, e *env)
}

// newIterCase builds the checks every iterator must pass: several pages, an
// error mid-way, an early break and ranging twice. seq lists with the client
// by calling action page after page; want is what it should list.
func newIterCase[T any](name, action string,
	seq func(context.Context, *identitycenter.Client, *env) iter.Seq2[T, error],
	want func(*env) []T) iterCase {
	return iterCase{name: name, run: func(t *testing.T, e *env) {
		c := e.client()
		var full []T

		t.Run("several pages", func(t *testing.T) {
			e.calls.Reset()
			e.api.reset()
			want := want(e)
			require.Greater(t, len(want), pageSize, "the scenario spans several pages")

			got, err := testkit.Collect(seq(t.Context(), c, e))
			require.NoError(t, err)
			assert.ElementsMatch(t, want, got)
			assert.Equal(t, testkit.Pages(len(want), pageSize), e.calls.Get(action), "pages read")
			assert.Equal(t, []int32{pageSize}, e.api.sizes(action),
				"the largest page AWS allows is asked for")
			full = got
		})
		require.NotEmpty(t, full)

		t.Run("ranging twice", func(t *testing.T) {
			s := seq(t.Context(), c, e)
			first, err := testkit.Collect(s)
			require.NoError(t, err)
			second, err := testkit.Collect(s)
			require.NoError(t, err)
			assert.Equal(t, full, first)
			assert.Equal(t, first, second, "the second range starts again")
		})

		t.Run("early break", func(t *testing.T) {
			stop := pageSize + 1 // the first item of the second page
			e.calls.Reset()
			before := e.served(action)

			var got []T
			for v, err := range seq(t.Context(), c, e) {
				require.NoError(t, err)
				got = append(got, v)
				if len(got) == stop {
					break
				}
			}
			assert.Equal(t, full[:stop], got)
			assert.Equal(t, 2, e.calls.Get(action), "calls after the break")
			assert.Equal(t, 2, e.served(action)-before, "calls the backend saw")
		})

		t.Run("error mid-way", func(t *testing.T) {
			e.failNth(action, 2, denied)
			before := e.served(action)

			var got []T
			var errs []error
			for v, err := range seq(t.Context(), c, e) {
				if err != nil {
					assert.Zero(t, v, "the error comes with the zero value")
					errs = append(errs, err)
					continue // the iterator, not the loop, must stop
				}
				got = append(got, v)
			}
			require.Len(t, errs, 1, "the error is yielded once")
			assert.ErrorIs(t, errs[0], identitycenter.ErrAccessDenied)
			var typed *idtypes.AccessDeniedException
			assert.ErrorAs(t, errs[0], &typed, "the SDK's error stays reachable")
			assert.Equal(t, full[:pageSize], got, "the first page came through")
			assert.Equal(t, 2, e.served(action)-before, "no call after the failure")
		})

		t.Run("throttled page retried", func(t *testing.T) {
			e.failNth(action, 2, throttled)
			before := e.served(action)

			got, err := testkit.Collect(seq(t.Context(), c, e))
			require.NoError(t, err)
			assert.Equal(t, full, got)
			assert.Equal(t, testkit.Pages(len(full), pageSize)+1, e.served(action)-before)
		})
	}}
}

var iterCases = []iterCase{
	newIterCase("Users", "identitystore:ListUsers",
		func(ctx context.Context, c *identitycenter.Client,
			_ *env) iter.Seq2[identitycenter.User, error] {
			return c.Users(ctx)
		},
		func(e *env) []identitycenter.User { return e.users }),
	newIterCase("Groups", "identitystore:ListGroups",
		func(ctx context.Context, c *identitycenter.Client,
			_ *env) iter.Seq2[identitycenter.Group, error] {
			return c.Groups(ctx)
		},
		func(e *env) []identitycenter.Group { return e.groups }),
	newIterCase("Members", "identitystore:ListGroupMemberships",
		func(ctx context.Context, c *identitycenter.Client,
			e *env) iter.Seq2[identitycenter.Membership, error] {
			return c.Members(ctx, e.bigGroup)
		},
		func(e *env) []identitycenter.Membership { return e.bigGroupMembers }),
	newIterCase("MembershipsOf", "identitystore:ListGroupMembershipsForMember",
		func(ctx context.Context, c *identitycenter.Client,
			e *env) iter.Seq2[identitycenter.Membership, error] {
			return c.MembershipsOf(ctx, e.busyUser)
		},
		func(e *env) []identitycenter.Membership { return e.busyUserMemberships }),
}

func TestClient(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := b.setup(t)
			for _, tc := range iterCases {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, e) })
			}
			for _, tc := range lookupCases {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, e) })
			}
		})
	}
}

// absentID returns an id shaped like id that names nothing.
func absentID(id string) string {
	last := id[len(id)-1]
	repl := "0"
	if last == '0' {
		repl = "1"
	}
	return id[:len(id)-1] + repl
}

var lookupCases = []iterCase{
	{name: "User", run: func(t *testing.T, e *env) {
		c := e.client()
		for _, i := range []int{0, nUsers / 2, nUsers - 1} {
			want := e.users[i]
			got, err := c.User(t.Context(), want.ID)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		}

		_, err := c.User(t.Context(), absentID(e.users[0].ID))
		assert.ErrorIs(t, err, identitycenter.ErrNotFound)
		assert.NotErrorIs(t, err, identitycenter.ErrAccessDenied)
	}},
	{name: "Group", run: func(t *testing.T, e *env) {
		c := e.client()
		for _, want := range []identitycenter.Group{e.groups[0], e.groups[nGroups-1]} {
			got, err := c.Group(t.Context(), want.ID)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		}

		_, err := c.Group(t.Context(), absentID(e.groups[0].ID))
		assert.ErrorIs(t, err, identitycenter.ErrNotFound)
	}},
	{name: "UserByName", run: func(t *testing.T, e *env) {
		c := e.client()
		tests := []struct {
			name     string
			userName string
			want     identitycenter.User
			wantErr  error
		}{
			{name: "found", userName: e.users[nUsers-1].UserName, want: e.users[nUsers-1]},
			{name: "missing", userName: "nobody", wantErr: identitycenter.ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.calls.Reset()
				got, err := c.UserByName(t.Context(), tt.userName)
				if tt.wantErr != nil {
					assert.ErrorIs(t, err, tt.wantErr)
					assert.Zero(t, got)
				} else {
					require.NoError(t, err)
					assert.Equal(t, tt.want, got)
				}
				assert.Equal(t, 1, e.calls.Get("identitystore:GetUserId"))
				assert.Zero(t, e.calls.Get("identitystore:ListUsers"), "no listing needed")
			})
		}
	}},
	{name: "Instances", run: func(t *testing.T, e *env) {
		opts := []identitycenter.Option{identitycenter.WithRetryer(testkit.FastRetryer())}
		seq := identitycenter.Instances(t.Context(), e.instances, opts...)
		for range 2 {
			got, err := testkit.Collect(seq)
			require.NoError(t, err)
			require.Len(t, got, 1)
			got[0].Name = "" // the backends name their instance as they like
			assert.Equal(t, e.instance, got[0])
		}
	}},
}

func TestUserByNameFallsBackToListing(t *testing.T) {
	org := awsidctest.NewOrg(awsidctest.WithInterceptor(awsidctest.AllowOnly(
		"identitystore:ListUsers", "identitystore:DescribeUser")))
	sc := seedScenario(t, fakeSeeder{org}, identitycenter.StatusEnabled)
	calls := &testkit.CallCounter{}
	c := identitycenter.New(org.IdentityStore(), org.IdentityStoreID(),
		identitycenter.WithRetryer(testkit.FastRetryer()),
		identitycenter.WithObserver(calls.Observe))

	tests := []struct {
		name      string
		userName  string
		want      identitycenter.User
		wantErr   error
		wantPages int
	}{
		{name: "on the first page", userName: sc.users[5].UserName, want: sc.users[5],
			wantPages: 1},
		{name: "on the last page", userName: sc.users[nUsers-1].UserName,
			want: sc.users[nUsers-1], wantPages: testkit.Pages(nUsers, pageSize)},
		{name: "missing", userName: "nobody", wantErr: identitycenter.ErrNotFound,
			wantPages: testkit.Pages(nUsers, pageSize)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls.Reset()
			got, err := c.UserByName(t.Context(), tt.userName)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				assert.NotErrorIs(t, err, identitycenter.ErrAccessDenied)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, 1, calls.Get("identitystore:GetUserId"))
			assert.Equal(t, tt.wantPages, calls.Get("identitystore:ListUsers"))
		})
	}

	t.Run("listing denied too", func(t *testing.T) {
		org := awsidctest.NewOrg(awsidctest.WithInterceptor(awsidctest.AllowOnly()))
		c := identitycenter.New(org.IdentityStore(), org.IdentityStoreID())
		_, err := c.UserByName(t.Context(), "anyone")
		assert.ErrorIs(t, err, identitycenter.ErrAccessDenied)
		assert.NotErrorIs(t, err, identitycenter.ErrNotFound)
		assert.Equal(t, 1, org.Calls()["identitystore:ListUsers"])
	})
}

// TestUsersWithoutAttributes reads users made outside SCIM, which may lack
// names and emails, and disabled users.
func TestUsersWithoutAttributes(t *testing.T) {
	tests := []struct {
		name string
		seed awsidctest.UserSeed
		want identitycenter.User
	}{
		{
			name: "user name only",
			seed: awsidctest.UserSeed{UserName: "bare"},
			want: identitycenter.User{UserName: "bare", Status: identitycenter.StatusEnabled},
		},
		{
			name: "given name only, disabled",
			seed: awsidctest.UserSeed{UserName: "given", GivenName: "Ada", Status: "DISABLED"},
			want: identitycenter.User{UserName: "given", GivenName: "Ada",
				Status: identitycenter.StatusDisabled},
		},
		{
			name: "family name and email",
			seed: awsidctest.UserSeed{UserName: "fam", FamilyName: "Lovelace",
				Email: "fam@example.com", Status: "ENABLED"},
			want: identitycenter.User{UserName: "fam", FamilyName: "Lovelace",
				PrimaryEmail: "fam@example.com", Status: identitycenter.StatusEnabled},
		},
		{
			name: "external id",
			seed: awsidctest.UserSeed{UserName: "ext", ExternalID: "okta-1"},
			want: identitycenter.User{UserName: "ext", Status: identitycenter.StatusEnabled,
				ExternalIDs: []identitycenter.ExternalID{
					{Issuer: awsidctest.ExternalIDIssuer, ID: "okta-1"},
				}},
		},
	}
	org := awsidctest.NewOrg()
	c := identitycenter.New(org.IdentityStore(), org.IdentityStoreID())
	var want []identitycenter.User
	for _, tt := range tests {
		id, err := org.AddUser(tt.seed)
		require.NoError(t, err)
		tt.want.ID = id
		want = append(want, tt.want)

		t.Run(tt.name, func(t *testing.T) {
			got, err := c.User(t.Context(), id)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)

			got, err = c.UserByName(t.Context(), tt.seed.UserName)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}

	// An email not marked primary is still the user's email.
	out, err := org.IdentityStore().CreateUser(t.Context(), &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(org.IdentityStoreID()),
		UserName:        aws.String("secondary"),
		DisplayName:     aws.String("Secondary Mail"),
		Name:            &idtypes.Name{GivenName: aws.String("S"), FamilyName: aws.String("M")},
		Emails:          []idtypes.Email{{Value: aws.String("s@example.com")}},
	})
	require.NoError(t, err)
	want = append(want, identitycenter.User{
		ID: aws.ToString(out.UserId), UserName: "secondary", DisplayName: "Secondary Mail",
		GivenName: "S", FamilyName: "M", PrimaryEmail: "s@example.com",
		Status: identitycenter.StatusEnabled,
	})

	got, err := testkit.Collect(c.Users(t.Context()))
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// pagedInstances serves instances in pages of two, as an organisation with
// several instances would; the fakes know only one instance.
type pagedInstances struct {
	instances []ssotypes.InstanceMetadata
	calls     int
	failCall  int // the call that fails with failErr
	failErr   error
}

func (p *pagedInstances) ListInstances(_ context.Context, in *ssoadmin.ListInstancesInput,
	_ ...func(*ssoadmin.Options)) (*ssoadmin.ListInstancesOutput, error) {
	p.calls++
	if p.calls == p.failCall {
		return nil, p.failErr
	}
	start := 0
	if in.NextToken != nil {
		start = int((*in.NextToken)[0] - '0')
	}
	end := min(start+2, len(p.instances))
	out := &ssoadmin.ListInstancesOutput{Instances: p.instances[start:end]}
	if end < len(p.instances) {
		out.NextToken = aws.String(string(rune('0' + end)))
	}
	return out, nil
}

func TestInstancesPages(t *testing.T) {
	var metas []ssotypes.InstanceMetadata
	var want []identitycenter.Instance
	for i := range 5 {
		in := identitycenter.Instance{
			ARN:             "arn:aws:sso:::instance/ssoins-000000000000000" + string(rune('0'+i)),
			IdentityStoreID: "d-000000000" + string(rune('0'+i)),
			Name:            "instance " + string(rune('a'+i)),
			OwnerAccountID:  "111111111111",
			Status:          "ACTIVE",
		}
		want = append(want, in)
		metas = append(metas, ssotypes.InstanceMetadata{
			InstanceArn: aws.String(in.ARN), IdentityStoreId: aws.String(in.IdentityStoreID),
			Name: aws.String(in.Name), OwnerAccountId: aws.String(in.OwnerAccountID),
			Status: ssotypes.InstanceStatusActive,
		})
	}

	t.Run("several pages, twice", func(t *testing.T) {
		api := &pagedInstances{instances: metas}
		seq := identitycenter.Instances(t.Context(), api)
		for range 2 {
			got, err := testkit.Collect(seq)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		}
		assert.Equal(t, 6, api.calls)
	})

	t.Run("early break", func(t *testing.T) {
		api := &pagedInstances{instances: metas}
		var got []identitycenter.Instance
		for in, err := range identitycenter.Instances(t.Context(), api) {
			require.NoError(t, err)
			got = append(got, in)
			if len(got) == 3 {
				break
			}
		}
		assert.Equal(t, want[:3], got)
		assert.Equal(t, 2, api.calls)
	})

	t.Run("error mid-way", func(t *testing.T) {
		denied := &ssotypes.AccessDeniedException{Message: aws.String("no")}
		api := &pagedInstances{instances: metas, failCall: 2, failErr: denied}
		var got []identitycenter.Instance
		var errs []error
		for in, err := range identitycenter.Instances(t.Context(), api) {
			if err != nil {
				assert.Zero(t, in)
				errs = append(errs, err)
				continue
			}
			got = append(got, in)
		}
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], identitycenter.ErrAccessDenied)
		assert.True(t, errors.Is(errs[0], denied))
		assert.Equal(t, want[:2], got)
		assert.Equal(t, 2, api.calls)
	})
}
