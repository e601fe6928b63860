package mototest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/require"
)

// Seed turns the account of cfg into an organisation's management account
// and returns its Identity Center instance: the instance ARN and the id of
// its identity store. moto creates one instance per account, so Seed only
// has to find it. Seed fails the test on any error.
func Seed(t testing.TB, cfg aws.Config) (instanceARN, identityStoreID string) {
	t.Helper()
	c := NewClients(cfg)

	in := &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll}
	_, err := c.Organizations.CreateOrganization(t.Context(), in)
	require.NoError(t, err, "create organization")

	out, err := c.SSOAdmin.ListInstances(t.Context(), &ssoadmin.ListInstancesInput{})
	require.NoError(t, err, "list instances")
	require.Len(t, out.Instances, 1, "instances in a fresh moto account")

	instance := out.Instances[0]
	return aws.ToString(instance.InstanceArn), aws.ToString(instance.IdentityStoreId)
}

// Fixture is one isolated moto account seeded by [Seed]: the management
// account of an organisation with its Identity Center instance. Its methods
// add users, groups, memberships, accounts, permission sets and assignments
// through the SDK clients and fail the test on any error.
//
// Each method takes the calling test, so a Fixture made by a parent test
// may be used by its subtests.
type Fixture struct {
	Clients

	// Config is the aws.Config for the fixture's account, to hand to the
	// code under test.
	Config aws.Config

	// AccountID is the organisation's management account.
	AccountID string

	// InstanceARN and IdentityStoreID name the Identity Center instance.
	InstanceARN     string
	IdentityStoreID string
}

// NewFixture seeds a fresh account (see [Config] and [Seed]). It skips the
// test when moto is not configured.
func NewFixture(t testing.TB) *Fixture {
	t.Helper()

	cfg := Config(t)
	instanceARN, storeID := Seed(t, cfg)
	return &Fixture{
		Clients:         NewClients(cfg),
		Config:          cfg,
		AccountID:       AccountID(t, cfg),
		InstanceARN:     instanceARN,
		IdentityStoreID: storeID,
	}
}

// CreateUser creates a user with the given user name (display name and
// given/family names derived from it, as moto requires them) and returns
// its id.
func (f *Fixture) CreateUser(t testing.TB, userName string) string {
	t.Helper()

	out, err := f.IdentityStore.CreateUser(t.Context(), &identitystore.CreateUserInput{
		IdentityStoreId: aws.String(f.IdentityStoreID),
		UserName:        aws.String(userName),
		DisplayName:     aws.String(userName + " display"),
		Name: &idtypes.Name{
			GivenName:  aws.String(userName + " given"),
			FamilyName: aws.String(userName + " family"),
		},
		Emails: []idtypes.Email{{Value: aws.String(userName + "@example.com"), Primary: true}},
	})
	require.NoError(t, err, "create user %q", userName)
	return aws.ToString(out.UserId)
}

// CreateGroup creates a group with the given display name and returns its id.
func (f *Fixture) CreateGroup(t testing.TB, displayName string) string {
	t.Helper()

	out, err := f.IdentityStore.CreateGroup(t.Context(), &identitystore.CreateGroupInput{
		IdentityStoreId: aws.String(f.IdentityStoreID),
		DisplayName:     aws.String(displayName),
	})
	require.NoError(t, err, "create group %q", displayName)
	return aws.ToString(out.GroupId)
}

// AddMember makes the user a member of the group and returns the
// membership id.
func (f *Fixture) AddMember(t testing.TB, groupID, userID string) string {
	t.Helper()

	out, err := f.IdentityStore.CreateGroupMembership(t.Context(),
		&identitystore.CreateGroupMembershipInput{
			IdentityStoreId: aws.String(f.IdentityStoreID),
			GroupId:         aws.String(groupID),
			MemberId:        &idtypes.MemberIdMemberUserId{Value: userID},
		})
	require.NoError(t, err, "add user %s to group %s", userID, groupID)
	return aws.ToString(out.MembershipId)
}

// CreateAccount creates a member account in the organisation and returns
// its id. It waits for the creation to succeed (at once in moto).
func (f *Fixture) CreateAccount(t testing.TB, name string) string {
	t.Helper()

	out, err := f.Organizations.CreateAccount(t.Context(), &organizations.CreateAccountInput{
		AccountName: aws.String(name),
		Email:       aws.String(name + "@example.com"),
	})
	require.NoError(t, err, "create account %q", name)

	status := out.CreateAccountStatus
	for status.State == orgtypes.CreateAccountStateInProgress {
		desc, err := f.Organizations.DescribeCreateAccountStatus(t.Context(),
			&organizations.DescribeCreateAccountStatusInput{
				CreateAccountRequestId: status.Id,
			})
		require.NoError(t, err, "describe account creation %q", name)
		status = desc.CreateAccountStatus
	}
	require.Equal(t, orgtypes.CreateAccountStateSucceeded, status.State,
		"account %q creation: %s", name, status.FailureReason)
	return aws.ToString(status.AccountId)
}

// CreatePermissionSet creates a permission set with a one-hour session and
// returns its ARN. The session duration is always sent: moto's own default
// would be an integer the Go SDK cannot decode.
func (f *Fixture) CreatePermissionSet(t testing.TB, name string) string {
	t.Helper()

	out, err := f.SSOAdmin.CreatePermissionSet(t.Context(), &ssoadmin.CreatePermissionSetInput{
		InstanceArn:     aws.String(f.InstanceARN),
		Name:            aws.String(name),
		Description:     aws.String(name + " description"),
		SessionDuration: aws.String("PT1H"),
	})
	require.NoError(t, err, "create permission set %q", name)
	return aws.ToString(out.PermissionSet.PermissionSetArn)
}

// Assign assigns the permission set to the principal on the account and
// checks that the request succeeded.
func (f *Fixture) Assign(t testing.TB, accountID, permissionSetARN string,
	principalType ssotypes.PrincipalType, principalID string) {
	t.Helper()

	out, err := f.SSOAdmin.CreateAccountAssignment(t.Context(),
		&ssoadmin.CreateAccountAssignmentInput{
			InstanceArn:      aws.String(f.InstanceARN),
			PermissionSetArn: aws.String(permissionSetARN),
			PrincipalType:    principalType,
			PrincipalId:      aws.String(principalID),
			TargetType:       ssotypes.TargetTypeAwsAccount,
			TargetId:         aws.String(accountID),
		})
	require.NoError(t, err, "assign %s to %s %s on %s",
		permissionSetARN, principalType, principalID, accountID)
	require.Equal(t, ssotypes.StatusValuesSucceeded, out.AccountAssignmentCreationStatus.Status,
		"assignment status")
}

// Provision provisions the permission set to the account without assigning
// it to anyone.
func (f *Fixture) Provision(t testing.TB, accountID, permissionSetARN string) {
	t.Helper()

	_, err := f.SSOAdmin.ProvisionPermissionSet(t.Context(), &ssoadmin.ProvisionPermissionSetInput{
		InstanceArn:      aws.String(f.InstanceARN),
		PermissionSetArn: aws.String(permissionSetARN),
		TargetType:       ssotypes.ProvisionTargetTypeAwsAccount,
		TargetId:         aws.String(accountID),
	})
	require.NoError(t, err, "provision %s to %s", permissionSetARN, accountID)
}

// AttachManagedPolicy attaches an AWS managed policy, such as
// "arn:aws:iam::aws:policy/ReadOnlyAccess", to the permission set. moto
// knows the AWS managed policies by name and rejects unknown ones.
func (f *Fixture) AttachManagedPolicy(t testing.TB, permissionSetARN, policyARN string) {
	t.Helper()

	_, err := f.SSOAdmin.AttachManagedPolicyToPermissionSet(t.Context(),
		&ssoadmin.AttachManagedPolicyToPermissionSetInput{
			InstanceArn:      aws.String(f.InstanceARN),
			PermissionSetArn: aws.String(permissionSetARN),
			ManagedPolicyArn: aws.String(policyARN),
		})
	require.NoError(t, err, "attach %s to %s", policyARN, permissionSetARN)
}

// AttachCustomerManagedPolicy attaches a reference to a customer managed
// policy (by name and path, "/" when empty) to the permission set.
func (f *Fixture) AttachCustomerManagedPolicy(t testing.TB, permissionSetARN, name, path string) {
	t.Helper()

	if path == "" {
		path = "/"
	}
	_, err := f.SSOAdmin.AttachCustomerManagedPolicyReferenceToPermissionSet(t.Context(),
		&ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{
			InstanceArn:      aws.String(f.InstanceARN),
			PermissionSetArn: aws.String(permissionSetARN),
			CustomerManagedPolicyReference: &ssotypes.CustomerManagedPolicyReference{
				Name: aws.String(name),
				Path: aws.String(path),
			},
		})
	require.NoError(t, err, "attach customer managed policy %s%s to %s", path, name,
		permissionSetARN)
}

// PutInlinePolicy sets the permission set's inline policy document.
func (f *Fixture) PutInlinePolicy(t testing.TB, permissionSetARN, document string) {
	t.Helper()

	_, err := f.SSOAdmin.PutInlinePolicyToPermissionSet(t.Context(),
		&ssoadmin.PutInlinePolicyToPermissionSetInput{
			InstanceArn:      aws.String(f.InstanceARN),
			PermissionSetArn: aws.String(permissionSetARN),
			InlinePolicy:     aws.String(document),
		})
	require.NoError(t, err, "put inline policy on %s", permissionSetARN)
}

// PutPermissionsBoundary sets the permission set's permissions boundary.
func (f *Fixture) PutPermissionsBoundary(t testing.TB, permissionSetARN string,
	boundary ssotypes.PermissionsBoundary) {
	t.Helper()

	_, err := f.SSOAdmin.PutPermissionsBoundaryToPermissionSet(t.Context(),
		&ssoadmin.PutPermissionsBoundaryToPermissionSetInput{
			InstanceArn:         aws.String(f.InstanceARN),
			PermissionSetArn:    aws.String(permissionSetARN),
			PermissionsBoundary: &boundary,
		})
	require.NoError(t, err, "put permissions boundary on %s", permissionSetARN)
}
