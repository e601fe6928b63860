package awsidctest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
)

// seedLarge builds the reference organisation: 50,000 users, 5,000 groups
// of 100 members (500,000 memberships), 100 accounts, 20 permission sets and
// 20,000 group assignments.
func seedLarge(tb testing.TB) (*awsidctest.Org, []string, []string) {
	tb.Helper()
	o := awsidctest.NewOrg()
	users := make([]string, 50_000)
	for i := range users {
		id, err := o.AddUser(awsidctest.UserSeed{UserName: fmt.Sprintf("user%05d", i)})
		require.NoError(tb, err)
		users[i] = id
	}
	groups := make([]string, 5_000)
	for g := range groups {
		id, err := o.AddGroup(fmt.Sprintf("group%04d", g), "")
		require.NoError(tb, err)
		groups[g] = id
		for m := range 100 {
			_, err := o.AddMember(id, users[(g*100+m*7)%len(users)])
			require.NoError(tb, err)
		}
	}
	accounts := make([]string, 100)
	for a := range accounts {
		accounts[a] = fmt.Sprintf("%012d", 200_000_000_000+a)
		_, err := o.AddAccount(awsidctest.AccountSeed{ID: accounts[a], Name: accounts[a]})
		require.NoError(tb, err)
	}
	sets := make([]string, 20)
	for s := range sets {
		seed := awsidctest.PermissionSetSeed{Name: fmt.Sprintf("set%02d", s)}
		arn, err := o.AddPermissionSet(seed)
		require.NoError(tb, err)
		sets[s] = arn
	}
	for i := range 20_000 {
		err := o.Assign(accounts[(i/50)%100], sets[i/5000], "GROUP", groups[i%len(groups)])
		require.NoError(tb, err)
	}
	return o, users, groups
}

func BenchmarkSeedLarge(b *testing.B) {
	for b.Loop() {
		seedLarge(b)
	}
}

func BenchmarkPagesAtScale(b *testing.B) {
	o, users, groups := seedLarge(b)
	ctx := context.Background()
	sid := str(o.IdentityStoreID())
	b.ResetTimer()
	ids, sso := o.IdentityStore(), o.SSOAdmin()
	for i := 0; b.Loop(); i++ {
		_, err := ids.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{
			IdentityStoreId: sid, GroupId: str(groups[i%len(groups)]),
		})
		require.NoError(b, err)
		_, err = ids.ListGroupMembershipsForMember(ctx,
			&identitystore.ListGroupMembershipsForMemberInput{
				IdentityStoreId: sid, MemberId: member(users[i%len(users)]),
			})
		require.NoError(b, err)
		_, err = sso.ListAccountAssignmentsForPrincipal(ctx,
			&ssoadmin.ListAccountAssignmentsForPrincipalInput{
				InstanceArn:   str(o.InstanceARN()),
				PrincipalType: "USER",
				PrincipalId:   str(users[i%len(users)]),
			})
		require.NoError(b, err)
	}
}
