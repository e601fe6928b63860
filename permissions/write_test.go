package permissions_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/internal/testkit"
	"github.com/awsidc/awsidc/permissions"
)

// writeOrg returns a fake with one account, one permission set and one user,
// and the assignment that would tie them.
func writeOrg(t *testing.T, opts ...awsidctest.Option) (*awsidctest.Org, permissions.Assignment) {
	t.Helper()
	org := awsidctest.NewOrg(opts...)
	acct, err := org.AddAccount(awsidctest.AccountSeed{Name: "production"})
	require.NoError(t, err)
	arn, err := org.AddPermissionSet(awsidctest.PermissionSetSeed{Name: "ReadOnly"})
	require.NoError(t, err)
	user, err := org.AddUser(awsidctest.UserSeed{UserName: "alice"})
	require.NoError(t, err)
	return org, permissions.Assignment{AccountID: acct, PermissionSetARN: arn,
		PrincipalType: permissions.PrincipalUser, PrincipalID: user}
}

// follow reads op's status until it leaves IN_PROGRESS and returns the
// final operation and how many reads said IN_PROGRESS.
func follow(t *testing.T, c *permissions.Client,
	op permissions.Operation) (permissions.Operation, int) {
	t.Helper()
	for n := 0; n < 10; n++ {
		got, err := c.OperationStatus(t.Context(), op)
		require.NoError(t, err)
		assert.Equal(t, op.RequestID, got.RequestID)
		assert.Equal(t, op.Kind, got.Kind)
		assert.Equal(t, op.Assignment, got.Assignment)
		if got.Status != permissions.OperationInProgress {
			return got, n
		}
	}
	t.Fatalf("operation %s still in progress after 10 reads", op.RequestID)
	return permissions.Operation{}, 0
}

func TestGrantAndRevoke(t *testing.T) {
	for _, polls := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("%d polls", polls), func(t *testing.T) {
			org, a := writeOrg(t, awsidctest.WithCompletionPolls(polls))
			c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN(),
				permissions.WithRetryer(testkit.FastRetryer()))

			op, err := c.Grant(t.Context(), a)
			require.NoError(t, err)
			assert.Equal(t, permissions.KindCreate, op.Kind)
			assert.Equal(t, permissions.OperationInProgress, op.Status)
			assert.NotEmpty(t, op.RequestID)
			assert.Equal(t, a, op.Assignment)

			done, inProgress := follow(t, c, op)
			assert.Equal(t, permissions.OperationSucceeded, done.Status)
			assert.Empty(t, done.FailureReason)
			assert.Equal(t, polls, inProgress, "IN_PROGRESS reads before SUCCEEDED")

			got, err := testkit.Collect(c.Assignments(t.Context(), a.AccountID, a.PermissionSetARN))
			require.NoError(t, err)
			assert.Equal(t, []permissions.Assignment{a}, got)

			op, err = c.Revoke(t.Context(), a)
			require.NoError(t, err)
			assert.Equal(t, permissions.KindDelete, op.Kind)
			assert.Equal(t, permissions.OperationInProgress, op.Status)

			done, inProgress = follow(t, c, op)
			assert.Equal(t, permissions.OperationSucceeded, done.Status)
			assert.Equal(t, polls, inProgress)

			got, err = testkit.Collect(c.Assignments(t.Context(), a.AccountID, a.PermissionSetARN))
			require.NoError(t, err)
			assert.Empty(t, got)
		})
	}
}

func TestGrantFails(t *testing.T) {
	const reason = "Received a 404 status error: Not supported policy"
	org, a := writeOrg(t, awsidctest.WithAssignmentFailure(
		func(op string, _ awsidctest.Assignment) string {
			if op == "create" {
				return reason
			}
			return ""
		}))
	c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())

	op, err := c.Grant(t.Context(), a)
	require.NoError(t, err)
	done, _ := follow(t, c, op)
	assert.Equal(t, permissions.OperationFailed, done.Status)
	assert.Equal(t, reason, done.FailureReason)

	got, err := testkit.Collect(c.Assignments(t.Context(), a.AccountID, a.PermissionSetARN))
	require.NoError(t, err)
	assert.Empty(t, got, "a failed grant leaves nothing")
}

func TestWriteErrors(t *testing.T) {
	org, a := writeOrg(t)
	c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN(),
		permissions.WithRetryer(testkit.FastRetryer()))

	tests := []struct {
		name    string
		call    func() error
		wantErr error
	}{
		{name: "revoke absent", wantErr: permissions.ErrNotFound, call: func() error {
			_, err := c.Revoke(t.Context(), a)
			return err
		}},
		{name: "status of unknown request", wantErr: permissions.ErrNotFound, call: func() error {
			_, err := c.OperationStatus(t.Context(), permissions.Operation{
				Kind: permissions.KindCreate, RequestID: "1b2c3d4e-0000-4000-8000-000000000000",
			})
			return err
		}},
		{name: "status of unknown kind", call: func() error {
			_, err := c.OperationStatus(t.Context(), permissions.Operation{Kind: "update"})
			return err
		}},
		{name: "grant denied", wantErr: permissions.ErrAccessDenied, call: func() error {
			org.AddInterceptor(awsidctest.AllowOnly("sso:List*", "sso:Describe*"))
			_, err := c.Grant(t.Context(), a)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}
