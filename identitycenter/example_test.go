package identitycenter_test

import (
	"context"
	"fmt"
	"log"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
)

// exampleOrg returns a small fake organisation: three users, one of them
// disabled and one made without names or email, and a group of two.
func exampleOrg() (org *awsidctest.Org, groupID string) {
	org = awsidctest.NewOrg()
	seeds := []awsidctest.UserSeed{
		{UserName: "alice", DisplayName: "Alice Martin", GivenName: "Alice",
			FamilyName: "Martin", Email: "alice@example.com"},
		{UserName: "bob", DisplayName: "Bob Nguyen", GivenName: "Bob",
			FamilyName: "Nguyen", Email: "bob@example.com", Status: "DISABLED"},
		{UserName: "console-admin"},
	}
	groupID, err := org.AddGroup("Developers", "Application developers")
	if err != nil {
		log.Fatal(err)
	}
	for i, s := range seeds {
		id, err := org.AddUser(s)
		if err != nil {
			log.Fatal(err)
		}
		if i < 2 {
			if _, err := org.AddMember(groupID, id); err != nil {
				log.Fatal(err)
			}
		}
	}
	return org, groupID
}

func ExampleClient_Users() {
	org, _ := exampleOrg()
	c := identitycenter.New(org.IdentityStore(), org.IdentityStoreID())

	for u, err := range c.Users(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-13s %-8s %q <%s>\n", u.UserName, u.Status, u.DisplayName, u.PrimaryEmail)
	}
	// Output:
	// alice         ENABLED  "Alice Martin" <alice@example.com>
	// bob           DISABLED "Bob Nguyen" <bob@example.com>
	// console-admin ENABLED  "" <>
}

func ExampleClient_Members() {
	org, groupID := exampleOrg()
	c := identitycenter.New(org.IdentityStore(), org.IdentityStoreID())
	ctx := context.Background()

	g, err := c.Group(ctx, groupID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.DisplayName + ":")
	for m, err := range c.Members(ctx, groupID) {
		if err != nil {
			log.Fatal(err)
		}
		u, err := c.User(ctx, m.UserID)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(" ", u.UserName)
	}
	// Output:
	// Developers:
	//   alice
	//   bob
}

func ExampleClient_UserByName() {
	org, _ := exampleOrg()
	c := identitycenter.New(org.IdentityStore(), org.IdentityStoreID())
	ctx := context.Background()

	u, err := c.UserByName(ctx, "bob")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.GivenName, u.FamilyName, u.Status)

	for m, err := range c.MembershipsOf(ctx, u.ID) {
		if err != nil {
			log.Fatal(err)
		}
		g, err := c.Group(ctx, m.GroupID)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("member of", g.DisplayName)
	}
	// Output:
	// Bob Nguyen DISABLED
	// member of Developers
}

func ExampleInstances() {
	org := awsidctest.NewOrg()

	for in, err := range identitycenter.Instances(context.Background(), org.SSOAdmin()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(in.IdentityStoreID == org.IdentityStoreID(), in.OwnerAccountID, in.Status)
	}
	// Output:
	// true 111111111111 ACTIVE
}
