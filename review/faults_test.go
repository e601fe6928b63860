package review_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/awscall"
	"github.com/awsidc/awsidc/internal/faultproxy"
	"github.com/awsidc/awsidc/internal/mototest"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

// noWait is a retry policy that retries at once, so that fault tests spend
// no time in backoff.
type noWait struct{ aws.Retryer }

func (noWait) RetryDelay(int, error) (time.Duration, error) { return 0, nil }

// faultAttempts is enough attempts that a call failing 40% of the time gets
// through all but once in 10^10.
const faultAttempts = 25

// faultOrg builds the same small organisation on every call: pages of at
// most three items, so every listing of more than three spans pages.
func faultOrg(t *testing.T) *awsidctest.Org {
	t.Helper()
	o := awsidctest.NewOrg(awsidctest.WithSeed("faults"), awsidctest.WithPageLimit(3))
	var users []string
	for i := range 11 {
		name := fmt.Sprintf("user%02d", i)
		id, err := o.AddUser(awsidctest.UserSeed{UserName: name, DisplayName: name,
			GivenName: "U", FamilyName: name, Email: name + "@example.com"})
		require.NoError(t, err)
		users = append(users, id)
	}
	var groups []string
	for i := range 4 {
		id, err := o.AddGroup(fmt.Sprintf("group%d", i), "")
		require.NoError(t, err)
		groups = append(groups, id)
		for _, u := range users[i : i+2+i*2] {
			_, err := o.AddMember(id, u)
			require.NoError(t, err)
		}
	}
	var accounts []string
	for i := range 4 {
		id, err := o.AddAccount(awsidctest.AccountSeed{ID: fmt.Sprintf("20000000000%d", i),
			Name: fmt.Sprintf("acct%d", i), Email: fmt.Sprintf("acct%d@example.com", i)})
		require.NoError(t, err)
		accounts = append(accounts, id)
	}
	var sets []string
	for i := range 4 {
		arn, err := o.AddPermissionSet(awsidctest.PermissionSetSeed{Name: fmt.Sprintf("Set%d", i),
			ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}})
		require.NoError(t, err)
		sets = append(sets, arn)
	}
	for i, acc := range accounts {
		for j, set := range sets[:1+i%3] {
			require.NoError(t, o.Assign(acc, set, "GROUP", groups[(i+j)%4]))
			for _, u := range users[j : j+4] {
				require.NoError(t, o.Assign(acc, set, "USER", u))
			}
		}
	}
	return o
}

// clients builds the library's clients over the given SDK-shaped APIs, with
// retries that do not wait.
func clients(is identitycenter.API, sso permissions.SSOAdminAPI, org permissions.OrganizationsAPI,
	o *awsidctest.Org) (*identitycenter.Client, *permissions.Client) {
	dir := identitycenter.New(is, o.IdentityStoreID(),
		identitycenter.WithRetryer(noWait{awscall.NewRetryer(faultAttempts)}))
	perms := permissions.New(sso, org, o.InstanceARN(),
		permissions.WithRetryer(noWait{awscall.NewRetryer(faultAttempts, "ConflictException")}))
	return dir, perms
}

var snapTime = time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)

func snapshot(ctx context.Context, dir review.Directory, perms review.Permissions,
	o *awsidctest.Org) (*review.Snapshot, error) {
	return review.Collect(ctx, dir, perms, review.Options{
		InstanceARN: o.InstanceARN(), IdentityStoreID: o.IdentityStoreID(), Policies: true,
		Now: func() time.Time { return snapTime },
	})
}

func faultFree(t *testing.T) *review.Snapshot {
	t.Helper()
	o := faultOrg(t)
	dir, perms := clients(o.IdentityStore(), o.SSOAdmin(), o.Organizations(), o)
	snap, err := snapshot(context.Background(), dir, perms, o)
	require.NoError(t, err)
	require.True(t, snap.Complete())
	require.Len(t, snap.Users, 11)
	require.NotEmpty(t, snap.Assignments)
	return snap
}

func TestSnapshotUnderRandomFaultsEqualsFaultFree(t *testing.T) {
	want := faultFree(t)
	total := map[awsidctest.Fault]int{}
	for seed := range uint64(20) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			o := faultOrg(t)
			f := awsidctest.NewFaults(awsidctest.Schedule{Seed: seed,
				Throttle: 0.30, ServerError: 0.05, Timeout: 0.02, Slow: 0.02,
				SlowDelay: time.Millisecond,
				ShortPage: 0.3, EmptyPage: 0.1, ExpiredToken: 0.2})
			fo := awsidctest.Faulty(o, f)
			dir, perms := clients(fo.IdentityStore(), fo.SSOAdmin(), fo.Organizations(), o)

			got, err := snapshot(context.Background(), dir, perms, o)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Positive(t, f.Injected()[awsidctest.FaultThrottle])
			for k, v := range f.Injected() {
				total[k] += v
			}
		})
	}
	for _, k := range []awsidctest.Fault{awsidctest.FaultThrottle, awsidctest.FaultServerError,
		awsidctest.FaultTimeout, awsidctest.FaultShortPage, awsidctest.FaultEmptyPage,
		awsidctest.FaultExpiredToken} {
		assert.Positive(t, total[k], "fault %s was exercised", k)
	}
}

func TestSnapshotRestartsListingsWhoseTokenExpired(t *testing.T) {
	want := faultFree(t)
	o := faultOrg(t)
	f := awsidctest.NewFaults(awsidctest.Schedule{ExpiredToken: 1})
	fo := awsidctest.Faulty(o, f)
	dir, perms := clients(fo.IdentityStore(), fo.SSOAdmin(), fo.Organizations(), o)

	got, err := snapshot(context.Background(), dir, perms, o)
	require.NoError(t, err)
	assert.Equal(t, want, got, "restarted listings are neither short nor repeated")
	// Users (11), groups (4), accounts (5) and several assignment pairs span
	// pages, and each of those listings lost its token once.
	assert.GreaterOrEqual(t, f.Injected()[awsidctest.FaultExpiredToken], 4)
	assert.Equal(t, 1+4, o.Calls()["identitystore:ListUsers"],
		"the users listing read one page, lost its token, then read all four pages")
}

// failFrom fails every call of action after the first n with err.
func failFrom(action string, n int, err error) awsidctest.Interceptor {
	var calls atomic.Int64
	return func(_ context.Context, a string) error {
		if a == action && calls.Add(1) > int64(n) {
			return err
		}
		return nil
	}
}

func TestSnapshotFailsNamingTheUnreadableCall(t *testing.T) {
	down := &ssotypes.InternalServerException{Message: aws.String("down")}
	throttled := &ssotypes.ThrottlingException{Message: aws.String("Rate exceeded")}
	tests := []struct {
		action string
		after  int
		err    error
	}{
		{"identitystore:ListUsers", 1, down},
		{"identitystore:ListGroups", 0, throttled},
		{"identitystore:ListGroupMemberships", 2, down},
		{"organizations:ListAccounts", 1, throttled},
		{"sso:ListPermissionSets", 1, down},
		{"sso:DescribePermissionSet", 2, throttled},
		{"sso:ListAccountsForProvisionedPermissionSet", 0, down},
		{"sso:ListAccountAssignments", 3, throttled},
		{"sso:ListManagedPoliciesInPermissionSet", 1, down},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			o := faultOrg(t)
			o.AddInterceptor(failFrom(tt.action, tt.after, tt.err))
			dir, perms := clients(o.IdentityStore(), o.SSOAdmin(), o.Organizations(), o)

			snap, err := snapshot(context.Background(), dir, perms, o)
			assert.Nil(t, snap, "no partial snapshot")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.action)
			var ae *awscall.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.action, ae.Action)
			assert.ErrorIs(t, err, tt.err)
			assert.GreaterOrEqual(t, o.Calls()[tt.action], tt.after+faultAttempts,
				"the failing page was retried before giving up")
		})
	}
}

func TestSnapshotCancelledMidwayReturnsPromptly(t *testing.T) {
	tests := []struct {
		name    string
		stop    func(cancel context.CancelFunc) // called from the 40th call
		timeout time.Duration
		wantErr error
	}{
		{"cancelled", func(cancel context.CancelFunc) { cancel() }, 0, context.Canceled},
		// The 40th call outlasts the deadline, so the snapshot cannot
		// finish in time however fast the machine.
		{"deadline", func(context.CancelFunc) { time.Sleep(40 * time.Millisecond) },
			30 * time.Millisecond, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

			o := faultOrg(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.timeout > 0 {
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			var calls atomic.Int64
			var stoppedAt atomic.Int64
			o.AddInterceptor(func(ctx context.Context, _ string) error {
				if calls.Add(1) == 40 {
					stoppedAt.Store(time.Now().UnixNano())
					tt.stop(cancel)
				}
				// Every call is slow, so that many are in flight at once.
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(2 * time.Millisecond):
					return nil
				}
			})
			f := awsidctest.NewFaults(awsidctest.Schedule{Seed: 1, Throttle: 0.3})
			fo := awsidctest.Faulty(o, f)
			dir, perms := clients(fo.IdentityStore(), fo.SSOAdmin(), fo.Organizations(), o)

			snap, err := snapshot(ctx, dir, perms, o)
			done := time.Now()
			assert.Nil(t, snap)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.True(t, errors.Is(err, ctx.Err()), "the context's own error: %v", err)
			if at := stoppedAt.Load(); at > 0 && tt.timeout == 0 {
				assert.Less(t, done.Sub(time.Unix(0, at)), 200*time.Millisecond,
					"returns promptly after the cancel")
			}
		})
	}
}

// seedMoto fills a moto account with a small organisation.
func seedMoto(t *testing.T, fx *mototest.Fixture) {
	t.Helper()
	var users []string
	for i := range 8 {
		users = append(users, fx.CreateUser(t, fmt.Sprintf("user%02d", i)))
	}
	var groups []string
	for i := range 3 {
		g := fx.CreateGroup(t, fmt.Sprintf("group%d", i))
		groups = append(groups, g)
		for _, u := range users[i : i+3] {
			fx.AddMember(t, g, u)
		}
	}
	var accounts []string
	for i := range 2 {
		accounts = append(accounts, fx.CreateAccount(t, fmt.Sprintf("acct%d", i)))
	}
	for i := range 2 {
		set := fx.CreatePermissionSet(t, fmt.Sprintf("Set%d", i))
		fx.Assign(t, accounts[i], set, ssotypes.PrincipalTypeGroup, groups[i])
		fx.Assign(t, accounts[i], set, ssotypes.PrincipalTypeUser, users[i+4])
	}
}

// TestSnapshotThroughFaultProxyOnMoto takes snapshots of a moto account
// through the fault proxy, on the real SDK path: the SDK clients retry
// nothing themselves (as the connector sets them up) and awscall retries
// what the proxy injects.
func TestSnapshotThroughFaultProxyOnMoto(t *testing.T) {
	fx := mototest.NewFixture(t)
	seedMoto(t, fx)
	collect := func(cfg aws.Config) (*review.Snapshot, error) {
		nop := func() aws.Retryer { return aws.NopRetryer{} }
		is := identitystore.NewFromConfig(cfg, func(o *identitystore.Options) { o.Retryer = nop() })
		sso := ssoadmin.NewFromConfig(cfg, func(o *ssoadmin.Options) { o.Retryer = nop() })
		org := organizations.NewFromConfig(cfg, func(o *organizations.Options) {
			o.Retryer = nop()
		})
		dir := identitycenter.New(is, fx.IdentityStoreID,
			identitycenter.WithRetryer(noWait{awscall.NewRetryer(faultAttempts)}))
		perms := permissions.New(sso, org, fx.InstanceARN,
			permissions.WithRetryer(noWait{awscall.NewRetryer(faultAttempts, "ConflictException")}))
		return review.Collect(context.Background(), dir, perms, review.Options{
			InstanceARN: fx.InstanceARN, IdentityStoreID: fx.IdentityStoreID,
			Now: func() time.Time { return snapTime }})
	}
	want, err := collect(fx.Config)
	require.NoError(t, err)
	require.Len(t, want.Users, 8)
	require.Len(t, want.Assignments, 4)

	for seed := range uint64(4) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			p, err := faultproxy.New(mototest.Endpoint(t), faultproxy.Schedule{Seed: seed,
				Throttle: 0.3, ServerError: 0.05, Reset: 0.03, Timeout: 0.02, Slow: 0.05,
				SlowDelay: 5 * time.Millisecond})
			require.NoError(t, err)
			defer p.Close()
			cfg := fx.Config.Copy()
			cfg.BaseEndpoint = aws.String(p.URL())
			cfg.HTTPClient = &http.Client{Timeout: 500 * time.Millisecond,
				Transport: &http.Transport{Proxy: nil}}

			got, err := collect(cfg)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Positive(t, p.Injected()[faultproxy.Throttle], "throttles were retried")
		})
	}
}
