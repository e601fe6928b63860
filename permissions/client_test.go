package permissions_test

import (
	"context"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/internal/testkit"
	"github.com/awsidc/awsidc/permissions"
)

// iterCase checks one iterator, or one look-up, against a seeded backend.
type iterCase struct {
	name string
	run  func(t *testing.T, e *env)
}

// newIterCase builds the checks every iterator must pass: several pages, an
// error mid-way, an early break and ranging twice. seq lists with the client
// by calling action page after page; want is what it should list; norm
// clears what the scenario cannot know (timestamps).
func newIterCase[T any](name, action string,
	seq func(context.Context, *permissions.Client, *env) iter.Seq2[T, error],
	want func(*env) []T, norm func(T) T) iterCase {
	if norm == nil {
		norm = func(v T) T { return v }
	}
	normalized := func(ctx context.Context, c *permissions.Client, e *env) iter.Seq2[T, error] {
		return func(yield func(T, error) bool) {
			for v, err := range seq(ctx, c, e) {
				if !yield(norm(v), err) {
					return
				}
			}
		}
	}

	return iterCase{name: name, run: func(t *testing.T, e *env) {
		c := e.client()
		size := e.page(action)
		var full []T

		t.Run("several pages", func(t *testing.T) {
			e.calls.Reset()
			e.pages.reset()
			want := want(e)
			require.Greater(t, len(want), size, "the scenario spans several pages")

			got, err := testkit.Collect(normalized(t.Context(), c, e))
			require.NoError(t, err)
			assert.ElementsMatch(t, want, got)
			assert.Equal(t, testkit.Pages(len(want), size), e.calls.Get(action), "pages read")
			assert.Equal(t, []int32{largestPage(action)}, e.pages.sizes(action),
				"the largest page AWS allows is asked for")
			full = got
		})
		require.NotEmpty(t, full)

		t.Run("ranging twice", func(t *testing.T) {
			s := normalized(t.Context(), c, e)
			first, err := testkit.Collect(s)
			require.NoError(t, err)
			second, err := testkit.Collect(s)
			require.NoError(t, err)
			assert.Equal(t, full, first)
			assert.Equal(t, first, second, "the second range starts again")
		})

		t.Run("early break", func(t *testing.T) {
			stop, wantCalls := size+1, 2 // the first item of the second page
			e.calls.Reset()
			before := e.served(action)

			var got []T
			for v, err := range normalized(t.Context(), c, e) {
				require.NoError(t, err)
				got = append(got, v)
				if len(got) == stop {
					break
				}
			}
			assert.Equal(t, full[:stop], got)
			assert.Equal(t, wantCalls, e.calls.Get(action), "calls after the break")
			assert.Equal(t, wantCalls, e.served(action)-before, "calls the backend saw")
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
				got = append(got, norm(v))
			}
			require.Len(t, errs, 1, "the error is yielded once")
			assert.ErrorIs(t, errs[0], permissions.ErrAccessDenied)
			var apiErr smithy.APIError
			require.ErrorAs(t, errs[0], &apiErr, "the SDK's error stays reachable")
			assert.Equal(t, "AccessDeniedException", apiErr.ErrorCode())
			assert.Equal(t, full[:size], got, "the first page came through")
			assert.Equal(t, 2, e.served(action)-before, "no call after the failure")
		})

		t.Run("throttled page retried", func(t *testing.T) {
			e.failNth(action, 2, throttled)
			before := e.served(action)

			got, err := testkit.Collect(normalized(t.Context(), c, e))
			require.NoError(t, err)
			assert.Equal(t, full, got)
			assert.Equal(t, testkit.Pages(len(full), size)+1, e.served(action)-before)
		})
	}}
}

func noJoinTime(a permissions.Account) permissions.Account {
	a.JoinedAt = time.Time{}
	return a
}

func noCreateTime(p permissions.PermissionSet) permissions.PermissionSet {
	p.CreatedAt = time.Time{}
	return p
}

var iterCases = []iterCase{
	newIterCase("Accounts", "organizations:ListAccounts",
		func(ctx context.Context, c *permissions.Client,
			_ *env) iter.Seq2[permissions.Account, error] {
			return c.Accounts(ctx)
		},
		func(e *env) []permissions.Account { return e.accounts }, noJoinTime),
	newIterCase("PermissionSetARNs", "sso:ListPermissionSets",
		func(ctx context.Context, c *permissions.Client, _ *env) iter.Seq2[string, error] {
			return c.PermissionSetARNs(ctx)
		},
		func(e *env) []string {
			var arns []string
			for _, p := range e.sets {
				arns = append(arns, p.ARN)
			}
			return arns
		}, nil),
	newIterCase("PermissionSets", "sso:ListPermissionSets",
		func(ctx context.Context, c *permissions.Client,
			_ *env) iter.Seq2[permissions.PermissionSet, error] {
			return c.PermissionSets(ctx)
		},
		func(e *env) []permissions.PermissionSet { return e.sets }, noCreateTime),
	newIterCase("AccountsForPermissionSet", "sso:ListAccountsForProvisionedPermissionSet",
		func(ctx context.Context, c *permissions.Client, e *env) iter.Seq2[string, error] {
			return c.AccountsForPermissionSet(ctx, e.sets[1].ARN)
		},
		func(e *env) []string {
			as := e.assignmentsWhere(func(a permissions.Assignment) bool {
				return a.PermissionSetARN == e.sets[1].ARN
			})
			return distinct(as, func(a permissions.Assignment) string { return a.AccountID })
		}, nil),
	newIterCase("PermissionSetsForAccount", "sso:ListPermissionSetsProvisionedToAccount",
		func(ctx context.Context, c *permissions.Client, e *env) iter.Seq2[string, error] {
			return c.PermissionSetsForAccount(ctx, e.accounts[2].ID)
		},
		func(e *env) []string {
			as := e.assignmentsWhere(func(a permissions.Assignment) bool {
				return a.AccountID == e.accounts[2].ID
			})
			return distinct(as, func(a permissions.Assignment) string { return a.PermissionSetARN })
		}, nil),
	newIterCase("Assignments", "sso:ListAccountAssignments",
		func(ctx context.Context, c *permissions.Client,
			e *env) iter.Seq2[permissions.Assignment, error] {
			return c.Assignments(ctx, e.accounts[1].ID, e.sets[0].ARN)
		},
		func(e *env) []permissions.Assignment {
			return e.assignmentsWhere(func(a permissions.Assignment) bool {
				return a.AccountID == e.accounts[1].ID && a.PermissionSetARN == e.sets[0].ARN
			})
		}, nil),
	newIterCase("AssignmentsForPrincipal/group", "sso:ListAccountAssignmentsForPrincipal",
		func(ctx context.Context, c *permissions.Client,
			e *env) iter.Seq2[permissions.Assignment, error] {
			return c.AssignmentsForPrincipal(ctx, permissions.PrincipalGroup, e.groups[0])
		},
		func(e *env) []permissions.Assignment {
			return e.assignmentsWhere(func(a permissions.Assignment) bool {
				return a.PrincipalType == permissions.PrincipalGroup && a.PrincipalID == e.groups[0]
			})
		}, nil),
	newIterCase("AssignmentsForPrincipal/user", "sso:ListAccountAssignmentsForPrincipal",
		func(ctx context.Context, c *permissions.Client,
			e *env) iter.Seq2[permissions.Assignment, error] {
			return c.AssignmentsForPrincipal(ctx, permissions.PrincipalUser, e.users[0])
		},
		func(e *env) []permissions.Assignment {
			// The user's own assignments and those of its groups.
			u := e.users[0]
			return e.assignmentsWhere(func(a permissions.Assignment) bool {
				return a.PrincipalID == u || slices.Contains(e.memberOf[u], a.PrincipalID)
			})
		}, nil),
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

// absentARN returns an ARN shaped like arn that names nothing.
func absentARN(arn string) string {
	repl := "0"
	if arn[len(arn)-1] == '0' {
		repl = "1"
	}
	return arn[:len(arn)-1] + repl
}

var lookupCases = []iterCase{
	{name: "Account", run: func(t *testing.T, e *env) {
		c := e.client()
		for _, want := range []permissions.Account{e.accounts[0], e.accounts[7]} {
			got, err := c.Account(t.Context(), want.ID)
			require.NoError(t, err)
			assert.False(t, got.JoinedAt.IsZero(), "joined at")
			assert.Equal(t, want, noJoinTime(got))
		}

		_, err := c.Account(t.Context(), "999999999999")
		assert.ErrorIs(t, err, permissions.ErrNotFound)
	}},
	{name: "PermissionSet", run: func(t *testing.T, e *env) {
		c := e.client()
		for i, d := range sessions {
			want := e.sets[i]
			t.Run(d.iso, func(t *testing.T) {
				got, err := c.PermissionSet(t.Context(), want.ARN)
				require.NoError(t, err)
				assert.Equal(t, d.want, got.SessionDuration)
				assert.False(t, got.CreatedAt.IsZero(), "created at")
				assert.Equal(t, want, noCreateTime(got))
			})
		}

		_, err := c.PermissionSet(t.Context(), absentARN(e.sets[0].ARN))
		assert.ErrorIs(t, err, permissions.ErrNotFound)
	}},
	{name: "PermissionSets describe each once", run: func(t *testing.T, e *env) {
		c := e.client()
		e.calls.Reset()
		n := 0
		for _, err := range c.PermissionSets(t.Context()) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, nSets, n)
		assert.Equal(t, nSets, e.calls.Get("sso:DescribePermissionSet"))
	}},
	{name: "Policies", run: func(t *testing.T, e *env) {
		c := e.client()
		// moto lacks ListTagsForResource; its client here denies it.
		var wantUnread []string
		if e.fake == nil {
			wantUnread = []string{"sso:ListTagsForResource"}
		}
		for _, i := range []int{0, 1, richSet} {
			arn := e.sets[i].ARN
			spec := e.specs[arn]
			t.Run(spec.name, func(t *testing.T) {
				got, err := c.Policies(t.Context(), arn)
				require.NoError(t, err)

				managed := slices.Clone(spec.managed)
				slices.Sort(managed)
				assert.Equal(t, managed, got.ManagedPolicyARNs, "sorted managed policies")
				if spec.inline == "" {
					assert.Empty(t, got.InlinePolicy)
				} else {
					assert.JSONEq(t, spec.inline, got.InlinePolicy)
				}
				assert.ElementsMatch(t, spec.customer, got.CustomerManaged)
				assert.Equal(t, spec.boundary, got.Boundary)
				if e.fake != nil {
					assert.Equal(t, spec.tags, got.Tags)
				} else {
					assert.Nil(t, got.Tags)
				}
				assert.Equal(t, wantUnread, got.Unread)
			})
		}
	}},
}

// TestPoliciesUnread checks that a denied part is reported unread, never
// read as empty, and that any other error fails the whole read.
func TestPoliciesUnread(t *testing.T) {
	all := []string{
		"sso:ListManagedPoliciesInPermissionSet",
		"sso:GetInlinePolicyForPermissionSet",
		"sso:ListCustomerManagedPolicyReferencesInPermissionSet",
		"sso:GetPermissionsBoundaryForPermissionSet",
		"sso:ListTagsForResource",
	}
	for _, denied := range all {
		t.Run(denied, func(t *testing.T) {
			org := awsidctest.NewOrg()
			arn, err := org.AddPermissionSet(awsidctest.PermissionSetSeed{
				Name:            "Rich",
				ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
				InlinePolicy:    inlinePolicy,
				CustomerManaged: []awsidctest.CustomerManagedRef{{Name: "Reader", Path: "/"}},
				Boundary: &awsidctest.BoundarySeed{
					ManagedPolicyARN: "arn:aws:iam::aws:policy/PowerUserAccess",
				},
				Tags: map[string]string{"risk": "low"},
			})
			require.NoError(t, err)
			org.AddInterceptor(awsidctest.AllowOnly(slices.DeleteFunc(slices.Clone(all),
				func(a string) bool { return a == denied })...))
			c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())

			got, err := c.Policies(t.Context(), arn)
			require.NoError(t, err)
			assert.Equal(t, []string{denied}, got.Unread)
			parts := map[string]bool{
				all[0]: got.ManagedPolicyARNs != nil,
				all[1]: got.InlinePolicy != "",
				all[2]: got.CustomerManaged != nil,
				all[3]: got.Boundary != nil,
				all[4]: got.Tags != nil,
			}
			for action, read := range parts {
				assert.Equal(t, action != denied, read, "%s read", action)
			}
		})
	}

	t.Run("other errors fail", func(t *testing.T) {
		org := awsidctest.NewOrg()
		arn, err := org.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "Plain"})
		require.NoError(t, err)
		c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())

		_, err = c.Policies(t.Context(), absentARN(arn))
		assert.ErrorIs(t, err, permissions.ErrNotFound)
	})
}

// TestPermissionSetsDescribeFails checks that a failed describe ends the
// PermissionSets iterator with that error, once.
func TestPermissionSetsDescribeFails(t *testing.T) {
	f := &testkit.Faults{}
	org := awsidctest.NewOrg(awsidctest.WithInterceptor(f.Intercept))
	for _, name := range []string{"A", "B", "C", "D"} {
		_, err := org.AddPermissionSet(awsidctest.PermissionSetSeed{Name: name})
		require.NoError(t, err)
	}
	c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())
	f.FailNth("sso:DescribePermissionSet", 3,
		&ssotypes.AccessDeniedException{Message: aws.String("no")})

	var names []string
	var errs []error
	for p, err := range c.PermissionSets(t.Context()) {
		if err != nil {
			assert.Zero(t, p)
			errs = append(errs, err)
			continue
		}
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"A", "B"}, names)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], permissions.ErrAccessDenied)
	assert.Equal(t, 3, org.Calls()["sso:DescribePermissionSet"])
}
