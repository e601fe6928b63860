package awsidctest

import (
	"fmt"
	"math"

	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// ReferenceShape is the size of an organisation built by SeedReference.
type ReferenceShape struct {
	Users, Groups, Memberships int
	// Accounts are member accounts, besides the management account.
	Accounts, PermissionSets int
	// Pairs are the (account, permission set) pairs the sets are
	// provisioned to; Assignments are spread evenly over them.
	Pairs, Assignments int
}

// ReferenceOrg is the reference organisation of awsidc's performance
// targets: 50,000 users, 5,000 groups, 500,000 memberships, 1,000 accounts,
// 200 permission sets, 10,000 provisioned pairs and 20,000 assignments.
var ReferenceOrg = ReferenceShape{
	Users: 50_000, Groups: 5_000, Memberships: 500_000,
	Accounts: 1_000, PermissionSets: 200, Pairs: 10_000, Assignments: 20_000,
}

// Scale returns r with every count multiplied by f (at least 1 each). The
// permission sets are raised when needed so that each account can hold its
// share of the pairs, and memberships and assignments are capped at what
// the users, groups and pairs can hold.
func (r ReferenceShape) Scale(f float64) ReferenceShape {
	n := func(v int) int { return max(1, int(math.Round(float64(v)*f))) }
	s := ReferenceShape{
		Users: n(r.Users), Groups: n(r.Groups), Memberships: n(r.Memberships),
		Accounts: n(r.Accounts), PermissionSets: n(r.PermissionSets),
		Pairs: n(r.Pairs), Assignments: n(r.Assignments),
	}
	s.PermissionSets = max(s.PermissionSets, ceilDiv(s.Pairs, s.Accounts))
	s.Pairs = min(s.Pairs, s.Accounts*s.PermissionSets)
	s.Memberships = min(s.Memberships, s.Users*s.Groups)
	s.Assignments = max(s.Assignments, s.Pairs)
	return s
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// SeedReference fills an empty o with an organisation of shape r, spread as
// evenly as integer division allows, so that call counts can be computed
// from r alone:
//
//   - membership n (0 ≤ n < Memberships) puts the (n / Groups)-th member in
//     group n mod Groups, so every group has ⌊M/G⌋ or ⌈M/G⌉ members, and
//     the members of one group are consecutive users;
//   - pair n (0 ≤ n < Pairs) provisions set (a + n/Accounts) mod Sets to
//     account a = n mod Accounts, so every account holds ⌊P/A⌋ or ⌈P/A⌉
//     sets and the sets share the pairs evenly when Accounts is a multiple
//     of Sets;
//   - assignment n goes to pair n mod Pairs; the first round of assignments
//     goes to groups, the second to users, and so on alternately.
//
// It holds the store's lock once and skips the per-call checks a front end
// makes, so the reference organisation seeds in seconds. It calls no
// interceptor.
func SeedReference(o *Org, r ReferenceShape) error {
	s := o.s
	s.mu.Lock()
	defer s.mu.Unlock()

	users := make([]string, r.Users)
	for i := range users {
		u, err := s.createUserLocked(idtypes.User{
			UserName:    ptr(fmt.Sprintf("user%06d", i)),
			DisplayName: ptr(fmt.Sprintf("User %d", i)),
			Name:        &idtypes.Name{GivenName: ptr("User"), FamilyName: ptr(fmt.Sprint(i))},
		})
		if err != nil {
			return fmt.Errorf("seed reference: %w", err)
		}
		users[i] = *u.UserId
	}
	groups := make([]string, r.Groups)
	for i := range groups {
		g, err := s.createGroupLocked(idtypes.Group{DisplayName: ptr(fmt.Sprintf("group%05d", i))})
		if err != nil {
			return fmt.Errorf("seed reference: %w", err)
		}
		groups[i] = *g.GroupId
	}
	stride := max(1, r.Users/r.Groups)
	for n := range r.Memberships {
		g, j := n%r.Groups, n/r.Groups
		u := (g*stride + j) % r.Users
		if _, err := s.addMembershipLocked(groups[g], users[u]); err != nil {
			return fmt.Errorf("seed reference: %w", err)
		}
	}

	accounts := make([]string, r.Accounts)
	for i := range accounts {
		a, err := s.addAccountLocked(orgtypes.Account{
			Id:   ptr(fmt.Sprintf("%012d", 200_000_000_000+i)),
			Name: ptr(fmt.Sprintf("account%04d", i)),
		}, orgtypes.AccountJoinedMethodCreated)
		if err != nil {
			return fmt.Errorf("seed reference: %w", err)
		}
		accounts[i] = *a.Id
	}
	sets := make([]string, r.PermissionSets)
	for i := range sets {
		p, err := s.createPermissionSetLocked(fmt.Sprintf("set%04d", i), "", "", "PT8H", nil)
		if err != nil {
			return fmt.Errorf("seed reference: %w", err)
		}
		sets[i] = *p.ps.PermissionSetArn
	}

	type target struct{ account, set string }
	pairs := make([]target, r.Pairs)
	for n := range pairs {
		a := n % r.Accounts
		pairs[n] = target{accounts[a], sets[(a+n/r.Accounts)%r.PermissionSets]}
	}
	for n := range r.Assignments {
		p := pairs[n%len(pairs)]
		typ, ids := principalGroup, groups
		if (n/len(pairs))%2 == 1 {
			typ, ids = principalUser, users
		}
		// Step past a principal the pair already holds, so that every
		// assignment is distinct.
		placed := false
		for k := n; k < n+len(ids) && !placed; k++ {
			a := Assignment{p.account, p.set, typ, ids[k%len(ids)]}
			if _, taken := s.assignments[a]; !taken {
				s.addAssignmentLocked(a)
				placed = true
			}
		}
		if !placed {
			return fmt.Errorf("seed reference: %w", invalid("more assignments than principals"))
		}
	}
	return nil
}
