package awsidctest

import (
	"context"
	"net/mail"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// Organizations is the fake organizations client. Its methods have the
// signatures of *organizations.Client; the option functions are ignored.
type Organizations struct{ o *Org }

var createRequestPattern = regexp.MustCompile(`^car-[a-z0-9]{8,32}$`)

func (c *Organizations) fail(err error) error { return organizationsError(err) }

// begin starts a call: interceptors, then the organization must exist.
func (c *Organizations) begin(ctx context.Context, op string) error {
	if err := c.o.enter(ctx, "organizations:"+op); err != nil {
		return err
	}
	s := c.o.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.orgExists {
		return &orgtypes.AWSOrganizationsNotInUseException{
			Message: ptr("Your account is not a member of an organization."),
		}
	}
	return nil
}

func (s *store) organizationLocked() *orgtypes.Organization {
	return &orgtypes.Organization{
		Arn:                ptr(s.organizationARN()),
		FeatureSet:         orgtypes.OrganizationFeatureSetAll,
		Id:                 ptr(s.orgID),
		MasterAccountArn:   ptr(s.accountARN(s.managementID)),
		MasterAccountEmail: cp(s.accounts[s.managementID].a.Email),
		MasterAccountId:    ptr(s.managementID),
	}
}

// ListAccounts lists the accounts in the organization, the management
// account first, then in creation order. MaxResults is 1 to 20 (default 20).
func (c *Organizations) ListAccounts(ctx context.Context, in *organizations.ListAccountsInput,
	optFns ...func(*organizations.Options),
) (*organizations.ListAccountsOutput, error) {
	if in == nil {
		in = &organizations.ListAccountsInput{}
	}
	if err := c.begin(ctx, "ListAccounts"); err != nil {
		return nil, err
	}

	n, err := c.o.pageSize(in.MaxResults, 20, 20)
	if err != nil {
		reason := orgtypes.InvalidInputExceptionReasonMaxValueExceeded
		if *in.MaxResults < 1 {
			reason = orgtypes.InvalidInputExceptionReasonMinValueExceeded
		}
		return nil, &orgtypes.InvalidInputException{Message: ptr(err.Error()), Reason: reason}
	}
	cur, err := decodeToken("ListAccounts", nil, in.NextToken)
	if err != nil {
		return nil, &orgtypes.InvalidInputException{
			Message: ptr(err.Error()),
			Reason:  orgtypes.InvalidInputExceptionReasonInvalidPaginationToken,
		}
	}

	s := c.o.s
	s.mu.RLock()
	page, last, more := s.accountOrder.page(cur.After, n, nil)
	out := &organizations.ListAccountsOutput{Accounts: make([]orgtypes.Account, 0, len(page))}
	for _, a := range page {
		out.Accounts = append(out.Accounts, cloneAccount(a.a))
	}
	s.mu.RUnlock()
	out.NextToken = encodeToken("ListAccounts", nil, cursor{After: last}, more)
	return out, nil
}

// DescribeAccount describes one account.
func (c *Organizations) DescribeAccount(ctx context.Context, in *organizations.DescribeAccountInput,
	optFns ...func(*organizations.Options),
) (*organizations.DescribeAccountOutput, error) {
	if in == nil {
		in = &organizations.DescribeAccountInput{}
	}
	if err := c.begin(ctx, "DescribeAccount"); err != nil {
		return nil, err
	}

	id, err := checkAccountID("accountId", in.AccountId)
	if err != nil {
		return nil, c.fail(err)
	}
	s := c.o.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.accountLocked(id)
	if err != nil {
		return nil, c.fail(err)
	}
	return &organizations.DescribeAccountOutput{Account: ptr(cloneAccount(a.a))}, nil
}

// DescribeOrganization describes the organization.
func (c *Organizations) DescribeOrganization(ctx context.Context,
	in *organizations.DescribeOrganizationInput, optFns ...func(*organizations.Options),
) (*organizations.DescribeOrganizationOutput, error) {
	if err := c.begin(ctx, "DescribeOrganization"); err != nil {
		return nil, err
	}

	s := c.o.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &organizations.DescribeOrganizationOutput{Organization: s.organizationLocked()}, nil
}

// CreateOrganization creates the organization, with the management account
// as its only account. If the organization exists it is returned unchanged.
func (c *Organizations) CreateOrganization(ctx context.Context,
	in *organizations.CreateOrganizationInput, optFns ...func(*organizations.Options),
) (*organizations.CreateOrganizationOutput, error) {
	if err := c.o.enter(ctx, "organizations:CreateOrganization"); err != nil {
		return nil, err
	}

	s := c.o.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.orgExists {
		s.createOrganizationLocked()
	}
	return &organizations.CreateOrganizationOutput{Organization: s.organizationLocked()}, nil
}

// CreateAccount creates a member account at once: the returned status is
// SUCCEEDED and carries the AccountId, or FAILED with EMAIL_ALREADY_EXISTS.
func (c *Organizations) CreateAccount(ctx context.Context, in *organizations.CreateAccountInput,
	optFns ...func(*organizations.Options),
) (*organizations.CreateAccountOutput, error) {
	if in == nil {
		in = &organizations.CreateAccountInput{}
	}
	if err := c.begin(ctx, "CreateAccount"); err != nil {
		return nil, err
	}

	name, email := deref(in.AccountName), deref(in.Email)
	if name == "" || len(name) > 50 {
		return nil, c.fail(invalid("accountName must be 1-50 characters"))
	}
	if _, err := mail.ParseAddress(email); err != nil || len(email) < 6 || len(email) > 64 {
		return nil, c.fail(invalid("email must be a valid email address of 6-64 characters"))
	}

	s := c.o.s
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	st := &orgtypes.CreateAccountStatus{
		AccountName:        ptr(name),
		CompletedTimestamp: ptr(now),
		Id:                 ptr("car-" + s.ids.hexID("createaccount", 32)),
		RequestedTimestamp: ptr(now),
		State:              orgtypes.CreateAccountStateSucceeded,
	}
	a, err := s.addAccountLocked(orgtypes.Account{Name: ptr(name), Email: ptr(email)},
		orgtypes.AccountJoinedMethodCreated)
	if err != nil {
		st.State = orgtypes.CreateAccountStateFailed
		st.FailureReason = orgtypes.CreateAccountFailureReasonEmailAlreadyExists
	} else {
		st.AccountId = a.Id
	}
	s.createStatuses[*st.Id] = st
	return &organizations.CreateAccountOutput{CreateAccountStatus: cloneCreateStatus(st)}, nil
}

func cloneCreateStatus(st *orgtypes.CreateAccountStatus) *orgtypes.CreateAccountStatus {
	out := *st
	out.AccountId, out.AccountName = cp(st.AccountId), cp(st.AccountName)
	out.CompletedTimestamp = cp(st.CompletedTimestamp)
	out.RequestedTimestamp = cp(st.RequestedTimestamp)
	out.Id, out.GovCloudAccountId = cp(st.Id), cp(st.GovCloudAccountId)
	return &out
}

// CloseAccount starts closing a member account: its state becomes
// PENDING_CLOSURE. The management account cannot be closed.
func (c *Organizations) CloseAccount(ctx context.Context, in *organizations.CloseAccountInput,
	optFns ...func(*organizations.Options),
) (*organizations.CloseAccountOutput, error) {
	if in == nil {
		in = &organizations.CloseAccountInput{}
	}
	if err := c.begin(ctx, "CloseAccount"); err != nil {
		return nil, err
	}

	id, err := checkAccountID("accountId", in.AccountId)
	if err != nil {
		return nil, c.fail(err)
	}
	s := c.o.s
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.accountLocked(id)
	if err != nil {
		return nil, c.fail(err)
	}
	switch {
	case id == s.managementID:
		return nil, &orgtypes.ConstraintViolationException{
			Message: ptr("You cannot close the management account."),
			Reason:  orgtypes.ConstraintViolationExceptionReasonCannotCloseManagementAccount,
		}
	case a.a.State == orgtypes.AccountStatePendingClosure, a.a.State == orgtypes.AccountStateClosed,
		a.a.State == orgtypes.AccountStateSuspended:
		return nil, &orgtypes.AccountAlreadyClosedException{
			Message: ptr("The account is already closed."),
		}
	}
	a.a.State = orgtypes.AccountStatePendingClosure
	a.a.Status = statusOf(a.a.State)
	return &organizations.CloseAccountOutput{}, nil
}

// DescribeCreateAccountStatus returns the status of a CreateAccount request.
func (c *Organizations) DescribeCreateAccountStatus(ctx context.Context,
	in *organizations.DescribeCreateAccountStatusInput, optFns ...func(*organizations.Options),
) (*organizations.DescribeCreateAccountStatusOutput, error) {
	if in == nil {
		in = &organizations.DescribeCreateAccountStatusInput{}
	}
	if err := c.begin(ctx, "DescribeCreateAccountStatus"); err != nil {
		return nil, err
	}

	id := deref(in.CreateAccountRequestId)
	if !createRequestPattern.MatchString(id) {
		return nil, c.fail(invalid("createAccountRequestId must look like car-<id>"))
	}
	s := c.o.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.createStatuses[id]
	if !ok {
		return nil, c.fail(notFound(resCreateStatus, id, "create account request "+id+" not found"))
	}
	return &organizations.DescribeCreateAccountStatusOutput{
		CreateAccountStatus: cloneCreateStatus(st),
	}, nil
}
