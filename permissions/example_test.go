package permissions_test

import (
	"context"
	"fmt"
	"log"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/permissions"
)

// exampleOrg returns a small fake organisation: two member accounts, two
// permission sets, a group with its assignments and one direct assignment.
func exampleOrg() (org *awsidctest.Org, names map[string]string) {
	org = awsidctest.NewOrg()
	names = map[string]string{awsidctest.ManagementAccountID: "management"}
	must := func(id string, err error) string {
		if err != nil {
			log.Fatal(err)
		}
		return id
	}

	prod := must(org.AddAccount(awsidctest.AccountSeed{ID: "222222222222", Name: "production"}))
	dev := must(org.AddAccount(awsidctest.AccountSeed{ID: "333333333333", Name: "development"}))
	admin := must(org.AddPermissionSet(awsidctest.PermissionSetSeed{
		Name: "AdministratorAccess", SessionDuration: "PT4H",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
	}))
	readOnly := must(org.AddPermissionSet(awsidctest.PermissionSetSeed{
		Name: "ReadOnlyAccess", SessionDuration: "PT8H",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
	}))
	admins := must(org.AddGroup("Admins", ""))
	alice := must(org.AddUser(awsidctest.UserSeed{UserName: "alice"}))
	must(org.AddMember(admins, alice))
	names[prod], names[dev], names[admin], names[readOnly] =
		"production", "development", "AdministratorAccess", "ReadOnlyAccess"
	names[admins], names[alice] = "Admins", "alice"

	for _, a := range []permissions.Assignment{
		{AccountID: prod, PermissionSetARN: admin, PrincipalType: "GROUP", PrincipalID: admins},
		{AccountID: dev, PermissionSetARN: admin, PrincipalType: "GROUP", PrincipalID: admins},
		{AccountID: prod, PermissionSetARN: readOnly, PrincipalType: "USER", PrincipalID: alice},
	} {
		err := org.Assign(a.AccountID, a.PermissionSetARN, string(a.PrincipalType), a.PrincipalID)
		if err != nil {
			log.Fatal(err)
		}
	}
	return org, names
}

func ExampleClient_Accounts() {
	org, _ := exampleOrg()
	c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())

	for a, err := range c.Accounts(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(a.ID, a.Name, a.State)
	}
	// Output:
	// 111111111111 management ACTIVE
	// 222222222222 production ACTIVE
	// 333333333333 development ACTIVE
}

func ExampleClient_PermissionSets() {
	org, _ := exampleOrg()
	c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())
	ctx := context.Background()

	for ps, err := range c.PermissionSets(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		p, err := c.Policies(ctx, ps.ARN)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ps.Name, ps.SessionDuration, p.ManagedPolicyARNs)
	}
	// Output:
	// AdministratorAccess 4h0m0s [arn:aws:iam::aws:policy/AdministratorAccess]
	// ReadOnlyAccess 8h0m0s [arn:aws:iam::aws:policy/ReadOnlyAccess]
}

// List every assignment of the instance: for each account, the permission
// sets provisioned to it, then who holds each.
func ExampleClient_Assignments() {
	org, names := exampleOrg()
	c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())
	ctx := context.Background()

	for acct, err := range c.Accounts(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		for arn, err := range c.PermissionSetsForAccount(ctx, acct.ID) {
			if err != nil {
				log.Fatal(err)
			}
			for a, err := range c.Assignments(ctx, acct.ID, arn) {
				if err != nil {
					log.Fatal(err)
				}
				fmt.Printf("%-11s %-19s %-5s %s\n", names[a.AccountID],
					names[a.PermissionSetARN], a.PrincipalType, names[a.PrincipalID])
			}
		}
	}
	// Output:
	// production  AdministratorAccess GROUP Admins
	// production  ReadOnlyAccess      USER  alice
	// development AdministratorAccess GROUP Admins
}

// A user's assignments include those of the user's groups, with the group
// as principal.
func ExampleClient_AssignmentsForPrincipal() {
	org, names := exampleOrg()
	c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())
	var alice string
	for id, name := range names {
		if name == "alice" {
			alice = id
		}
	}

	ctx := context.Background()
	for a, err := range c.AssignmentsForPrincipal(ctx, permissions.PrincipalUser, alice) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(names[a.AccountID], names[a.PermissionSetARN], "via", names[a.PrincipalID])
	}
	// Unordered output:
	// production ReadOnlyAccess via alice
	// production AdministratorAccess via Admins
	// development AdministratorAccess via Admins
}

// Grant an assignment and follow the asynchronous request until it ends.
func ExampleClient_Grant() {
	org, names := exampleOrg()
	c := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())
	ctx := context.Background()
	var alice, dev, readOnly string
	for id, name := range names {
		switch name {
		case "alice":
			alice = id
		case "development":
			dev = id
		case "ReadOnlyAccess":
			readOnly = id
		}
	}

	op, err := c.Grant(ctx, permissions.Assignment{AccountID: dev, PermissionSetARN: readOnly,
		PrincipalType: permissions.PrincipalUser, PrincipalID: alice})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(op.Kind, op.Status)
	for op.Status == permissions.OperationInProgress {
		// Against AWS, wait a second or so between reads.
		if op, err = c.OperationStatus(ctx, op); err != nil {
			log.Fatal(err)
		}
		fmt.Println(op.Kind, op.Status)
	}
	// Output:
	// create IN_PROGRESS
	// create IN_PROGRESS
	// create SUCCEEDED
}
