package awsidctest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/awsidc/awsidc/awsidctest"
)

// The code under test declares the SDK methods it needs; the fake and the
// real client both satisfy the interface.
type assignmentLister interface {
	ListAccountAssignmentsForPrincipal(context.Context,
		*ssoadmin.ListAccountAssignmentsForPrincipalInput, ...func(*ssoadmin.Options),
	) (*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error)
}

func Example() {
	org := awsidctest.NewOrg()
	alice, _ := org.AddUser(awsidctest.UserSeed{UserName: "alice", DisplayName: "Alice Martin"})
	admins, _ := org.AddGroup("Admins", "")
	_, _ = org.AddMember(admins, alice)
	prod, _ := org.AddAccount(awsidctest.AccountSeed{ID: "222222222222", Name: "production"})
	admin, _ := org.AddPermissionSet(awsidctest.PermissionSetSeed{
		Name:            "AdministratorAccess",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
	})
	_ = org.Assign(prod, admin, "USER", alice)
	_ = org.Assign(prod, admin, "GROUP", admins)

	var client assignmentLister = org.SSOAdmin()
	out, err := client.ListAccountAssignmentsForPrincipal(context.Background(),
		&ssoadmin.ListAccountAssignmentsForPrincipalInput{
			InstanceArn:   aws.String(org.InstanceARN()),
			PrincipalType: ssotypes.PrincipalTypeUser,
			PrincipalId:   aws.String(alice),
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range out.AccountAssignments {
		fmt.Println(*a.AccountId, a.PrincipalType)
	}
	fmt.Println(org.Calls())
	// Output:
	// 222222222222 USER
	// 222222222222 GROUP
	// map[sso:ListAccountAssignmentsForPrincipal:1]
}

func ExampleAllowOnly() {
	org := awsidctest.NewOrg(awsidctest.WithInterceptor(
		awsidctest.AllowOnly("sso:List*", "identitystore:List*")))

	_, err := org.Organizations().ListAccounts(context.Background(),
		&organizations.ListAccountsInput{})
	var denied interface{ ErrorCode() string }
	if errors.As(err, &denied) {
		fmt.Println(denied.ErrorCode())
	}
	// Output:
	// AccessDeniedException
}

func ExampleDemo() {
	org := awsidctest.Demo()
	out, err := org.Organizations().ListAccounts(context.Background(),
		&organizations.ListAccountsInput{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range out.Accounts {
		fmt.Println(*a.Id, *a.Name, a.State)
	}
	// Output:
	// 111111111111 management ACTIVE
	// 222222222222 production ACTIVE
	// 333333333333 staging ACTIVE
	// 444444444444 development ACTIVE
	// 555555555555 security ACTIVE
	// 666666666666 logging ACTIVE
	// 777777777777 sandbox ACTIVE
	// 888888888888 legacy SUSPENDED
}
