package review

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Plan names a way of reading an instance's assignments. Every plan reads
// users, groups, the members of each group, accounts and permission sets
// (each described once) the same way; they differ in how they find the
// assignments, and so in how many SSO Admin calls they make. All SSO Admin
// operations share one throttle bucket (20 calls per second), which bounds a
// snapshot of a large organisation.
type Plan string

// Plans.
const (
	// PlanAuto lets Collect choose: PlanPerPermissionSet, switching to
	// PlanPerPrincipal when the provisioned pairs outnumber the users and
	// groups and the policy allows it, and falling back to
	// PlanPerAccount, then PlanCrossProduct, when the calls a plan needs are
	// denied.
	PlanAuto Plan = ""
	// PlanPerPermissionSet lists the accounts each permission set is
	// provisioned to (ListAccountsForProvisionedPermissionSet), then the
	// assignments of each such pair (ListAccountAssignments): about
	// S + P calls for S permission sets and P provisioned pairs.
	PlanPerPermissionSet Plan = "per-permission-set"
	// PlanPerAccount lists the permission sets provisioned to each account
	// (ListPermissionSetsProvisionedToAccount), then the assignments of each
	// pair: about A + P calls for A accounts.
	PlanPerAccount Plan = "per-account"
	// PlanCrossProduct lists the assignments of every account and permission
	// set, provisioned or not: A × S calls. It needs no provisioning read.
	PlanCrossProduct Plan = "cross-product"
	// PlanPerPrincipal lists the assignments of each group and each user
	// (ListAccountAssignmentsForPrincipal): at least G + U calls, whatever
	// the number of pairs. AWS allows it only from the management account,
	// and it cannot see an assignment whose principal no longer exists
	// (see [Snapshot.Anomalies]).
	PlanPerPrincipal Plan = "per-principal"
)

// IAM actions the plans call.
const (
	actListUsers         = "identitystore:ListUsers"
	actListGroups        = "identitystore:ListGroups"
	actListMembers       = "identitystore:ListGroupMemberships"
	actListAccounts      = "organizations:ListAccounts"
	actListSets          = "sso:ListPermissionSets"
	actDescribeSet       = "sso:DescribePermissionSet"
	actAccountsForSet    = "sso:ListAccountsForProvisionedPermissionSet"
	actSetsForAccount    = "sso:ListPermissionSetsProvisionedToAccount"
	actAssignments       = "sso:ListAccountAssignments"
	actAssignmentsFor    = "sso:ListAccountAssignmentsForPrincipal"
	ssoPage, orgPage     = 100, 20
	identityStorePage    = 100
	defaultLatency       = 250 * time.Millisecond
	defaultSSOAdminRate  = 20
	defaultIdentityRate  = 20
	defaultListAccounts  = 8
	defaultOrganizations = 20
)

// Needs returns the IAM actions plan p calls to find assignments, beyond
// the reads every plan makes.
func (p Plan) Needs() []string {
	switch p {
	case PlanPerPermissionSet:
		return []string{actAccountsForSet, actAssignments}
	case PlanPerAccount:
		return []string{actListAccounts, actSetsForAccount, actAssignments}
	case PlanCrossProduct:
		return []string{actListAccounts, actAssignments}
	case PlanPerPrincipal:
		return []string{actListUsers, actListGroups, actAssignmentsFor}
	}
	return nil
}

// Shape is the size of an instance, which is what a plan's cost depends on.
// Counts not yet known may be estimates; the cost of a plan is computed as if
// each parent (group, permission set, account, pair, principal) held an even
// share of its children.
type Shape struct {
	Users, Groups int
	// Memberships is the total number of memberships over all groups.
	Memberships int
	// Accounts is the number of accounts the organisation lists, the
	// management account included.
	Accounts int
	// PermissionSets is the number of permission sets of the instance.
	PermissionSets int
	// Pairs is the number of (account, permission set) pairs the sets are
	// provisioned to.
	Pairs int
	// Assignments is the number of assignments, of which GroupAssignments
	// have a group as principal; a negative GroupAssignments means half.
	Assignments, GroupAssignments int
}

// Estimate is the number of calls a plan makes for a [Shape], per IAM
// action. It is exact when every parent holds an even share; otherwise the
// per-principal plan may take more pages than estimated, since a user's
// listing also carries the assignments of all the user's groups.
type Estimate struct {
	Plan  Plan
	Calls map[string]int
}

// Total returns the number of calls of every action together.
func (e Estimate) Total() int {
	n := 0
	for _, c := range e.Calls {
		n += c
	}
	return n
}

// SSOAdmin returns the number of SSO Admin calls, which share one throttle
// bucket and so bound a large snapshot.
func (e Estimate) SSOAdmin() int {
	n := 0
	for a, c := range e.Calls {
		if strings.HasPrefix(a, "sso:") {
			n += c
		}
	}
	return n
}

// Bound returns the least time the calls can take when each AWS throttle
// bucket is kept full at the rates given by rate (calls per second of an
// action's bucket; nil means AWS's documented quotas), buckets running in
// parallel: the largest, over buckets, of calls / rate.
func (e Estimate) Bound(rate func(action string) float64) time.Duration {
	if rate == nil {
		rate = DefaultRate
	}
	perBucket := map[string]float64{}
	for a, c := range e.Calls {
		if r := rate(a); r > 0 {
			perBucket[bucket(a)] += float64(c) / r
		}
	}
	var longest float64
	for _, s := range perBucket {
		longest = max(longest, s)
	}
	return time.Duration(longest * float64(time.Second))
}

// DefaultRate returns AWS's documented throttle limit, in calls per second,
// of the bucket action draws from: 20 for all of SSO Admin together, 20 for
// each Identity Store operation, 8 for Organizations' ListAccounts.
func DefaultRate(action string) float64 {
	switch {
	case strings.HasPrefix(action, "sso:"):
		return defaultSSOAdminRate
	case strings.HasPrefix(action, "identitystore:"):
		return defaultIdentityRate
	case action == actListAccounts:
		return defaultListAccounts
	case strings.HasPrefix(action, "organizations:"):
		return defaultOrganizations
	}
	return 0
}

// bucket names the AWS throttle bucket of action: SSO Admin shares one,
// every other operation has its own.
func bucket(action string) string {
	if strings.HasPrefix(action, "sso:") {
		return "sso"
	}
	return action
}

// pages returns the calls a listing of n items takes: at least one.
func pages(n, size int) int { return max(1, (n+size-1)/size) }

// spread returns the calls that listing n children of k parents takes, one
// listing per parent, when each parent holds an even share.
func spread(n, k, size int) int {
	if k <= 0 {
		return 0
	}
	q, r := n/k, n%k
	return r*pages(q+1, size) + (k-r)*pages(q, size)
}

// EstimateCalls returns the calls plan p makes to read an instance of shape
// sh (permission-set policies aside). PlanAuto is estimated as what Collect
// does when every action is allowed: the per-permission-set plan, or its
// first phase then the per-principal plan when that is cheaper.
func EstimateCalls(p Plan, sh Shape) Estimate {
	auto := p == PlanAuto
	if auto {
		p = choosePlan(sh, nil)
	}
	c := map[string]int{
		actListUsers:    pages(sh.Users, identityStorePage),
		actListGroups:   pages(sh.Groups, identityStorePage),
		actListMembers:  spread(sh.Memberships, sh.Groups, identityStorePage),
		actListAccounts: pages(sh.Accounts, orgPage),
		actListSets:     pages(sh.PermissionSets, ssoPage),
		actDescribeSet:  sh.PermissionSets,
	}
	switch p {
	case PlanPerPermissionSet:
		c[actAccountsForSet] = spread(sh.Pairs, sh.PermissionSets, ssoPage)
		c[actAssignments] = spread(sh.Assignments, sh.Pairs, ssoPage)
	case PlanPerAccount:
		c[actSetsForAccount] = spread(sh.Pairs, sh.Accounts, ssoPage)
		c[actAssignments] = spread(sh.Assignments, sh.Pairs, ssoPage)
	case PlanCrossProduct:
		c[actAssignments] = spread(sh.Assignments, sh.Pairs, ssoPage) +
			sh.Accounts*sh.PermissionSets - sh.Pairs
	case PlanPerPrincipal:
		groupRows := sh.GroupAssignments
		if groupRows < 0 {
			groupRows = sh.Assignments / 2
		}
		// A user's listing holds its own assignments and its groups'.
		userRows := sh.Assignments - groupRows
		if sh.Groups > 0 {
			userRows += int(int64(groupRows) * int64(sh.Memberships) / int64(sh.Groups))
		}
		c[actAssignmentsFor] = spread(groupRows, sh.Groups, ssoPage) +
			spread(userRows, sh.Users, ssoPage)
		if auto {
			// Collect learns the pairs before it switches.
			c[actAccountsForSet] = spread(sh.Pairs, sh.PermissionSets, ssoPage)
		}
	}
	for a, n := range c {
		if n == 0 {
			delete(c, a)
		}
	}
	return Estimate{Plan: p, Calls: c}
}

// Estimates returns the estimate of every plan for sh, cheapest first by
// SSO Admin calls (the bucket that bounds a snapshot).
func Estimates(sh Shape) []Estimate {
	var out []Estimate
	for _, p := range []Plan{PlanPerPermissionSet, PlanPerAccount, PlanPerPrincipal,
		PlanCrossProduct} {
		out = append(out, EstimateCalls(p, sh))
	}
	slices.SortStableFunc(out, func(a, b Estimate) int {
		return cmp.Or(cmp.Compare(a.SSOAdmin(), b.SSOAdmin()), cmp.Compare(a.Total(), b.Total()))
	})
	return out
}

// Cheapest returns the estimate of the cheapest plan for sh among those
// whose actions allowed permits (nil allows all). ok is false when none is
// allowed.
func Cheapest(sh Shape, allowed func(action string) bool) (e Estimate, ok bool) {
	for _, e := range Estimates(sh) {
		if permits(allowed, e.Plan.Needs()...) {
			return e, true
		}
	}
	return Estimate{}, false
}

func permits(allowed func(string) bool, actions ...string) bool {
	if allowed == nil {
		return true
	}
	for _, a := range actions {
		if !allowed(a) {
			return false
		}
	}
	return true
}

// choosePlan is the choice Collect makes once the pairs are known: the
// per-permission-set plan unless listing per principal is cheaper and
// allowed.
func choosePlan(sh Shape, allowed func(string) bool) Plan {
	if perPrincipalCheaper(sh.Pairs, sh.Users, sh.Groups) &&
		permits(allowed, PlanPerPrincipal.Needs()...) {
		return PlanPerPrincipal
	}
	return PlanPerPermissionSet
}

// perPrincipalCheaper reports whether listing the assignments of each user
// and group takes fewer calls than listing those of each of pairs pairs,
// counting one call per listing for both (the least either can take).
func perPrincipalCheaper(pairs, users, groups int) bool {
	return users+groups < pairs
}
