package awsidctest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
)

func TestThrottleAnswersEachServicesError(t *testing.T) {
	// A bucket of one call per hour: the second call of a bucket is refused.
	q := awsidctest.Quotas{SSOAdmin: 1.0 / 3600, IdentityStore: 1.0 / 3600,
		ListAccounts: 1.0 / 3600, Organizations: 1.0 / 3600, RetryAfterSeconds: 3}
	th := awsidctest.NewThrottle(q)
	o := awsidctest.NewOrg(awsidctest.WithInterceptor(th.Intercept))
	ctx := context.Background()
	inst, store := aws.String(o.InstanceARN()), aws.String(o.IdentityStoreID())

	listSets := func() error {
		_, err := o.SSOAdmin().ListPermissionSets(ctx,
			&ssoadmin.ListPermissionSetsInput{InstanceArn: inst})
		return err
	}
	listUsers := func() error {
		_, err := o.IdentityStore().ListUsers(ctx,
			&identitystore.ListUsersInput{IdentityStoreId: store})
		return err
	}
	listGroups := func() error {
		_, err := o.IdentityStore().ListGroups(ctx,
			&identitystore.ListGroupsInput{IdentityStoreId: store})
		return err
	}
	listAccounts := func() error {
		_, err := o.Organizations().ListAccounts(ctx, &organizations.ListAccountsInput{})
		return err
	}

	require.NoError(t, listSets())
	var sso *ssotypes.ThrottlingException
	assert.ErrorAs(t, listSets(), &sso, "SSO Admin's bucket is shared by its operations")

	require.NoError(t, listUsers())
	require.NoError(t, listGroups(), "each Identity Store operation has its own bucket")
	var ids *idtypes.ThrottlingException
	require.ErrorAs(t, listUsers(), &ids)
	assert.Equal(t, int32(3), ids.RetryAfterSeconds)

	require.NoError(t, listAccounts())
	var org *orgtypes.TooManyRequestsException
	assert.ErrorAs(t, listAccounts(), &org)

	assert.Equal(t, int64(3), th.Throttled())
	assert.Equal(t, map[string]int{"sso": 1, "identitystore:ListUsers": 1,
		"identitystore:ListGroups": 1, "organizations:ListAccounts": 1}, th.Admitted())
}

func TestThrottleKeepsToItsRateAndLatency(t *testing.T) {
	q := awsidctest.Quotas{SSOAdmin: 100, Burst: 50 * time.Millisecond,
		Latency: 2 * time.Millisecond}
	th := awsidctest.NewThrottle(q)
	admitted := 0
	start := time.Now()
	for range 20 {
		if err := th.Intercept(context.Background(), "sso:ListAccountAssignments"); err == nil {
			admitted++
		}
	}
	assert.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond, "every call waits the latency")
	// A burst of 5, then one more per 10ms over about 40ms or more.
	assert.GreaterOrEqual(t, admitted, 5)
	assert.Less(t, admitted, 20)
	assert.Equal(t, int64(20-admitted), th.Throttled())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.True(t, errors.Is(th.Intercept(ctx, "sso:X"), context.Canceled))
}

func TestQuotasScale(t *testing.T) {
	q := awsidctest.AWSQuotas
	q.Latency = 100 * time.Millisecond
	s := q.Scale(50)
	assert.Equal(t, 1000.0, s.Rate("sso:DescribePermissionSet"))
	assert.Equal(t, 1000.0, s.Rate("identitystore:ListUsers"))
	assert.Equal(t, 400.0, s.Rate("organizations:ListAccounts"))
	assert.Equal(t, 2*time.Millisecond, s.Latency)
	assert.Equal(t, "sso", awsidctest.QuotaBucket("sso:ListAccountAssignments"))
	assert.Equal(t, "identitystore:ListUsers", awsidctest.QuotaBucket("identitystore:ListUsers"))
}

func TestSeedReference(t *testing.T) {
	shape := awsidctest.ReferenceOrg.Scale(0.01)
	o := awsidctest.NewOrg()
	require.NoError(t, awsidctest.SeedReference(o, shape))
	assert.Len(t, o.Assignments(), shape.Assignments)
	assert.Empty(t, o.Calls(), "seeding calls nothing")

	ctx := context.Background()
	out, err := o.IdentityStore().ListGroups(ctx, &identitystore.ListGroupsInput{
		IdentityStoreId: aws.String(o.IdentityStoreID()), MaxResults: aws.Int32(100)})
	require.NoError(t, err)
	require.Len(t, out.Groups, shape.Groups)
	for _, g := range out.Groups {
		m, err := o.IdentityStore().ListGroupMemberships(ctx,
			&identitystore.ListGroupMembershipsInput{
				IdentityStoreId: aws.String(o.IdentityStoreID()),
				GroupId:         g.GroupId,
				MaxResults:      aws.Int32(100),
			})
		require.NoError(t, err)
		assert.Len(t, m.GroupMemberships, shape.Memberships/shape.Groups, "members spread evenly")
	}
	sets, err := o.SSOAdmin().ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{
		InstanceArn: aws.String(o.InstanceARN()), MaxResults: aws.Int32(100)})
	require.NoError(t, err)
	pairs := 0
	for _, arn := range sets.PermissionSets {
		acc, err := o.SSOAdmin().ListAccountsForProvisionedPermissionSet(ctx,
			&ssoadmin.ListAccountsForProvisionedPermissionSetInput{
				InstanceArn: aws.String(o.InstanceARN()), PermissionSetArn: aws.String(arn),
				MaxResults: aws.Int32(100)})
		require.NoError(t, err)
		pairs += len(acc.AccountIds)
	}
	assert.Equal(t, shape.Pairs, pairs)

	err = awsidctest.SeedReference(awsidctest.NewOrg(), awsidctest.ReferenceShape{Users: 1,
		Groups: 1, Accounts: 1, PermissionSets: 1, Pairs: 1, Assignments: 5})
	assert.ErrorIs(t, err, awsidctest.ErrInvalid, "more assignments than principals")
}
