package awscall

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pages serves items in pages of size n, counting calls.
type pages struct {
	items []int
	n     int
	calls int
	fail  map[int]error // call number -> error
}

func (p *pages) page(_ context.Context, token *string) ([]int, *string, error) {
	p.calls++
	if err := p.fail[p.calls]; err != nil {
		return nil, nil, err
	}
	start := 0
	if token != nil {
		start, _ = strconv.Atoi(*token)
	}
	end := min(start+p.n, len(p.items))
	var next *string
	if end < len(p.items) {
		next = aws.String(strconv.Itoa(end))
	}
	return p.items[start:end], next, nil
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, error) {
	t.Helper()
	var got []T
	for v, err := range seq {
		if err != nil {
			return got, err
		}
		got = append(got, v)
	}
	return got, nil
}

func seqInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestItemsPagesRangesTwiceAndBreaks(t *testing.T) {
	p := &pages{items: seqInts(25), n: 10}
	seq := Items(context.Background(), p.page, nil)

	got, err := collect(t, seq)
	require.NoError(t, err)
	assert.Equal(t, seqInts(25), got)
	assert.Equal(t, 3, p.calls)

	got, err = collect(t, seq)
	require.NoError(t, err)
	assert.Equal(t, seqInts(25), got, "ranging twice starts again")
	assert.Equal(t, 6, p.calls)

	for v, err := range seq {
		require.NoError(t, err)
		if v == 3 {
			break
		}
	}
	assert.Equal(t, 7, p.calls, "an early break makes no further call")
}

func TestItemsErrorMidway(t *testing.T) {
	boom := errors.New("boom")
	p := &pages{items: seqInts(25), n: 10, fail: map[int]error{2: boom}}
	var got []int
	var errs []error
	for v, err := range Items(context.Background(), p.page, nil) {
		if err != nil {
			errs = append(errs, err)
			assert.Zero(t, v)
			continue
		}
		got = append(got, v)
	}
	assert.Equal(t, seqInts(10), got)
	require.Len(t, errs, 1, "the error is yielded once, then iteration stops")
	assert.ErrorIs(t, errs[0], boom)
}

func TestItemsFollowsEmptyPagesAndRefusesLoops(t *testing.T) {
	calls := 0
	empty := func(_ context.Context, token *string) ([]int, *string, error) {
		calls++
		switch aws.ToString(token) {
		case "":
			return nil, aws.String("a"), nil
		case "a":
			return []int{1}, aws.String("b"), nil
		default:
			return []int{2}, nil, nil
		}
	}
	got, err := collect(t, Items(context.Background(), empty, nil))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2}, got)

	loop := func(_ context.Context, token *string) ([]int, *string, error) {
		return []int{1}, aws.String("same"), nil
	}
	_, err = collect(t, Items(context.Background(), loop, nil))
	assert.ErrorIs(t, err, ErrRepeatedToken)
}

func TestItemsRestartsWhenTokenRefused(t *testing.T) {
	refused := &smithy.GenericAPIError{Code: "ValidationException", Message: "bad token"}
	p := &pages{items: seqInts(25), n: 10, fail: map[int]error{3: refused}}
	key := func(i int) string { return strconv.Itoa(i) }

	got, err := collect(t, Items(context.Background(), p.page, key))
	require.NoError(t, err)
	assert.Equal(t, seqInts(25), got, "restarted listing neither loses nor repeats")

	p = &pages{items: seqInts(25), n: 10, fail: map[int]error{3: refused}}
	_, err = collect(t, Items(context.Background(), p.page, nil))
	assert.Error(t, err, "without a key a refused token fails the listing")
}

func fastRetryer(attempts int, codes ...string) aws.Retryer {
	return zeroDelay{NewRetryer(attempts, codes...)}
}

type zeroDelay struct{ aws.Retryer }

func (zeroDelay) RetryDelay(int, error) (time.Duration, error) { return 0, nil }

func TestDoRetries(t *testing.T) {
	throttle := &ssotypes.ThrottlingException{Message: aws.String("Rate exceeded")}
	conflict := &ssotypes.ConflictException{Message: aws.String("busy")}
	denied := &ssotypes.AccessDeniedException{Message: aws.String("no")}

	tests := []struct {
		name      string
		codes     []string
		errs      []error
		wantCalls int
		wantErr   error
	}{
		{"throttle then success", nil, []error{throttle, throttle, nil}, 3, nil},
		{"access denied is final", nil, []error{denied, nil}, 1, denied},
		{"conflict not retried by default", nil, []error{conflict, nil}, 1, conflict},
		{"conflict retried when added", []string{"ConflictException"},
			[]error{conflict, nil}, 2, nil},
		{"gives up after max attempts", nil,
			[]error{throttle, throttle, throttle, throttle}, 3, throttle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			inv := &Invoker{Retryer: fastRetryer(3, tt.codes...)}
			_, err := Do(context.Background(), inv, "sso:X", func(context.Context) (int, error) {
				err := tt.errs[calls]
				calls++
				return calls, err
			})
			assert.Equal(t, tt.wantCalls, calls)
			if tt.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}

func TestDoStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := Do(ctx, nil, "sso:X", func(context.Context) (int, error) {
		calls++
		cancel()
		return 0, &ssotypes.ThrottlingException{Message: aws.String("slow down")}
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, calls)
}

func TestRetryAfterFromIdentityStoreBody(t *testing.T) {
	err := &idstypes.ThrottlingException{Message: aws.String("x"), RetryAfterSeconds: 2}
	d, ok := RetryAfter(err)
	require.True(t, ok)
	assert.Equal(t, 2*time.Second, d)

	b := retryAfterBackoff{next: zeroBackoff{}}
	got, berr := b.BackoffDelay(1, err)
	require.NoError(t, berr)
	assert.Equal(t, 2*time.Second, got)
}

type zeroBackoff struct{}

func (zeroBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

func TestPacerBuckets(t *testing.T) {
	assert.Equal(t, "sso", Bucket("sso:ListAccountAssignments"))
	assert.Equal(t, "sso", Bucket("sso:DescribePermissionSet"))
	assert.Equal(t, "identitystore:ListUsers", Bucket("identitystore:ListUsers"))

	p := NewPacer(DefaultRates)
	assert.Equal(t, 8.0, p.Rate("organizations:ListAccounts"))
	assert.Equal(t, 20.0, p.Rate("identitystore:ListGroups"))
	assert.Same(t, p.limiter("sso:A"), p.limiter("sso:B"), "SSO Admin shares one bucket")
	assert.NotSame(t, p.limiter("identitystore:ListUsers"), p.limiter("identitystore:ListGroups"))
	assert.Nil(t, NewPacer(Rates{}).limiter("sso:A"), "zero rate is unpaced")
}

func TestErrorKinds(t *testing.T) {
	err := error(&Error{Action: "sso:DescribePermissionSet",
		Err: &ssotypes.ResourceNotFoundException{Message: aws.String("gone")}})
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrAccessDenied)
	var rnf *ssotypes.ResourceNotFoundException
	assert.ErrorAs(t, err, &rnf, "the SDK's typed error stays reachable")
	assert.Contains(t, err.Error(), "sso:DescribePermissionSet")
}

// TestCredentialFailuresAreNotTheServicesAnswer checks that STS refusing
// the role (its code is AccessDenied too) while credentials are fetched is
// not read as the called action being denied: a review must fail, not
// record the directory as unreadable.
func TestCredentialFailuresAreNotTheServicesAnswer(t *testing.T) {
	stsFailure := func(code string) error {
		return &smithy.OperationError{ServiceID: "identitystore", OperationName: "ListUsers",
			Err: fmt.Errorf("get identity: get credentials: failed to refresh cached "+
				"credentials, %w", &smithy.OperationError{ServiceID: "STS",
				OperationName: "AssumeRole", Err: &smithy.GenericAPIError{Code: code}})}
	}
	tests := []struct {
		name   string
		err    error
		denied bool
	}{
		{"the service denies", &smithy.OperationError{ServiceID: "identitystore",
			OperationName: "ListUsers", Err: &idstypes.AccessDeniedException{}}, true},
		{"a bare service error", &idstypes.AccessDeniedException{}, true},
		{"joined with a retry error", errors.Join(&idstypes.AccessDeniedException{},
			errors.New("no retry token")), true},
		{"STS denies the role", stsFailure("AccessDenied"), false},
		{"STS throttles", stsFailure("Throttling"), false},
		{"STS finds the token expired", stsFailure("ExpiredToken"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := error(&Error{Action: "identitystore:ListUsers", Err: tt.err})
			assert.Equal(t, tt.denied, errors.Is(err, ErrAccessDenied))
			assert.NotErrorIs(t, err, ErrNotFound)
			assert.NotErrorIs(t, err, ErrThrottled)
		})
	}

	// The same through the SDK: an Identity Store call whose credentials
	// come from an AssumeRole that STS refuses.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>`+
			`<Message>not authorized to perform sts:AssumeRole</Message></Error>`+
			`<RequestId>r</RequestId></ErrorResponse>`)
	}))
	defer srv.Close()
	stsClient := sts.New(sts.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")})
	role := stscreds.NewAssumeRoleProvider(stsClient, "arn:aws:iam::111122223333:role/r")
	store := identitystore.New(identitystore.Options{Region: "eu-west-1",
		BaseEndpoint: aws.String(srv.URL), Credentials: aws.NewCredentialsCache(role),
		Retryer: aws.NopRetryer{}})
	_, err := Do(t.Context(), nil, "identitystore:ListUsers",
		func(ctx context.Context) (*identitystore.ListUsersOutput, error) {
			return store.ListUsers(ctx, &identitystore.ListUsersInput{
				IdentityStoreId: aws.String("d-1234567890")})
		})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AssumeRole", "the failure is STS's")
	assert.NotErrorIs(t, err, ErrAccessDenied)
}

func TestPacerBurstIsTimeWorthOfCalls(t *testing.T) {
	tests := []struct {
		name  string
		rates Rates
		want  int
	}{
		{"AWS rates send one at a time", DefaultRates, 1},
		{"scaled rates hold 50ms of calls", DefaultRates.Scale(50), 50},
		{"explicit burst", Rates{SSOAdmin: 100, Burst: time.Second}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPacer(tt.rates)
			assert.Equal(t, tt.want, p.limiter("sso:ListAccountAssignments").Burst())
		})
	}
	assert.Equal(t, time.Second, Rates{SSOAdmin: 1, Burst: time.Second}.Scale(2).Burst,
		"scaling leaves the burst alone")
}

func TestRetryerHasNoRetryQuota(t *testing.T) {
	// The SDK's default quota (500 tokens, 5 per throttled retry) would run
	// dry after 100 retries; sustained throttling must not fail calls.
	r := NewRetryer(0)
	throttle := &ssotypes.ThrottlingException{Message: aws.String("Rate exceeded")}
	for i := range 1000 {
		release, err := r.GetRetryToken(context.Background(), throttle)
		require.NoError(t, err, "retry %d", i)
		require.NoError(t, release(nil))
	}
	assert.Equal(t, DefaultMaxAttempts, r.MaxAttempts())
	assert.True(t, r.IsErrorRetryable(throttle))
	assert.True(t, r.IsErrorRetryable(&idstypes.ThrottlingException{Message: aws.String("x")}))
	assert.False(t, NewRetryer(0).IsErrorRetryable(&ssotypes.ConflictException{}),
		"conflicts are retried only where asked (SSO Admin)")
	assert.True(t,
		NewRetryer(0, "ConflictException").IsErrorRetryable(&ssotypes.ConflictException{}))
}
