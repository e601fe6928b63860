package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

// TestDeniedReadsAreRecordedNeverEmpty checks that a read the policy denies
// is recorded in the snapshot and flagged by the JSON export, instead of
// reading as "no users", "no accounts" or empty policies.
func TestDeniedReadsAreRecordedNeverEmpty(t *testing.T) {
	policyReads := []string{
		"sso:ListManagedPoliciesInPermissionSet", "sso:GetInlinePolicyForPermissionSet",
		"sso:ListCustomerManagedPolicyReferencesInPermissionSet",
		"sso:GetPermissionsBoundaryForPermissionSet", "sso:ListTagsForResource",
	}
	tests := []struct {
		name     string
		deny     string
		policies bool
		scope    string
		empty    func(*review.Snapshot) bool
	}{
		{"users", "identitystore:ListUsers", false, "users",
			func(s *review.Snapshot) bool { return len(s.Users) == 0 }},
		{"groups", "identitystore:ListGroups", false, "groups",
			func(s *review.Snapshot) bool { return len(s.Groups) == 0 }},
		{"members", "identitystore:ListGroupMemberships", false, "members of group ",
			func(s *review.Snapshot) bool { return len(s.Memberships) == 0 }},
		{"accounts", "organizations:ListAccounts", false, "accounts",
			func(s *review.Snapshot) bool { return len(s.Accounts) == 0 }},
		{"permission sets", "sso:ListPermissionSets", false, "permission sets",
			func(s *review.Snapshot) bool { return len(s.PermissionSets) == 0 }},
		{"managed policies", "sso:ListManagedPoliciesInPermissionSet", true,
			"arn:aws:sso:::permissionSet/", func(s *review.Snapshot) bool {
				for _, ps := range s.PermissionSets {
					if ps.Policies == nil || ps.Policies.ManagedPolicyARNs != nil {
						return false
					}
				}
				return true
			}},
		{"inline policies", "sso:GetInlinePolicyForPermissionSet", true,
			"arn:aws:sso:::permissionSet/", func(s *review.Snapshot) bool {
				for _, ps := range s.PermissionSets {
					if ps.Policies == nil || ps.Policies.InlinePolicy != "" {
						return false
					}
				}
				return true
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allow := append(slices.Clone(minimalPolicy), policyReads...)
			opts := review.Options{Policies: tt.policies}
			full := collectDemo(t, opts, allow)
			require.True(t, full.Complete())
			require.False(t, tt.empty(full), "the organisation has something to read")

			snap := collectDemo(t, opts, without(allow, tt.deny))
			assert.False(t, snap.Complete())
			assert.True(t, tt.empty(snap), "nothing was read")
			require.NotEmpty(t, snap.Unread)
			for _, u := range snap.Unread {
				assert.Equal(t, tt.deny, u.Action, "only the denied action is unread")
				assert.Contains(t, u.Scope, tt.scope)
			}

			var out bytes.Buffer
			require.NoError(t, review.Export(&out, review.FormatJSON, snap, review.Filter{}))
			var doc struct {
				Unread []review.Unread `json:"unread"`
			}
			require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
			assert.Equal(t, snap.Unread, doc.Unread, "the export says what was not read")
		})
	}
}

// collectDemo snapshots the demo organisation with only allow allowed.
func collectDemo(t *testing.T, opts review.Options, allow []string) *review.Snapshot {
	t.Helper()
	org := awsidctest.Demo()
	org.AddInterceptor(awsidctest.AllowOnly(allow...))
	dir := identitycenter.New(org.IdentityStore(), org.IdentityStoreID())
	perms := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())
	snap, err := review.Collect(t.Context(), dir, perms, opts)
	require.NoError(t, err)
	return snap
}

// TestCredentialFailuresFailTheSnapshot checks that a failure to obtain
// credentials (STS refusing the role answers AccessDenied too) fails the
// snapshot rather than being recorded as a denied read.
func TestCredentialFailuresFailTheSnapshot(t *testing.T) {
	for _, action := range []string{"identitystore:ListUsers", "organizations:ListAccounts",
		"sso:ListAccountAssignments", "identitystore:ListGroupMemberships"} {
		t.Run(action, func(t *testing.T) {
			org := awsidctest.Demo()
			org.AddInterceptor(func(_ context.Context, a string) error {
				if a != action {
					return nil
				}
				return &smithy.OperationError{ServiceID: "service", OperationName: a,
					Err: fmt.Errorf("get identity: get credentials: failed to refresh "+
						"cached credentials, %w", &smithy.OperationError{ServiceID: "STS",
						OperationName: "AssumeRole",
						Err:           &smithy.GenericAPIError{Code: "AccessDenied"}})}
			})
			dir := identitycenter.New(org.IdentityStore(), org.IdentityStoreID())
			perms := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())

			snap, err := review.Collect(t.Context(), dir, perms, review.Options{})
			require.Error(t, err)
			assert.Nil(t, snap)
			assert.Contains(t, err.Error(), "AssumeRole")
		})
	}
}
