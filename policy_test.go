package awsidc

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

// tableActions returns every API action of the feature table (dependents
// excluded: AWS checks those, awsidc never calls them).
func tableActions() map[string]bool {
	out := map[string]bool{}
	for _, f := range Features() {
		for _, a := range f.Actions {
			out[a] = true
		}
	}
	return out
}

var actionLiteral = regexp.MustCompile(`"((?:sso|identitystore|organizations):[A-Za-z]+)"`)

// TestFeaturesCoverSourceActions fails when the library's source names an
// IAM action that the feature table does not list, such as a new
// awscall.Do call.
func TestFeaturesCoverSourceActions(t *testing.T) {
	table := tableActions()
	found := map[string][]string{}
	for _, dir := range []string{".", "identitycenter", "permissions", "review"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, m := range actionLiteral.FindAllStringSubmatch(string(src), -1) {
				found[m[1]] = append(found[m[1]], f)
			}
		}
	}
	require.NotEmpty(t, found, "the scan found no action at all")
	assert.Contains(t, found, "sso:ListAccountAssignments", "the scan reads the clients")

	for action, files := range found {
		assert.Truef(t, table[action], "%s (in %v) is missing from the feature table",
			action, slices.Compact(files))
	}
}

// recorder is an interceptor that records every action called.
type recorder struct {
	mu    sync.Mutex
	calls map[string]int
}

func (r *recorder) intercept(_ context.Context, action string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[action]++
	return nil
}

func (r *recorder) actions() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for a := range r.calls {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// TestFeaturesMatchWorkload runs a workload that uses every feature against
// the fake and fails when an action called is missing from the table, or
// when the table lists an action nothing called.
func TestFeaturesMatchWorkload(t *testing.T) {
	ctx := context.Background()
	org := awsidctest.Demo()
	rec := &recorder{calls: map[string]int{}}
	org.AddInterceptor(rec.intercept)

	ic := identitycenter.New(org.IdentityStore(), org.IdentityStoreID())
	perms := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())
	w := identitycenter.NewWriter(org.IdentityStore(), org.IdentityStoreID())

	// Discover the instance, then take a full snapshot with policies.
	for _, err := range identitycenter.Instances(ctx, org.SSOAdmin()) {
		require.NoError(t, err)
	}
	snap, err := review.Collect(ctx, ic, perms, review.Options{Policies: true})
	require.NoError(t, err)
	require.True(t, snap.Complete())
	require.NotEmpty(t, snap.Assignments)
	user, group, account := snap.Users[0], snap.Groups[0], snap.Accounts[0]
	a := snap.Assignments[0]

	// Look-ups, per-account and per-principal listings.
	_, err = ic.User(ctx, user.ID)
	require.NoError(t, err)
	_, err = ic.Group(ctx, group.ID)
	require.NoError(t, err)
	_, err = ic.UserByName(ctx, user.UserName)
	require.NoError(t, err)
	for _, err := range ic.MembershipsOf(ctx, user.ID) {
		require.NoError(t, err)
	}
	_, err = perms.Account(ctx, account.ID)
	require.NoError(t, err)
	for _, err := range perms.PermissionSetsForAccount(ctx, a.AccountID) {
		require.NoError(t, err)
	}
	for _, err := range perms.AssignmentsForPrincipal(ctx, a.PrincipalType, a.PrincipalID) {
		require.NoError(t, err)
	}

	// Revoke and grant back, following each to the end.
	for _, change := range []func(context.Context, permissions.Assignment) (
		permissions.Operation, error){perms.Revoke, perms.Grant} {
		op, err := change(ctx, a)
		require.NoError(t, err)
		for op.Status == permissions.OperationInProgress {
			op, err = perms.OperationStatus(ctx, op)
			require.NoError(t, err)
		}
		require.Equal(t, permissions.OperationSucceeded, op.Status, op.FailureReason)
	}

	// Memberships and deprovisioning.
	var outsider identitycenter.User
	for _, u := range snap.Users {
		if u.ID != user.ID {
			outsider = u
			break
		}
	}
	for _, err := range ic.Members(ctx, group.ID) {
		require.NoError(t, err)
	}
	_, err = w.AddMember(ctx, group.ID, outsider.ID)
	if err != nil {
		require.ErrorIs(t, err, identitycenter.ErrConflict)
	}
	require.NoError(t, w.RemoveMember(ctx, group.ID, outsider.ID))
	require.NoError(t, w.DeleteUser(ctx, outsider.ID))

	// A user look-up by name where GetUserId is denied falls back to listing.
	org.AddInterceptor(awsidctest.AllowOnly("identitystore:ListUsers"))
	_, err = ic.UserByName(ctx, user.UserName)
	require.NoError(t, err)

	called := rec.actions()
	table := tableActions()
	for _, action := range called {
		assert.Truef(t, table[action], "%s was called but is missing from the feature table",
			action)
	}
	for action := range table {
		assert.Containsf(t, called, action,
			"the feature table lists %s but the workload never called it", action)
	}
}

func TestPolicyParsesBackAsJSON(t *testing.T) {
	tests := []struct {
		name  string
		names []FeatureName
	}{
		{"every feature", nil},
		{"review", ReviewFeatures()},
		{"grant and revoke", []FeatureName{FeatureGrant, FeatureRevoke}},
		{"one feature", []FeatureName{FeatureReadAccounts}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Policy(tt.names...).JSON()
			assert.Equal(t, string(out), string(Policy(tt.names...).JSON()), "deterministic")

			var doc struct {
				Version   string
				Statement []struct {
					Sid, Effect string
					Action      []string
					Resource    string
				}
			}
			dec := json.NewDecoder(strings.NewReader(string(out)))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&doc), "the policy is valid JSON")
			assert.Equal(t, "2012-10-17", doc.Version)

			seen := map[string]int{}
			sids := map[string]bool{}
			for _, st := range doc.Statement {
				assert.Equal(t, "Allow", st.Effect)
				assert.False(t, sids[st.Sid], "statement ids are unique")
				sids[st.Sid] = true
				require.NotEmpty(t, st.Action)
				assert.True(t, slices.IsSorted(st.Action), "actions are sorted")
				service := strings.Split(st.Action[0], ":")[0]
				for _, a := range st.Action {
					seen[a]++
					assert.Truef(t, strings.HasPrefix(a, service+":"),
						"statement %s mixes services: %s", st.Sid, a)
				}
				if service == "iam" {
					assert.Contains(t, []string{
						"arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*",
						"arn:aws:iam::*:saml-provider/AWSSSO_*_DO_NOT_DELETE",
					}, st.Resource, "IAM actions are scoped to what Identity Center manages")
				} else {
					assert.Equal(t, "*", st.Resource)
				}
			}
			want := RequiredActions(tt.names...)
			var got []string
			for a, n := range seen {
				assert.Equalf(t, 1, n, "%s appears once", a)
				got = append(got, a)
			}
			sort.Strings(got)
			assert.Equal(t, want, got)
		})
	}
}

func TestPolicyScopesAssignmentWrites(t *testing.T) {
	doc := Policy(FeatureGrant)
	byResource := map[string][]string{}
	for _, st := range doc.Statement {
		byResource[st.Resource] = append(byResource[st.Resource], st.Action...)
	}
	assert.Equal(t, []string{"sso:CreateAccountAssignment"}, byResource["*"])
	roles := byResource["arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"]
	for _, a := range []string{"iam:AttachRolePolicy", "iam:CreateRole", "iam:PutRolePolicy",
		"iam:ListRolePolicies", "iam:GetRole", "iam:DeleteRole"} {
		assert.Contains(t, roles, a)
	}
	assert.Equal(t, []string{"iam:GetSAMLProvider"},
		byResource["arn:aws:iam::*:saml-provider/AWSSSO_*_DO_NOT_DELETE"])

	for _, st := range Policy(ReviewFeatures()...).Statement {
		assert.NotContains(t, st.Sid, "ManagementAccount", "a review needs no IAM actions")
	}
}

func TestParseFeatures(t *testing.T) {
	tests := []struct {
		in      string
		want    []FeatureName
		wantErr bool
	}{
		{in: "grant,read-accounts", want: []FeatureName{FeatureReadAccounts, FeatureGrant}},
		{in: " revoke , revoke ", want: []FeatureName{FeatureRevoke}},
		{in: "review", want: ReviewFeatures()},
		{in: "all", want: AllFeatures()},
		{in: "", want: nil},
		{in: "read-acounts", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFeatures(tt.in)
			if tt.wantErr {
				require.ErrorIs(t, err, ErrUnknownFeature)
				assert.Contains(t, err.Error(), "read-accounts", "the error lists valid names")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFeaturesTableIsConsistent(t *testing.T) {
	seen := map[FeatureName]bool{}
	all := tableActions()
	for _, f := range Features() {
		assert.Falsef(t, seen[f.Name], "%s listed twice", f.Name)
		seen[f.Name] = true
		assert.NotEmpty(t, f.Description)
		assert.NotEmpty(t, f.Actions)
		for _, fb := range f.Fallbacks {
			assert.Containsf(t, f.Actions, fb.Action, "%s falls back from its own action", f.Name)
			assert.NotEmpty(t, fb.Effect)
			for _, a := range fb.Instead {
				assert.Truef(t, all[a], "%s falls back to %s, not in the table", f.Name, a)
			}
		}
	}

	// Features returns a copy.
	fs := Features()
	fs[0].Actions[0] = "changed"
	f, ok := LookupFeature(fs[0].Name)
	require.True(t, ok)
	assert.NotEqual(t, "changed", f.Actions[0])
}
