package awscall

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sdkShaped wraps err as the SDK returns a service error: an operation error
// around an HTTP response error with the given status.
func sdkShaped(status int, err error) error {
	return &smithy.OperationError{ServiceID: "SSO Admin", OperationName: "ListPermissionSets",
		Err: &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
			Err:      err,
		}}}
}

func TestDoRetriesTransientFaults(t *testing.T) {
	timeout := &smithy.OperationError{ServiceID: "identitystore", OperationName: "ListUsers",
		Err: &smithyhttp.RequestSendError{Err: &net.OpError{Op: "read", Net: "tcp",
			Err: os.ErrDeadlineExceeded}}}
	tests := []struct {
		name string
		err  error
	}{
		{"sso internal server error without HTTP", &ssotypes.InternalServerException{}},
		{"identity store internal server error", &idstypes.InternalServerException{}},
		{"organizations service exception", &orgtypes.ServiceException{}},
		{"organizations too many requests", &orgtypes.TooManyRequestsException{}},
		{"HTTP 503 with a generic error", sdkShaped(503,
			&smithy.GenericAPIError{Code: "ServiceUnavailableException"})},
		{"HTTP 500 unknown code", sdkShaped(500, &smithy.GenericAPIError{Code: "Whatever"})},
		{"HTTP 400 throttling", sdkShaped(400,
			&smithy.GenericAPIError{Code: "ThrottlingException"})},
		{"network timeout", timeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			inv := &Invoker{Retryer: fastRetryer(3)}
			got, err := Do(context.Background(), inv, "sso:X", func(context.Context) (int, error) {
				calls++
				if calls < 3 {
					return 0, tt.err
				}
				return calls, nil
			})
			require.NoError(t, err)
			assert.Equal(t, 3, got, "two failures, then the third attempt answers")
		})
	}
}

func TestDoRefreshesExpiredCredentialsOnce(t *testing.T) {
	expired := sdkShaped(403, &smithy.GenericAPIError{Code: "ExpiredTokenException",
		Message: "The security token included in the request is expired"})
	tests := []struct {
		name            string
		hook            bool
		errs            []error
		wantCalls       int
		wantInvalidated int
		wantErr         bool
	}{
		{"refresh then success", true, []error{expired, nil}, 2, 1, false},
		{"no hook still retries once", false, []error{expired, nil}, 2, 0, false},
		{"expired twice fails", true, []error{expired, expired, nil}, 2, 1, true},
		{"throttle after refresh is retried", true,
			[]error{expired, &ssotypes.ThrottlingException{}, nil}, 3, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			invalidated, calls := 0, 0
			inv := &Invoker{Retryer: fastRetryer(3)}
			if tt.hook {
				inv.Invalidate = func() { invalidated++ }
			}
			_, err := Do(context.Background(), inv, "identitystore:ListUsers",
				func(context.Context) (int, error) {
					err := tt.errs[calls]
					calls++
					return calls, err
				})
			assert.Equal(t, tt.wantCalls, calls)
			assert.Equal(t, tt.wantInvalidated, invalidated)
			if tt.wantErr {
				var ae *Error
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, "identitystore:ListUsers", ae.Action)
				assert.True(t, IsExpiredToken(err))
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

type invalidator struct {
	aws.AnonymousCredentials
	n int
}

func (i *invalidator) Invalidate() { i.n++ }

func TestWithInvalidate(t *testing.T) {
	inv := &Invoker{}
	WithInvalidate(aws.AnonymousCredentials{})(inv)
	assert.Nil(t, inv.Invalidate, "a provider without a cache leaves the hook unset")

	creds := &invalidator{}
	WithInvalidate(creds)(inv)
	require.NotNil(t, inv.Invalidate)
	inv.Invalidate()
	assert.Equal(t, 1, creds.n)

	cache := aws.NewCredentialsCache(aws.AnonymousCredentials{})
	WithInvalidate(cache)(inv)
	assert.NotNil(t, inv.Invalidate, "*aws.CredentialsCache is recognised")
}

func TestDoGivesUpNamingTheAction(t *testing.T) {
	down := sdkShaped(500, &smithy.GenericAPIError{Code: "InternalServerException"})
	calls := 0
	_, err := Do(context.Background(), &Invoker{Retryer: fastRetryer(4)},
		"sso:ListAccountAssignments", func(context.Context) (int, error) {
			calls++
			return 0, down
		})
	assert.Equal(t, 4, calls)
	var ae *Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "sso:ListAccountAssignments", ae.Action)
	assert.Contains(t, err.Error(), "sso:ListAccountAssignments")
}

// TestItemsRestartNeverTruncates lets the token expire at every page in
// turn, each time on a listing whose pages move (an item added at the front
// between the two runs), and checks nothing is lost and nothing repeated.
func TestItemsRestartNeverTruncates(t *testing.T) {
	refused := sdkShaped(400, &smithy.GenericAPIError{Code: "ValidationException",
		Message: "Invalid pagination token"})
	key := strconv.Itoa
	for failAt := 2; failAt <= 3; failAt++ { // three pages: calls 2 and 3 carry a token
		t.Run("token refused at call "+strconv.Itoa(failAt), func(t *testing.T) {
			items := seqInts(25)
			calls := 0
			page := func(_ context.Context, token *string) ([]int, *string, error) {
				calls++
				if calls == failAt {
					// The listing restarts; meanwhile an item arrived first.
					items = append([]int{100}, items...)
					return nil, nil, refused
				}
				start := 0
				if token != nil {
					start, _ = strconv.Atoi(*token)
				}
				end := min(start+10, len(items))
				var next *string
				if end < len(items) {
					next = aws.String(strconv.Itoa(end))
				}
				return items[start:end], next, nil
			}
			got, err := collect(t, Items(context.Background(), page, key))
			require.NoError(t, err)
			assert.ElementsMatch(t, append(seqInts(25), 100), got)
		})
	}
}

func TestItemsGivesUpAfterRepeatedRefusals(t *testing.T) {
	refused := &smithy.GenericAPIError{Code: "InvalidNextTokenException"}
	page := func(_ context.Context, token *string) ([]int, *string, error) {
		if token != nil {
			return nil, nil, refused
		}
		return []int{1}, aws.String("t"), nil
	}
	got, err := collect(t, Items(context.Background(), page, strconv.Itoa))
	assert.True(t, errors.Is(err, refused), "the refusal is returned, not a short listing")
	assert.Equal(t, []int{1}, got, "the first page's item is yielded once")
}
