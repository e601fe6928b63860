package permissions

import (
	"context"
	"fmt"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/awsidc/awsidc/internal/awscall"
)

// SSOAdminAPI is the set of SSO Admin operations a [Client] calls. The SDK's
// *ssoadmin.Client implements it.
type SSOAdminAPI interface {
	ListPermissionSets(context.Context, *ssoadmin.ListPermissionSetsInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListPermissionSetsOutput, error)
	DescribePermissionSet(context.Context, *ssoadmin.DescribePermissionSetInput,
		...func(*ssoadmin.Options)) (*ssoadmin.DescribePermissionSetOutput, error)
	ListAccountsForProvisionedPermissionSet(context.Context,
		*ssoadmin.ListAccountsForProvisionedPermissionSetInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListAccountsForProvisionedPermissionSetOutput, error)
	ListPermissionSetsProvisionedToAccount(context.Context,
		*ssoadmin.ListPermissionSetsProvisionedToAccountInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListPermissionSetsProvisionedToAccountOutput, error)
	ListAccountAssignments(context.Context, *ssoadmin.ListAccountAssignmentsInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListAccountAssignmentsOutput, error)
	ListAccountAssignmentsForPrincipal(context.Context,
		*ssoadmin.ListAccountAssignmentsForPrincipalInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error)
	ListManagedPoliciesInPermissionSet(context.Context,
		*ssoadmin.ListManagedPoliciesInPermissionSetInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListManagedPoliciesInPermissionSetOutput, error)
	GetInlinePolicyForPermissionSet(context.Context, *ssoadmin.GetInlinePolicyForPermissionSetInput,
		...func(*ssoadmin.Options)) (*ssoadmin.GetInlinePolicyForPermissionSetOutput, error)
	ListCustomerManagedPolicyReferencesInPermissionSet(context.Context,
		*ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput,
		...func(*ssoadmin.Options),
	) (*ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetOutput, error)
	GetPermissionsBoundaryForPermissionSet(context.Context,
		*ssoadmin.GetPermissionsBoundaryForPermissionSetInput,
		...func(*ssoadmin.Options)) (*ssoadmin.GetPermissionsBoundaryForPermissionSetOutput, error)
	ListTagsForResource(context.Context, *ssoadmin.ListTagsForResourceInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListTagsForResourceOutput, error)
	CreateAccountAssignment(context.Context, *ssoadmin.CreateAccountAssignmentInput,
		...func(*ssoadmin.Options)) (*ssoadmin.CreateAccountAssignmentOutput, error)
	DeleteAccountAssignment(context.Context, *ssoadmin.DeleteAccountAssignmentInput,
		...func(*ssoadmin.Options)) (*ssoadmin.DeleteAccountAssignmentOutput, error)
	DescribeAccountAssignmentCreationStatus(context.Context,
		*ssoadmin.DescribeAccountAssignmentCreationStatusInput,
		...func(*ssoadmin.Options)) (*ssoadmin.DescribeAccountAssignmentCreationStatusOutput, error)
	DescribeAccountAssignmentDeletionStatus(context.Context,
		*ssoadmin.DescribeAccountAssignmentDeletionStatusInput,
		...func(*ssoadmin.Options)) (*ssoadmin.DescribeAccountAssignmentDeletionStatusOutput, error)
}

// OrganizationsAPI is the set of Organizations operations a [Client] calls.
// The SDK's *organizations.Client implements it.
type OrganizationsAPI interface {
	ListAccounts(context.Context, *organizations.ListAccountsInput,
		...func(*organizations.Options)) (*organizations.ListAccountsOutput, error)
	DescribeAccount(context.Context, *organizations.DescribeAccountInput,
		...func(*organizations.Options)) (*organizations.DescribeAccountOutput, error)
}

var (
	_ SSOAdminAPI      = (*ssoadmin.Client)(nil)
	_ OrganizationsAPI = (*organizations.Client)(nil)
)

// Largest page sizes AWS allows.
const (
	ssoPageSize = 100
	orgPageSize = 20
)

// Sentinel errors matched with errors.Is on the errors this package returns.
// The SDK's typed exceptions stay reachable with errors.As.
var (
	ErrNotFound     = awscall.ErrNotFound
	ErrAccessDenied = awscall.ErrAccessDenied
	ErrConflict     = awscall.ErrConflict
	ErrThrottled    = awscall.ErrThrottled
)

// Client reads and changes the permission sets and assignments of one
// Identity Center instance, and reads the organisation's accounts. It is safe
// for concurrent use.
type Client struct {
	sso      SSOAdminAPI
	org      OrganizationsAPI
	instance string
	inv      *awscall.Invoker
}

// New returns a Client for the instance instanceARN.
func New(sso SSOAdminAPI, org OrganizationsAPI, instanceARN string, opts ...Option) *Client {
	inv := awscall.NewInvoker(awscall.NewRetryer(0, "ConflictException"), opts...)
	return &Client{sso: sso, org: org, instance: instanceARN, inv: inv}
}

// InstanceARN returns the ARN of the instance the client works on.
func (c *Client) InstanceARN() string { return c.instance }

// Accounts returns every account of the organisation with its state. Each item
// comes with a nil error; on failure one zero value comes with the error and
// iteration stops. Ranging again starts from the first page; breaking out of
// the loop makes no further call.
func (c *Client) Accounts(ctx context.Context) iter.Seq2[Account, error] {
	page := func(ctx context.Context, token *string) ([]Account, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "organizations:ListAccounts",
			func(ctx context.Context) (*organizations.ListAccountsOutput, error) {
				return c.org.ListAccounts(ctx, &organizations.ListAccountsInput{
					MaxResults: aws.Int32(orgPageSize),
					NextToken:  token,
				})
			})
		if err != nil {
			return nil, nil, err
		}
		accounts := make([]Account, len(out.Accounts))
		for i := range out.Accounts {
			accounts[i] = accountFrom(&out.Accounts[i])
		}
		return accounts, out.NextToken, nil
	}
	return awscall.Items(ctx, page, func(a Account) string { return a.ID })
}

// Account returns the account with id. A missing account gives an error
// matching [ErrNotFound].
func (c *Client) Account(ctx context.Context, id string) (Account, error) {
	out, err := awscall.Do(ctx, c.inv, "organizations:DescribeAccount",
		func(ctx context.Context) (*organizations.DescribeAccountOutput, error) {
			return c.org.DescribeAccount(ctx, &organizations.DescribeAccountInput{
				AccountId: aws.String(id),
			})
		})
	if err != nil {
		return Account{}, fmt.Errorf("permissions: account %q: %w", id, err)
	}
	if out.Account == nil {
		return Account{}, fmt.Errorf("permissions: account %q: %w", id, ErrNotFound)
	}
	return accountFrom(out.Account), nil
}

func accountFrom(a *orgtypes.Account) Account {
	acc := Account{
		ID:    aws.ToString(a.Id),
		Name:  aws.ToString(a.Name),
		Email: aws.ToString(a.Email),
		State: AccountState(a.State),
	}
	if a.JoinedTimestamp != nil {
		acc.JoinedAt = a.JoinedTimestamp.UTC()
	}
	return acc
}

// PermissionSetARNs returns the ARN of every permission set of the instance.
// Each item comes with a nil error; on failure one zero value comes with the
// error and iteration stops. Ranging again starts from the first page; breaking
// out of the loop makes no further call.
func (c *Client) PermissionSetARNs(ctx context.Context) iter.Seq2[string, error] {
	page := func(ctx context.Context, token *string) ([]string, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "sso:ListPermissionSets",
			func(ctx context.Context) (*ssoadmin.ListPermissionSetsOutput, error) {
				return c.sso.ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{
					InstanceArn: aws.String(c.instance),
					MaxResults:  aws.Int32(ssoPageSize),
					NextToken:   token,
				})
			})
		if err != nil {
			return nil, nil, err
		}
		return out.PermissionSets, out.NextToken, nil
	}
	return awscall.Items(ctx, page, identity)
}

func identity(s string) string { return s }

// PermissionSets returns every permission set of the instance, each described
// once. Each item comes with a nil error; on failure one zero value comes with
// the error and iteration stops. Ranging again starts from the first page;
// breaking out of the loop makes no further call.
func (c *Client) PermissionSets(ctx context.Context) iter.Seq2[PermissionSet, error] {
	return func(yield func(PermissionSet, error) bool) {
		for arn, err := range c.PermissionSetARNs(ctx) {
			if err != nil {
				yield(PermissionSet{}, err)
				return
			}
			ps, err := c.PermissionSet(ctx, arn)
			if !yield(ps, err) || err != nil {
				return
			}
		}
	}
}

// PermissionSet describes the permission set arn. A missing permission set
// gives an error matching [ErrNotFound].
func (c *Client) PermissionSet(ctx context.Context, arn string) (PermissionSet, error) {
	out, err := awscall.Do(ctx, c.inv, "sso:DescribePermissionSet",
		func(ctx context.Context) (*ssoadmin.DescribePermissionSetOutput, error) {
			return c.sso.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{
				InstanceArn:      aws.String(c.instance),
				PermissionSetArn: aws.String(arn),
			})
		})
	if err != nil {
		return PermissionSet{}, fmt.Errorf("permissions: permission set %q: %w", arn, err)
	}
	if out.PermissionSet == nil {
		return PermissionSet{}, fmt.Errorf("permissions: permission set %q: %w", arn, ErrNotFound)
	}
	return permissionSetFrom(out.PermissionSet)
}

func permissionSetFrom(p *ssotypes.PermissionSet) (PermissionSet, error) {
	ps := PermissionSet{
		ARN:         aws.ToString(p.PermissionSetArn),
		Name:        aws.ToString(p.Name),
		Description: aws.ToString(p.Description),
		RelayState:  aws.ToString(p.RelayState),
	}
	if p.CreatedDate != nil {
		ps.CreatedAt = p.CreatedDate.UTC()
	}
	if s := aws.ToString(p.SessionDuration); s != "" {
		d, err := ParseDuration(s)
		if err != nil {
			return PermissionSet{}, fmt.Errorf("permissions: permission set %q: %w", ps.ARN, err)
		}
		ps.SessionDuration = d
	}
	return ps, nil
}

// AccountsForPermissionSet returns the ids of the accounts the permission set
// arn is provisioned to, whatever the state of that provisioning. Each item
// comes with a nil error; on failure one zero value comes with the error and
// iteration stops. Ranging again starts from the first page; breaking out of
// the loop makes no further call.
func (c *Client) AccountsForPermissionSet(
	ctx context.Context, arn string,
) iter.Seq2[string, error] {
	page := func(ctx context.Context, token *string) ([]string, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "sso:ListAccountsForProvisionedPermissionSet",
			func(ctx context.Context) (
				*ssoadmin.ListAccountsForProvisionedPermissionSetOutput, error,
			) {
				return c.sso.ListAccountsForProvisionedPermissionSet(ctx,
					&ssoadmin.ListAccountsForProvisionedPermissionSetInput{
						InstanceArn:      aws.String(c.instance),
						PermissionSetArn: aws.String(arn),
						MaxResults:       aws.Int32(ssoPageSize),
						NextToken:        token,
					})
			})
		if err != nil {
			return nil, nil, err
		}
		return out.AccountIds, out.NextToken, nil
	}
	return awscall.Items(ctx, page, identity)
}

// PermissionSetsForAccount returns the ARNs of the permission sets provisioned
// to account accountID. Each item comes with a nil error; on failure one zero
// value comes with the error and iteration stops. Ranging again starts from the
// first page; breaking out of the loop makes no further call.
func (c *Client) PermissionSetsForAccount(
	ctx context.Context, accountID string,
) iter.Seq2[string, error] {
	page := func(ctx context.Context, token *string) ([]string, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "sso:ListPermissionSetsProvisionedToAccount",
			func(ctx context.Context) (
				*ssoadmin.ListPermissionSetsProvisionedToAccountOutput, error,
			) {
				return c.sso.ListPermissionSetsProvisionedToAccount(ctx,
					&ssoadmin.ListPermissionSetsProvisionedToAccountInput{
						InstanceArn: aws.String(c.instance),
						AccountId:   aws.String(accountID),
						MaxResults:  aws.Int32(ssoPageSize),
						NextToken:   token,
					})
			})
		if err != nil {
			return nil, nil, err
		}
		return out.PermissionSets, out.NextToken, nil
	}
	return awscall.Items(ctx, page, identity)
}

// Assignments returns the assignments of permission set arn on account
// accountID. Each item comes with a nil error; on failure one zero value comes
// with the error and iteration stops. Ranging again starts from the first page;
// breaking out of the loop makes no further call.
func (c *Client) Assignments(
	ctx context.Context, accountID, arn string,
) iter.Seq2[Assignment, error] {
	page := func(ctx context.Context, token *string) ([]Assignment, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "sso:ListAccountAssignments",
			func(ctx context.Context) (*ssoadmin.ListAccountAssignmentsOutput, error) {
				return c.sso.ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{
					InstanceArn:      aws.String(c.instance),
					AccountId:        aws.String(accountID),
					PermissionSetArn: aws.String(arn),
					MaxResults:       aws.Int32(ssoPageSize),
					NextToken:        token,
				})
			})
		if err != nil {
			return nil, nil, err
		}
		as := make([]Assignment, len(out.AccountAssignments))
		for i, a := range out.AccountAssignments {
			as[i] = assignmentFrom(a.AccountId, a.PermissionSetArn, a.PrincipalType, a.PrincipalId)
		}
		return as, out.NextToken, nil
	}
	return awscall.Items(ctx, page, Assignment.key)
}

// AssignmentsForPrincipal returns the assignments that reach one principal. For
// a user, AWS also returns the assignments of the user's groups, with the group
// as principal. Each item comes with a nil error; on failure one zero value
// comes with the error and iteration stops. Ranging again starts from the first
// page; breaking out of the loop makes no further call.
func (c *Client) AssignmentsForPrincipal(ctx context.Context, typ PrincipalType,
	principalID string) iter.Seq2[Assignment, error] {
	page := func(ctx context.Context, token *string) ([]Assignment, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "sso:ListAccountAssignmentsForPrincipal",
			func(ctx context.Context) (
				*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error,
			) {
				return c.sso.ListAccountAssignmentsForPrincipal(ctx,
					&ssoadmin.ListAccountAssignmentsForPrincipalInput{
						InstanceArn:   aws.String(c.instance),
						PrincipalType: ssotypes.PrincipalType(typ),
						PrincipalId:   aws.String(principalID),
						MaxResults:    aws.Int32(ssoPageSize),
						NextToken:     token,
					})
			})
		if err != nil {
			return nil, nil, err
		}
		as := make([]Assignment, len(out.AccountAssignments))
		for i, a := range out.AccountAssignments {
			as[i] = assignmentFrom(a.AccountId, a.PermissionSetArn, a.PrincipalType, a.PrincipalId)
		}
		return as, out.NextToken, nil
	}
	return awscall.Items(ctx, page, Assignment.key)
}

// assignmentFrom builds an Assignment from the fields that AWS's two shapes
// of an assignment, AccountAssignment and AccountAssignmentForPrincipal,
// share.
func assignmentFrom(
	accountID, arn *string, typ ssotypes.PrincipalType, principalID *string,
) Assignment {
	return Assignment{
		AccountID:        aws.ToString(accountID),
		PermissionSetARN: aws.ToString(arn),
		PrincipalType:    PrincipalType(typ),
		PrincipalID:      aws.ToString(principalID),
	}
}

func (a Assignment) key() string {
	return a.AccountID + "|" + a.PermissionSetARN + "|" +
		string(a.PrincipalType) + "|" + a.PrincipalID
}
