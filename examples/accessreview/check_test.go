package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc"
	"github.com/awsidc/awsidc/awsidctest"
)

// reviewReads are the reads a complete review with policies makes.
var reviewReads = []string{
	"sso:ListInstances", "identitystore:ListUsers", "identitystore:ListGroups",
	"identitystore:ListGroupMemberships", "organizations:ListAccounts",
	"sso:ListPermissionSets", "sso:DescribePermissionSet",
	"sso:ListAccountsForProvisionedPermissionSet", "sso:ListPermissionSetsProvisionedToAccount",
	"sso:ListAccountAssignments", "sso:ListManagedPoliciesInPermissionSet",
	"sso:GetInlinePolicyForPermissionSet",
	"sso:ListCustomerManagedPolicyReferencesInPermissionSet",
	"sso:GetPermissionsBoundaryForPermissionSet", "sso:ListTagsForResource",
}

func fakeProbe(allow ...string) preflightFunc {
	org := awsidctest.Demo()
	org.AddInterceptor(awsidctest.AllowOnly(allow...))
	target := awsidc.PreflightTarget{
		IdentityStore:   org.IdentityStore(),
		SSOAdmin:        org.SSOAdmin(),
		Organizations:   org.Organizations(),
		InstanceARN:     org.InstanceARN(),
		IdentityStoreID: org.IdentityStoreID(),
	}
	return func(ctx context.Context, names ...awsidc.FeatureName) (*awsidc.PreflightReport,
		error) {
		return awsidc.Preflight(ctx, target, names...)
	}
}

func without(list []string, drop string) []string {
	var out []string
	for _, a := range list {
		if a != drop {
			out = append(out, a)
		}
	}
	return out
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		allow []string
		// denied are the needed features the check must fail on.
		denied []string
		// lines must each appear as a line of the output, blanks squeezed.
		lines []string
	}{
		{
			name:  "the review's reads",
			allow: reviewReads,
			// A denied feature the review does not need fails nothing.
			lines: []string{"read-policies works", "read-assignments works",
				"read-user-groups denied denied: identitystore:ListGroupMembershipsForMember",
				"grant unchecked not probed: sso:CreateAccountAssignment"},
		},
		{
			name:   "no policy reads",
			allow:  without(reviewReads, "sso:ListTagsForResource"),
			denied: []string{"read-policies"},
			lines: []string{"read-policies denied denied: sso:ListTagsForResource",
				"sso:ListTagsForResource denied ListTagsForResource of a listed permission set, " +
					"one page"},
		},
		{
			name:  "no provisioning read: the review degrades",
			allow: without(reviewReads, "sso:ListAccountsForProvisionedPermissionSet"),
			lines: []string{"read-assignments degraded " +
				"sso:ListAccountsForProvisionedPermissionSet denied: provisioning is read " +
				"per account, or every account and permission set is listed"},
		},
		{
			name:   "no directory",
			allow:  without(reviewReads, "identitystore:ListUsers"),
			denied: []string{"read-directory"},
			lines:  []string{"identitystore:ListUsers denied ListUsers, MaxResults 1"},
		},
		{
			name:   "nothing",
			allow:  nil,
			denied: []string{"discover-instance", "read-directory", "read-accounts"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := check(context.Background(), fakeProbe(tt.allow...), &out)
			if len(tt.denied) == 0 {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, errDenied)
				for _, f := range tt.denied {
					assert.Contains(t, err.Error(), f)
				}
			}

			got := map[string]bool{}
			for _, l := range strings.Split(out.String(), "\n") {
				got[strings.Join(strings.Fields(l), " ")] = true
				assert.Equal(t, strings.TrimRight(l, " "), l, "no trailing blanks")
			}
			for _, want := range tt.lines {
				assert.Truef(t, got[want], "no line %q in:\n%s", want, out.String())
			}
			assert.Contains(t, out.String(), "FEATURE")
		})
	}
}

func TestCheckReturnsProbeErrors(t *testing.T) {
	boom := errors.New("credentials expired")
	var out bytes.Buffer
	err := check(context.Background(), func(context.Context, ...awsidc.FeatureName) (
		*awsidc.PreflightReport, error) {
		return nil, boom
	}, &out)
	require.ErrorIs(t, err, boom)
	assert.Empty(t, out.String())
}

func TestCheckFlagOnTheDemo(t *testing.T) {
	t.Parallel()
	r := runWith(t, noEnv, "-check", "-demo")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "demo")
	for _, want := range []string{"ACTION", "FEATURE", "read-policies", "not probed"} {
		assert.Contains(t, r.stdout, want)
	}
	assert.NotContains(t, r.stdout, "alice.martin", "a check reviews nothing")

	r = runWith(t, noEnv, "-check", "-region", "not a region")
	assert.Equal(t, 2, r.code, "an invalid configuration is a usage error")
}
