package awsidctest_test

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/awsidc/awsidc/awsidctest"
)

// The interfaces below list every method the fakes offer, with the SDK's
// signatures. Both the fakes and the real clients must satisfy them.

type identityStoreAPI interface {
	ListUsers(context.Context, *identitystore.ListUsersInput,
		...func(*identitystore.Options)) (*identitystore.ListUsersOutput, error)
	ListGroups(context.Context, *identitystore.ListGroupsInput,
		...func(*identitystore.Options)) (*identitystore.ListGroupsOutput, error)
	ListGroupMemberships(context.Context, *identitystore.ListGroupMembershipsInput,
		...func(*identitystore.Options)) (*identitystore.ListGroupMembershipsOutput, error)
	ListGroupMembershipsForMember(context.Context,
		*identitystore.ListGroupMembershipsForMemberInput,
		...func(*identitystore.Options)) (*identitystore.ListGroupMembershipsForMemberOutput, error)
	DescribeUser(context.Context, *identitystore.DescribeUserInput,
		...func(*identitystore.Options)) (*identitystore.DescribeUserOutput, error)
	DescribeGroup(context.Context, *identitystore.DescribeGroupInput,
		...func(*identitystore.Options)) (*identitystore.DescribeGroupOutput, error)
	GetUserId(context.Context, *identitystore.GetUserIdInput,
		...func(*identitystore.Options)) (*identitystore.GetUserIdOutput, error)
	GetGroupId(context.Context, *identitystore.GetGroupIdInput,
		...func(*identitystore.Options)) (*identitystore.GetGroupIdOutput, error)
	GetGroupMembershipId(context.Context, *identitystore.GetGroupMembershipIdInput,
		...func(*identitystore.Options)) (*identitystore.GetGroupMembershipIdOutput, error)
	IsMemberInGroups(context.Context, *identitystore.IsMemberInGroupsInput,
		...func(*identitystore.Options)) (*identitystore.IsMemberInGroupsOutput, error)
	CreateUser(context.Context, *identitystore.CreateUserInput,
		...func(*identitystore.Options)) (*identitystore.CreateUserOutput, error)
	DeleteUser(context.Context, *identitystore.DeleteUserInput,
		...func(*identitystore.Options)) (*identitystore.DeleteUserOutput, error)
	CreateGroup(context.Context, *identitystore.CreateGroupInput,
		...func(*identitystore.Options)) (*identitystore.CreateGroupOutput, error)
	DeleteGroup(context.Context, *identitystore.DeleteGroupInput,
		...func(*identitystore.Options)) (*identitystore.DeleteGroupOutput, error)
	CreateGroupMembership(context.Context, *identitystore.CreateGroupMembershipInput,
		...func(*identitystore.Options)) (*identitystore.CreateGroupMembershipOutput, error)
	DeleteGroupMembership(context.Context, *identitystore.DeleteGroupMembershipInput,
		...func(*identitystore.Options)) (*identitystore.DeleteGroupMembershipOutput, error)
}

type ssoAdminAPI interface {
	ListInstances(context.Context, *ssoadmin.ListInstancesInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListInstancesOutput, error)
	DescribeInstance(context.Context, *ssoadmin.DescribeInstanceInput,
		...func(*ssoadmin.Options)) (*ssoadmin.DescribeInstanceOutput, error)
	CreatePermissionSet(context.Context, *ssoadmin.CreatePermissionSetInput,
		...func(*ssoadmin.Options)) (*ssoadmin.CreatePermissionSetOutput, error)
	DescribePermissionSet(context.Context, *ssoadmin.DescribePermissionSetInput,
		...func(*ssoadmin.Options)) (*ssoadmin.DescribePermissionSetOutput, error)
	DeletePermissionSet(context.Context, *ssoadmin.DeletePermissionSetInput,
		...func(*ssoadmin.Options)) (*ssoadmin.DeletePermissionSetOutput, error)
	ListPermissionSets(context.Context, *ssoadmin.ListPermissionSetsInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListPermissionSetsOutput, error)
	ListAccountsForProvisionedPermissionSet(context.Context,
		*ssoadmin.ListAccountsForProvisionedPermissionSetInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.ListAccountsForProvisionedPermissionSetOutput, error)
	ListPermissionSetsProvisionedToAccount(context.Context,
		*ssoadmin.ListPermissionSetsProvisionedToAccountInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.ListPermissionSetsProvisionedToAccountOutput, error)
	ProvisionPermissionSet(context.Context, *ssoadmin.ProvisionPermissionSetInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ProvisionPermissionSetOutput, error)
	ListAccountAssignments(context.Context, *ssoadmin.ListAccountAssignmentsInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListAccountAssignmentsOutput, error)
	ListAccountAssignmentsForPrincipal(context.Context,
		*ssoadmin.ListAccountAssignmentsForPrincipalInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error)
	CreateAccountAssignment(context.Context, *ssoadmin.CreateAccountAssignmentInput,
		...func(*ssoadmin.Options)) (*ssoadmin.CreateAccountAssignmentOutput, error)
	DeleteAccountAssignment(context.Context, *ssoadmin.DeleteAccountAssignmentInput,
		...func(*ssoadmin.Options)) (*ssoadmin.DeleteAccountAssignmentOutput, error)
	DescribeAccountAssignmentCreationStatus(context.Context,
		*ssoadmin.DescribeAccountAssignmentCreationStatusInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.DescribeAccountAssignmentCreationStatusOutput, error)
	DescribeAccountAssignmentDeletionStatus(context.Context,
		*ssoadmin.DescribeAccountAssignmentDeletionStatusInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.DescribeAccountAssignmentDeletionStatusOutput, error)
	ListAccountAssignmentCreationStatus(context.Context,
		*ssoadmin.ListAccountAssignmentCreationStatusInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.ListAccountAssignmentCreationStatusOutput, error)
	ListAccountAssignmentDeletionStatus(context.Context,
		*ssoadmin.ListAccountAssignmentDeletionStatusInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.ListAccountAssignmentDeletionStatusOutput, error)
	AttachManagedPolicyToPermissionSet(context.Context,
		*ssoadmin.AttachManagedPolicyToPermissionSetInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.AttachManagedPolicyToPermissionSetOutput, error)
	ListManagedPoliciesInPermissionSet(context.Context,
		*ssoadmin.ListManagedPoliciesInPermissionSetInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.ListManagedPoliciesInPermissionSetOutput, error)
	PutInlinePolicyToPermissionSet(context.Context,
		*ssoadmin.PutInlinePolicyToPermissionSetInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.PutInlinePolicyToPermissionSetOutput, error)
	GetInlinePolicyForPermissionSet(context.Context,
		*ssoadmin.GetInlinePolicyForPermissionSetInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.GetInlinePolicyForPermissionSetOutput, error)
	AttachCustomerManagedPolicyReferenceToPermissionSet(context.Context,
		*ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput,
		...func(*ssoadmin.Options),
	) (*ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetOutput, error)
	ListCustomerManagedPolicyReferencesInPermissionSet(context.Context,
		*ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput,
		...func(*ssoadmin.Options),
	) (*ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetOutput, error)
	PutPermissionsBoundaryToPermissionSet(context.Context,
		*ssoadmin.PutPermissionsBoundaryToPermissionSetInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.PutPermissionsBoundaryToPermissionSetOutput, error)
	GetPermissionsBoundaryForPermissionSet(context.Context,
		*ssoadmin.GetPermissionsBoundaryForPermissionSetInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.GetPermissionsBoundaryForPermissionSetOutput, error)
	ListTagsForResource(context.Context, *ssoadmin.ListTagsForResourceInput,
		...func(*ssoadmin.Options)) (*ssoadmin.ListTagsForResourceOutput, error)
	TagResource(context.Context, *ssoadmin.TagResourceInput,
		...func(*ssoadmin.Options)) (*ssoadmin.TagResourceOutput, error)
}

type organizationsAPI interface {
	ListAccounts(context.Context, *organizations.ListAccountsInput,
		...func(*organizations.Options)) (*organizations.ListAccountsOutput, error)
	DescribeAccount(context.Context, *organizations.DescribeAccountInput,
		...func(*organizations.Options)) (*organizations.DescribeAccountOutput, error)
	DescribeOrganization(context.Context, *organizations.DescribeOrganizationInput,
		...func(*organizations.Options)) (*organizations.DescribeOrganizationOutput, error)
	CreateOrganization(context.Context, *organizations.CreateOrganizationInput,
		...func(*organizations.Options)) (*organizations.CreateOrganizationOutput, error)
	CreateAccount(context.Context, *organizations.CreateAccountInput,
		...func(*organizations.Options)) (*organizations.CreateAccountOutput, error)
	CloseAccount(context.Context, *organizations.CloseAccountInput,
		...func(*organizations.Options)) (*organizations.CloseAccountOutput, error)
	DescribeCreateAccountStatus(context.Context, *organizations.DescribeCreateAccountStatusInput,
		...func(*organizations.Options)) (*organizations.DescribeCreateAccountStatusOutput, error)
}

var (
	_ identityStoreAPI = (*awsidctest.IdentityStore)(nil)
	_ identityStoreAPI = (*identitystore.Client)(nil)
	_ ssoAdminAPI      = (*awsidctest.SSOAdmin)(nil)
	_ ssoAdminAPI      = (*ssoadmin.Client)(nil)
	_ organizationsAPI = (*awsidctest.Organizations)(nil)
	_ organizationsAPI = (*organizations.Client)(nil)

	// The SDK's own paginator interfaces accept the fakes too.
	_ identitystore.ListUsersAPIClient                     = (*awsidctest.IdentityStore)(nil)
	_ identitystore.ListGroupMembershipsAPIClient          = (*awsidctest.IdentityStore)(nil)
	_ ssoadmin.ListAccountAssignmentsAPIClient             = (*awsidctest.SSOAdmin)(nil)
	_ ssoadmin.ListPermissionSetsAPIClient                 = (*awsidctest.SSOAdmin)(nil)
	_ organizations.ListAccountsAPIClient                  = (*awsidctest.Organizations)(nil)
	_ ssoadmin.ListAccountAssignmentsForPrincipalAPIClient = (*awsidctest.SSOAdmin)(nil)
)
