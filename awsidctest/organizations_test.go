package awsidctest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
)

func TestListAccounts(t *testing.T) {
	o := awsidctest.NewOrg()
	want := []string{awsidctest.ManagementAccountID}
	for i := range 44 {
		want = append(want, mustAccount(t, o, "", fmt.Sprintf("acct-%02d", i)))
	}
	_, err := o.AddAccount(awsidctest.AccountSeed{
		ID: "222222222222", Name: "gone", State: "SUSPENDED",
	})
	require.NoError(t, err)
	want = append(want, "222222222222")

	p := organizations.NewListAccountsPaginator(o.Organizations(),
		&organizations.ListAccountsInput{})
	var got []string
	pages := 0
	var last orgtypes.Account
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		pages++
		assert.LessOrEqual(t, len(page.Accounts), 20)
		for _, a := range page.Accounts {
			got = append(got, *a.Id)
			assert.NotEmpty(t, a.State)
			assert.Regexp(t,
				`^arn:aws:organizations::111111111111:account/o-[0-9a-f]{10}/\d{12}$`, *a.Arn)
			last = a
		}
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 3, pages, "46 accounts at 20 a page")
	assert.Equal(t, orgtypes.AccountStateSuspended, last.State)
	assert.Equal(t, orgtypes.AccountStatusSuspended, last.Status)

	for _, n := range []int32{0, 21} {
		_, err := o.Organizations().ListAccounts(context.Background(),
			&organizations.ListAccountsInput{MaxResults: i32(n)})
		errorAs[*orgtypes.InvalidInputException](t, err)
	}
	_, err = o.Organizations().ListAccounts(context.Background(),
		&organizations.ListAccountsInput{NextToken: str("x")})
	e := errorAs[*orgtypes.InvalidInputException](t, err)
	assert.Equal(t, orgtypes.InvalidInputExceptionReasonInvalidPaginationToken, e.Reason)
}

func TestDescribeAccount(t *testing.T) {
	o := awsidctest.NewOrg()
	id := mustAccount(t, o, "", "prod")
	c := o.Organizations()
	ctx := context.Background()

	out, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: str(id)})
	require.NoError(t, err)
	assert.Equal(t, "prod", *out.Account.Name)
	assert.Equal(t, orgtypes.AccountStateActive, out.Account.State)

	_, err = c.DescribeAccount(ctx,
		&organizations.DescribeAccountInput{AccountId: str("999999999999")})
	errorAs[*orgtypes.AccountNotFoundException](t, err)
	_, err = c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: str("12")})
	errorAs[*orgtypes.InvalidInputException](t, err)
}

func TestNoOrganization(t *testing.T) {
	o := awsidctest.NewOrg(awsidctest.WithoutOrganization())
	c := o.Organizations()
	ctx := context.Background()

	_, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{})
	errorAs[*orgtypes.AWSOrganizationsNotInUseException](t, err)
	_, err = c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	errorAs[*orgtypes.AWSOrganizationsNotInUseException](t, err)

	created, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	require.NoError(t, err)
	assert.Equal(t, awsidctest.ManagementAccountID, *created.Organization.MasterAccountId)
	again, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	require.NoError(t, err)
	assert.Equal(t, *created.Organization.Id, *again.Organization.Id)

	list, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{})
	require.NoError(t, err)
	require.Len(t, list.Accounts, 1)
	assert.Equal(t, awsidctest.ManagementAccountID, *list.Accounts[0].Id)
}

func TestCreateAndCloseAccount(t *testing.T) {
	o := awsidctest.NewOrg()
	c := o.Organizations()
	ctx := context.Background()

	out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{
		AccountName: str("new"), Email: str("new@example.com"),
	})
	require.NoError(t, err)
	st := out.CreateAccountStatus
	assert.Equal(t, orgtypes.CreateAccountStateSucceeded, st.State)
	require.NotNil(t, st.AccountId)
	assert.Regexp(t, `^\d{12}$`, *st.AccountId)

	d, err := c.DescribeCreateAccountStatus(ctx,
		&organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id})
	require.NoError(t, err)
	assert.Equal(t, *st.AccountId, *d.CreateAccountStatus.AccountId)
	_, err = c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{
		CreateAccountRequestId: str("car-00000000000000000000000000000000"),
	})
	errorAs[*orgtypes.CreateAccountStatusNotFoundException](t, err)

	dup, err := c.CreateAccount(ctx,
		&organizations.CreateAccountInput{AccountName: str("dup"), Email: str("NEW@example.com")})
	require.NoError(t, err)
	assert.Equal(t, orgtypes.CreateAccountStateFailed, dup.CreateAccountStatus.State)
	assert.Equal(t, orgtypes.CreateAccountFailureReasonEmailAlreadyExists,
		dup.CreateAccountStatus.FailureReason)

	_, err = c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: st.AccountId})
	require.NoError(t, err)
	acct, err := c.DescribeAccount(ctx,
		&organizations.DescribeAccountInput{AccountId: st.AccountId})
	require.NoError(t, err)
	assert.Equal(t, orgtypes.AccountStatePendingClosure, acct.Account.State)

	_, err = c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: st.AccountId})
	errorAs[*orgtypes.AccountAlreadyClosedException](t, err)
	_, err = c.CloseAccount(ctx,
		&organizations.CloseAccountInput{AccountId: str(awsidctest.ManagementAccountID)})
	errorAs[*orgtypes.ConstraintViolationException](t, err)

	_, err = o.AddAccount(awsidctest.AccountSeed{ID: *st.AccountId})
	assert.ErrorIs(t, err, awsidctest.ErrConflict)
}
