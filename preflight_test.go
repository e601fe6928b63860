package awsidc

import (
	"bytes"
	"context"
	"strings"
	"testing"

	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/internal/mototest"
)

// minimalPolicy is the narrowest policy a complete review works under.
var minimalPolicy = []string{
	"identitystore:ListUsers", "identitystore:ListGroups", "identitystore:ListGroupMemberships",
	"identitystore:DescribeUser", "identitystore:DescribeGroup",
	"identitystore:GetGroupMembershipId", "identitystore:CreateUser", "identitystore:DeleteUser",
	"organizations:ListAccounts", "organizations:DescribeAccount",
	"sso:ListInstances", "sso:DescribeInstance", "sso:ListPermissionSets",
	"sso:DescribePermissionSet", "sso:ListAccountAssignments",
	"sso:ListAccountsForProvisionedPermissionSet", "sso:ListPermissionSetsProvisionedToAccount",
	"sso:CreateAccountAssignment", "sso:DeleteAccountAssignment",
}

func fakeTarget(org *awsidctest.Org) PreflightTarget {
	return PreflightTarget{
		IdentityStore:   org.IdentityStore(),
		SSOAdmin:        org.SSOAdmin(),
		Organizations:   org.Organizations(),
		InstanceARN:     org.InstanceARN(),
		IdentityStoreID: org.IdentityStoreID(),
	}
}

func TestPreflightOnTheFake(t *testing.T) {
	everything := RequiredActions()
	without := func(drop ...string) []string {
		var out []string
		for _, a := range everything {
			if !strings.HasPrefix(a, "iam:") && !contains(drop, a) {
				out = append(out, a)
			}
		}
		return out
	}
	tests := []struct {
		name  string
		allow []string
		want  map[FeatureName]FeatureStatus
		// denied lists actions the report must show denied.
		denied []string
	}{
		{
			name:  "full permissions",
			allow: without(),
			want: map[FeatureName]FeatureStatus{
				FeatureReadDirectory: FeatureWorks, FeatureReadPolicies: FeatureWorks,
				FeatureUserByName: FeatureWorks, FeatureOperationStatus: FeatureWorks,
				FeatureGrant: FeatureUnchecked, FeatureDeprovisionUsers: FeatureUnchecked,
				FeatureRemoveMemberships: FeatureUnchecked,
			},
		},
		{
			name:  "minimal policy",
			allow: minimalPolicy,
			want: map[FeatureName]FeatureStatus{
				FeatureDiscoverInstance: FeatureWorks, FeatureReadDirectory: FeatureWorks,
				FeatureReadAccounts: FeatureWorks, FeatureReadPermissionSets: FeatureWorks,
				FeatureReadAssignments: FeatureWorks, FeatureLookUp: FeatureWorks,
				FeatureUserByName:      FeatureDegraded,
				FeaturePerPrincipal:    FeatureDegraded,
				FeatureOperationStatus: FeatureDegraded,
				FeatureReadPolicies:    FeatureDenied,
				FeatureReadUserGroups:  FeatureDenied,
				FeatureGrant:           FeatureUnchecked,
				FeatureRevoke:          FeatureUnchecked,
				FeatureAddMemberships:  FeatureUnchecked,
			},
			denied: []string{"identitystore:GetUserId", "sso:ListTagsForResource",
				"sso:DescribeAccountAssignmentCreationStatus"},
		},
		{
			name:  "no provisioning reads",
			allow: without("sso:ListAccountsForProvisionedPermissionSet"),
			want:  map[FeatureName]FeatureStatus{FeatureReadAssignments: FeatureDegraded},
		},
		{
			name: "no provisioning reads and no accounts",
			allow: without("sso:ListAccountsForProvisionedPermissionSet",
				"organizations:ListAccounts"),
			want: map[FeatureName]FeatureStatus{
				FeatureReadAssignments: FeatureDenied, FeatureReadAccounts: FeatureDenied,
			},
		},
		{
			name:  "user look-up without GetUserId or ListUsers",
			allow: without("identitystore:GetUserId", "identitystore:ListUsers"),
			want: map[FeatureName]FeatureStatus{
				FeatureUserByName: FeatureDenied, FeatureReadDirectory: FeatureDenied,
			},
		},
		{
			name:  "membership removal without its look-up",
			allow: without("identitystore:GetGroupMembershipId"),
			want:  map[FeatureName]FeatureStatus{FeatureRemoveMemberships: FeatureDenied},
		},
		{
			name:   "nothing allowed",
			allow:  nil,
			want:   map[FeatureName]FeatureStatus{FeatureDiscoverInstance: FeatureDenied},
			denied: []string{"sso:ListInstances", "identitystore:ListUsers"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := awsidctest.Demo()
			rec := &recorder{calls: map[string]int{}}
			org.AddInterceptor(rec.intercept)
			org.AddInterceptor(awsidctest.AllowOnly(tt.allow...))

			r, err := Preflight(context.Background(), fakeTarget(org))
			require.NoError(t, err)
			for name, want := range tt.want {
				got, ok := r.Feature(name)
				require.True(t, ok, name)
				assert.Equalf(t, want, got.Status, "%s: %+v", name, got)
			}
			for _, a := range tt.denied {
				got, _ := r.Access(a)
				assert.Equalf(t, AccessDenied, got, "%s", a)
			}
			for _, f := range r.Features {
				if f.Status == FeatureDenied {
					assert.Contains(t, r.Denied(), f.Name)
				}
			}

			// Only reads were called, each once.
			for _, a := range r.Actions {
				n := 1
				if a.Access == AccessNotProbed {
					n = 0
				}
				assert.Equalf(t, n, rec.calls[a.Action], "calls of %s", a.Action)
			}
			for _, a := range rec.actions() {
				name := a[strings.IndexByte(a, ':')+1:]
				assert.Falsef(t, strings.HasPrefix(name, "Create") ||
					strings.HasPrefix(name, "Delete"), "preflight called %s", a)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestPreflightOnlyProbesTheFeaturesAsked(t *testing.T) {
	org := awsidctest.Demo()
	rec := &recorder{calls: map[string]int{}}
	org.AddInterceptor(rec.intercept)

	r, err := Preflight(context.Background(), fakeTarget(org), FeatureUserByName)
	require.NoError(t, err)
	require.Len(t, r.Features, 1)
	assert.Equal(t, FeatureWorks, r.Features[0].Status)
	// GetUserId and DescribeUser, and ListUsers which the fallback needs.
	assert.Equal(t, []string{"identitystore:DescribeUser", "identitystore:GetUserId",
		"identitystore:ListUsers"}, rec.actions())
	for _, a := range r.Actions {
		if a.Action == "identitystore:ListUsers" {
			assert.Contains(t, a.Probe, "MaxResults 1")
		} else {
			assert.Contains(t, a.Probe, "of a listed user", "probes reuse the listed user")
		}
	}
}

func TestPreflightOnAnEmptyInstanceUsesMadeUpIDs(t *testing.T) {
	org := awsidctest.NewOrg()
	r, err := Preflight(context.Background(), fakeTarget(org))
	require.NoError(t, err)
	assert.Empty(t, r.Denied(), "an empty instance denies nothing")
	for _, a := range r.Actions {
		if strings.Contains(a.Probe, "a made-up") {
			assert.Equalf(t, AccessAllowed, a.Access, "%s: %s", a.Action, a.Probe)
		}
	}
	a, _ := r.Access("identitystore:DescribeUser")
	assert.Equal(t, AccessAllowed, a)
	check := findCheck(t, r, "sso:DescribeAccountAssignmentCreationStatus")
	assert.Contains(t, check.Probe, "answered not found")
}

func findCheck(t *testing.T, r *PreflightReport, action string) ActionCheck {
	t.Helper()
	for _, a := range r.Actions {
		if a.Action == action {
			return a
		}
	}
	t.Fatalf("no check of %s", action)
	return ActionCheck{}
}

func TestPreflightFailsOnOtherErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"invalid credentials", &smithy.GenericAPIError{Code: "UnrecognizedClientException",
			Message: "The security token included in the request is invalid"}},
		{"expired token", &smithy.GenericAPIError{Code: "ExpiredTokenException",
			Message: "expired"}},
		{"cancelled", context.Canceled},
		{"STS refuses the role", &smithy.OperationError{ServiceID: "Organizations",
			OperationName: "ListAccounts", Err: &smithy.OperationError{ServiceID: "STS",
				OperationName: "AssumeRole", Err: &smithy.GenericAPIError{Code: "AccessDenied"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := awsidctest.Demo()
			org.AddInterceptor(func(_ context.Context, action string) error {
				if action == "organizations:ListAccounts" {
					return tt.err
				}
				return nil
			})
			r, err := Preflight(context.Background(), fakeTarget(org))
			require.ErrorIs(t, err, tt.err)
			assert.Nil(t, r)
		})
	}
}

func TestPreflightWithoutAClient(t *testing.T) {
	org := awsidctest.Demo()
	target := fakeTarget(org)
	target.Organizations = nil
	r, err := Preflight(context.Background(), target, FeatureReadAccounts)
	require.NoError(t, err)
	a, _ := r.Access("organizations:ListAccounts")
	assert.Equal(t, AccessNotProbed, a)
	assert.Equal(t, FeatureUnchecked, r.Features[0].Status)
}

func TestPreflightTable(t *testing.T) {
	org := awsidctest.Demo()
	org.AddInterceptor(awsidctest.AllowOnly(minimalPolicy...))
	r, err := Preflight(context.Background(), fakeTarget(org))
	require.NoError(t, err)

	var buf bytes.Buffer
	require.NoError(t, r.WriteTable(&buf))
	out := buf.String()
	for _, want := range []string{
		"ACTION", "ACCESS", "PROBE", "FEATURE", "STATUS",
		"identitystore:GetUserId", "denied",
		"sso:CreateAccountAssignment", "not probed",
		"read-policies", "denied: sso:ListManagedPoliciesInPermissionSet",
		"user-by-name", "degraded", "identitystore:GetUserId denied: users are listed",
	} {
		assert.Contains(t, out, want)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Len(t, lines, len(r.Actions)+len(r.Features)+3, "two headers and a blank line")
}

func TestPreflightOnMoto(t *testing.T) {
	fx := mototest.NewFixture(t)
	user := fx.CreateUser(t, "ada")
	group := fx.CreateGroup(t, "ops")
	fx.AddMember(t, group, user)
	account := fx.CreateAccount(t, "workloads")
	ps := fx.CreatePermissionSet(t, "ReadOnly")
	fx.Assign(t, account, ps, ssotypes.PrincipalTypeUser, user)

	ctx := context.Background()
	conn, err := New(ctx, Config{AWS: &fx.Config})
	require.NoError(t, err)

	r, err := conn.Preflight(ctx)
	require.NoError(t, err)
	require.Len(t, r.Features, len(AllFeatures()))
	for _, f := range r.Features {
		want := FeatureWorks
		if fe, _ := LookupFeature(f.Name); fe.Writes {
			want = FeatureUnchecked
		}
		assert.Equalf(t, want, f.Status, "%s: %+v", f.Name, f)
	}
	for _, a := range []string{"identitystore:DescribeUser", "sso:ListAccountAssignments",
		"organizations:DescribeAccount"} {
		assert.Contains(t, findCheck(t, r, a).Probe, "of a listed")
	}
	assert.Contains(t, findCheck(t, r, "sso:DescribeAccountAssignmentDeletionStatus").Probe,
		"answered not found")
}
