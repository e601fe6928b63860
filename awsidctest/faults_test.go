package awsidctest_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
)

var (
	_ identitycenter.API           = (*awsidctest.FaultyIdentityStore)(nil)
	_ identitycenter.WriteAPI      = (*awsidctest.FaultyIdentityStore)(nil)
	_ permissions.SSOAdminAPI      = (*awsidctest.FaultySSOAdmin)(nil)
	_ permissions.OrganizationsAPI = (*awsidctest.FaultyOrganizations)(nil)
)

func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func TestFaultsInterceptShapesErrorsPerService(t *testing.T) {
	tests := []struct {
		name     string
		sched    awsidctest.Schedule
		action   string
		wantCode string
		wantHTTP []int
	}{
		{"throttle sso", awsidctest.Schedule{Throttle: 1}, "sso:ListPermissionSets",
			"ThrottlingException", []int{400}},
		{"throttle identity store", awsidctest.Schedule{Throttle: 1}, "identitystore:ListUsers",
			"ThrottlingException", []int{400}},
		{"throttle organizations", awsidctest.Schedule{Throttle: 1}, "organizations:ListAccounts",
			"TooManyRequestsException", []int{400}},
		{"server error sso", awsidctest.Schedule{ServerError: 1}, "sso:DescribePermissionSet",
			"InternalServerException", []int{500, 503}},
		{"server error organizations", awsidctest.Schedule{ServerError: 1},
			"organizations:ListAccounts", "ServiceException", []int{500, 503}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := awsidctest.NewFaults(tt.sched)
			for range 5 {
				err := f.Intercept(context.Background(), tt.action)
				var ae smithy.APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, tt.wantCode, ae.ErrorCode())
				assert.Contains(t, tt.wantHTTP, httpStatus(err))
				var oe *smithy.OperationError
				require.ErrorAs(t, err, &oe)
				assert.Equal(t, tt.action[len(tt.action)-len(oe.OperationName):], oe.OperationName)
			}
		})
	}
}

func TestFaultsTimeoutsAreNetworkTimeouts(t *testing.T) {
	f := awsidctest.NewFaults(awsidctest.Schedule{Timeout: 1, TimeoutDelay: time.Millisecond})
	for range 10 {
		err := f.Intercept(context.Background(), "identitystore:ListUsers")
		var ne net.Error
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout(), "got %v, want a timeout", err)
		assert.NotErrorIs(t, context.Background().Err(), err)
	}
	assert.Equal(t, 10, f.Injected()[awsidctest.FaultTimeout])

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	slow := awsidctest.NewFaults(awsidctest.Schedule{Timeout: 1, TimeoutDelay: time.Hour})
	assert.ErrorIs(t, slow.Intercept(ctx, "sso:ListInstances"), context.Canceled,
		"a hanging call still ends with its context")
}

func TestFaultsRatesAndSeeds(t *testing.T) {
	sched := awsidctest.Schedule{Seed: 7, Throttle: 0.3, ServerError: 0.05}
	run := func() []bool {
		f := awsidctest.NewFaults(sched)
		out := make([]bool, 4000)
		for i := range out {
			out[i] = f.Intercept(context.Background(), "sso:ListAccountAssignments") != nil
		}
		got := f.Injected()
		assert.InDelta(t, 0.3, float64(got[awsidctest.FaultThrottle])/4000, 0.03)
		assert.InDelta(t, 0.05, float64(got[awsidctest.FaultServerError])/4000, 0.015)
		return out
	}
	assert.Equal(t, run(), run(), "one seed, one sequence of faults")

	other := awsidctest.NewFaults(awsidctest.Schedule{Seed: 8, Throttle: 0.3})
	diff := 0
	first := run()
	for i := range first {
		if (other.Intercept(context.Background(), "sso:X") != nil) != first[i] {
			diff++
		}
	}
	assert.Positive(t, diff, "another seed, other faults")
}

func TestFaultsActionsLimitFaults(t *testing.T) {
	f := awsidctest.NewFaults(awsidctest.Schedule{Throttle: 1,
		Actions: []string{"identitystore:List*", "sso:DescribePermissionSet"}})
	assert.Error(t, f.Intercept(context.Background(), "identitystore:ListGroups"))
	assert.Error(t, f.Intercept(context.Background(), "sso:DescribePermissionSet"))
	assert.NoError(t, f.Intercept(context.Background(), "sso:ListPermissionSets"))
	assert.NoError(t, f.Intercept(context.Background(), "identitystore:DescribeUser"))
}

func TestFaultsConflictAfterWrite(t *testing.T) {
	o := awsidctest.NewOrg()
	acc := mustAccount(t, o, "222222222222", "dev")
	set := mustSet(t, o, "Dev")
	users := addUsers(t, o, 2)
	f := awsidctest.NewFaults(awsidctest.Schedule{ConflictAfterWrite: 1})
	fo := awsidctest.Faulty(o, f)

	create := func(user string) error {
		_, err := fo.SSOAdmin().CreateAccountAssignment(context.Background(),
			&ssoadmin.CreateAccountAssignmentInput{
				InstanceArn: str(o.InstanceARN()), TargetId: str(acc),
				TargetType: ssotypes.TargetTypeAwsAccount, PermissionSetArn: str(set),
				PrincipalType: ssotypes.PrincipalTypeUser, PrincipalId: str(user),
			})
		return err
	}
	require.NoError(t, create(users[0]), "the first write goes through")
	_, err := fo.SSOAdmin().ListPermissionSets(context.Background(),
		&ssoadmin.ListPermissionSetsInput{InstanceArn: str(o.InstanceARN())})
	require.NoError(t, err, "reads are not refused")
	conflict := errorAs[*ssotypes.ConflictException](t, create(users[1]))
	assert.NotEmpty(t, conflict.ErrorMessage())
	assert.Len(t, o.Assignments(), 1, "the refused write changed nothing")
	assert.Equal(t, 1, f.Injected()[awsidctest.FaultConflict])
}

func TestFaultsSlowCalls(t *testing.T) {
	f := awsidctest.NewFaults(awsidctest.Schedule{Slow: 1, SlowDelay: 20 * time.Millisecond})
	start := time.Now()
	require.NoError(t, f.Intercept(context.Background(), "sso:ListInstances"))
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	assert.Equal(t, 1, f.Injected()[awsidctest.FaultSlow])
}

// listUserNames pages through ListUsers by hand, following NextTokens and
// restarting from the first page when a token is refused.
func listUserNames(t *testing.T, is *awsidctest.FaultyIdentityStore, storeID string) (
	[]string, int, int) {
	t.Helper()
	var names []string
	pages, refusals := 0, 0
	var token *string
	for {
		out, err := is.ListUsers(context.Background(), &identitystore.ListUsersInput{
			IdentityStoreId: str(storeID), MaxResults: i32(100), NextToken: token})
		pages++
		if err != nil {
			var ae smithy.APIError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, "ValidationException", ae.ErrorCode())
			require.NotNil(t, token, "only a token is refused")
			refusals++
			names, token = nil, nil
			continue
		}
		for _, u := range out.Users {
			names = append(names, *u.UserName)
		}
		if out.NextToken == nil {
			return names, pages, refusals
		}
		token = out.NextToken
		require.Less(t, pages, 1000, "the listing ends")
	}
}

func TestFaultyPages(t *testing.T) {
	tests := []struct {
		name         string
		sched        awsidctest.Schedule
		wantPages    func(int) bool
		wantRefusals int
	}{
		{"short pages", awsidctest.Schedule{ShortPage: 1},
			func(n int) bool { return n > 3 }, 0},
		{"empty pages", awsidctest.Schedule{Seed: 3, EmptyPage: 0.5},
			func(n int) bool { return n > 3 }, 0},
		{"expired token", awsidctest.Schedule{ExpiredToken: 1},
			func(n int) bool { return n == 2+3 }, 1},
		{"all page faults", awsidctest.Schedule{Seed: 9, ShortPage: 0.5, EmptyPage: 0.3,
			ExpiredToken: 0.2}, func(n int) bool { return n > 3 }, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := awsidctest.NewOrg(awsidctest.WithPageLimit(5))
			addUsers(t, o, 12)
			f := awsidctest.NewFaults(tt.sched)
			fo := awsidctest.Faulty(o, f)

			names, pages, refusals := listUserNames(t, fo.IdentityStore(), o.IdentityStoreID())
			assert.Len(t, names, 12)
			assert.ElementsMatch(t, []string{"user000", "user001", "user002", "user003",
				"user004", "user005", "user006", "user007", "user008", "user009", "user010",
				"user011"}, names, "every user once")
			assert.True(t, tt.wantPages(pages), "pages: %d", pages)
			if tt.wantRefusals >= 0 {
				assert.Equal(t, tt.wantRefusals, refusals)
			}
			assert.LessOrEqual(t, refusals, 1, "a listing's token expires at most once")
		})
	}
}

func TestFaultyRefusesUnknownTokens(t *testing.T) {
	o := awsidctest.NewOrg()
	fo := awsidctest.Faulty(o, awsidctest.NewFaults(awsidctest.Schedule{ShortPage: 1}))
	_, err := fo.Organizations().ListAccounts(context.Background(),
		&organizations.ListAccountsInput{NextToken: str("awsidctest-faulty-999")})
	iie := errorAs[*orgtypes.InvalidInputException](t, err)
	assert.Equal(t, orgtypes.InvalidInputExceptionReasonInvalidPaginationToken, iie.Reason)
}

func TestFaultyKeepsOtherMethods(t *testing.T) {
	o := awsidctest.NewOrg()
	ids := addUsers(t, o, 1)
	fo := awsidctest.Faulty(o, awsidctest.NewFaults(awsidctest.Schedule{}))
	out, err := fo.IdentityStore().DescribeUser(context.Background(),
		&identitystore.DescribeUserInput{IdentityStoreId: str(o.IdentityStoreID()),
			UserId: str(ids[0])})
	require.NoError(t, err)
	assert.Equal(t, "user000", *out.UserName)
	assert.Equal(t, o.InstanceARN(), fo.InstanceARN(), "Org methods pass through")
}
