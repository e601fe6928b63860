package review

import (
	"context"
	"slices"

	"github.com/awsidc/awsidc/permissions"
)

// pair is a provisioned (account, permission set) pair.
type pair struct{ account, arn string }

// principal is a user or a group whose assignments are listed.
type principal struct {
	typ permissions.PrincipalType
	id  string
}

// readAssignments reads every assignment with the plan of the options,
// falling back from a plan whose calls are denied to the next that works.
// Only when none works are the assignments recorded as unread.
func (c *collector) readAssignments(ctx context.Context, perms Permissions, snap *Snapshot,
	arns []string, setsOK bool) ([]permissions.Assignment, error) {
	triedPrincipals := false
	perPrincipal := func() ([]permissions.Assignment, bool, error) {
		if triedPrincipals {
			return nil, false, nil
		}
		triedPrincipals = true
		return c.readPerPrincipal(ctx, perms, snap)
	}

	if c.opts.Plan == PlanPerPrincipal {
		if as, ok, err := perPrincipal(); ok || err != nil {
			return as, err
		}
	}
	pairs, ok, err := c.discover(ctx, perms, arns, setsOK)
	if err != nil {
		return nil, err
	}
	if ok {
		if c.opts.Plan == PlanAuto && !triedPrincipals && c.mayUse(PlanPerPrincipal.Needs()...) {
			cheaper, err := c.principalsCheaper(ctx, len(pairs))
			if err != nil {
				return nil, err
			}
			if cheaper {
				if as, ok, err := perPrincipal(); ok || err != nil {
					return as, err
				}
			}
		}
		if as, ok, err := c.readPairs(ctx, perms, pairs); ok || err != nil {
			return as, err
		}
	}
	if as, ok, err := perPrincipal(); ok || err != nil {
		return as, err
	}

	// No plan could read the assignments: say which actions stood in the way.
	blocked := false
	for _, a := range []string{actAccountsForSet, actSetsForAccount, actAssignments,
		actAssignmentsFor} {
		if c.isDenied(a) {
			c.unreadAdd(Unread{Action: a, Scope: "assignments"})
			blocked = true
		}
	}
	if !blocked {
		c.unreadAdd(Unread{Action: actAssignments, Scope: "assignments"})
	}
	return nil, nil
}

// discover finds the provisioned pairs: per permission set, else per
// account, else every account with every permission set. The forced plan,
// if any, is tried first. ok is false when no plan's calls are allowed.
func (c *collector) discover(ctx context.Context, perms Permissions, arns []string,
	setsOK bool) (pairs []pair, ok bool, err error) {
	order := []Plan{PlanPerPermissionSet, PlanPerAccount, PlanCrossProduct}
	if i := slices.Index(order, c.opts.Plan); i > 0 {
		first := order[i]
		order = append([]Plan{first}, slices.Delete(order, i, i+1)...)
	}
	for _, p := range order {
		switch {
		case p == PlanPerPermissionSet && setsOK:
			pairs, ok, err = c.pairsPerSet(ctx, perms, arns)
		case p == PlanPerAccount:
			pairs, ok, err = c.pairsPerAccount(ctx, perms)
		case p == PlanCrossProduct && setsOK:
			pairs, ok, err = c.crossProduct(ctx, arns)
		}
		if err != nil {
			return nil, false, err
		}
		if ok {
			c.advance(func(pr *Progress) {
				pr.Plan = p
				pr.Pairs = len(pairs)
			})
			return pairs, true, nil
		}
	}
	return nil, false, nil
}

// withSSO runs f holding one of the SSO Admin bucket's workers.
func (c *collector) withSSO(ctx context.Context, f func() error) error {
	select {
	case c.sso <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-c.sso }()
	return f()
}

// probeThenFanOut runs task(0) alone, then every other task concurrently.
// When the first is denied, nothing more is called and ok is false, so that
// a denied plan costs one call. A later denial (a policy scoped to some
// resources) is recorded as unread under scope(i) and the rest goes on.
func (c *collector) probeThenFanOut(ctx context.Context, n int,
	task func(ctx context.Context, i int) error, scope func(i int) string) (ok bool, err error) {
	if n == 0 {
		return true, nil
	}
	if err := c.withSSO(ctx, func() error { return task(ctx, 0) }); err != nil {
		if c.refused(err) {
			return false, nil
		}
		return false, err
	}
	err = c.fanOut(ctx, 1, n, func(ctx context.Context, i int) error {
		err := task(ctx, i)
		if err != nil && c.denied(err, scope(i)) {
			return nil
		}
		return err
	})
	return err == nil, err
}

// pairsPerSet lists the accounts each permission set is provisioned to.
func (c *collector) pairsPerSet(ctx context.Context, perms Permissions, arns []string) (
	[]pair, bool, error) {
	if !c.mayUse(actAccountsForSet) {
		return nil, false, nil
	}
	accounts := make([][]string, len(arns))
	ok, err := c.probeThenFanOut(ctx, len(arns), func(ctx context.Context, i int) error {
		for id, err := range perms.AccountsForPermissionSet(ctx, arns[i]) {
			if err != nil {
				return err
			}
			accounts[i] = append(accounts[i], id)
		}
		return nil
	}, func(i int) string { return "accounts provisioned with " + arns[i] })
	if !ok {
		return nil, false, err
	}
	var pairs []pair
	for i, arn := range arns {
		for _, acc := range accounts[i] {
			pairs = append(pairs, pair{acc, arn})
		}
	}
	return pairs, true, nil
}

// pairsPerAccount lists the permission sets provisioned to each account.
func (c *collector) pairsPerAccount(ctx context.Context, perms Permissions) ([]pair, bool, error) {
	if !c.mayUse(actSetsForAccount) {
		return nil, false, nil
	}
	if err := await(ctx, c.accountsDone); err != nil {
		return nil, false, err
	}
	if !c.accountsOK {
		return nil, false, nil
	}
	ids := c.accountIDs
	sets := make([][]string, len(ids))
	ok, err := c.probeThenFanOut(ctx, len(ids), func(ctx context.Context, i int) error {
		for arn, err := range perms.PermissionSetsForAccount(ctx, ids[i]) {
			if err != nil {
				return err
			}
			sets[i] = append(sets[i], arn)
		}
		return nil
	}, func(i int) string { return "permission sets provisioned to " + ids[i] })
	if !ok {
		return nil, false, err
	}
	var pairs []pair
	for i, id := range ids {
		for _, arn := range sets[i] {
			pairs = append(pairs, pair{id, arn})
		}
	}
	return pairs, true, nil
}

// crossProduct pairs every account with every permission set, provisioned
// or not: it needs no provisioning read, but the most assignment reads.
func (c *collector) crossProduct(ctx context.Context, arns []string) ([]pair, bool, error) {
	if !c.mayUse(actAssignments) {
		return nil, false, nil
	}
	if err := await(ctx, c.accountsDone); err != nil {
		return nil, false, err
	}
	if !c.accountsOK {
		return nil, false, nil
	}
	pairs := make([]pair, 0, len(c.accountIDs)*len(arns))
	for _, id := range c.accountIDs {
		for _, arn := range arns {
			pairs = append(pairs, pair{id, arn})
		}
	}
	return pairs, true, nil
}

// principalsCheaper reports whether listing assignments per user and group
// takes fewer calls than per pair. It decides without waiting while the
// users and groups listed so far already outnumber the pairs.
func (c *collector) principalsCheaper(ctx context.Context, pairs int) (bool, error) {
	if int(c.usersSeen.Load()+c.groupsSeen.Load()) >= pairs {
		return false, nil
	}
	if err := await(ctx, c.usersDone); err != nil {
		return false, err
	}
	if err := await(ctx, c.groupsDone); err != nil {
		return false, err
	}
	if !c.usersOK || !c.groupsOK {
		return false, nil
	}
	return perPrincipalCheaper(pairs, int(c.usersSeen.Load()), int(c.groupsSeen.Load())), nil
}

// readPairs lists the assignments of every pair. ok is false when
// ListAccountAssignments is denied.
func (c *collector) readPairs(ctx context.Context, perms Permissions, pairs []pair) (
	[]permissions.Assignment, bool, error) {
	if !c.mayUse(actAssignments) {
		return nil, false, nil
	}
	found := make([][]permissions.Assignment, len(pairs))
	ok, err := c.probeThenFanOut(ctx, len(pairs), func(ctx context.Context, i int) error {
		p := pairs[i]
		for a, err := range perms.Assignments(ctx, p.account, p.arn) {
			if err != nil {
				return err
			}
			found[i] = append(found[i], a)
		}
		c.advance(func(pr *Progress) {
			pr.PairsListed++
			pr.Assignments += len(found[i])
		})
		return nil
	}, func(i int) string { return "assignments of " + pairs[i].arn + " on " + pairs[i].account })
	if !ok {
		return nil, false, err
	}
	return flatten(found), true, nil
}

// readPerPrincipal lists the assignments of every group and every user. A
// user's listing also holds its groups' assignments, which the groups' own
// listings give, so only the user's own are kept. ok is false when the plan
// cannot run: its action is denied, or the users or groups are unreadable.
func (c *collector) readPerPrincipal(ctx context.Context, perms Permissions, snap *Snapshot) (
	[]permissions.Assignment, bool, error) {
	if !c.mayUse(PlanPerPrincipal.Needs()...) {
		return nil, false, nil
	}
	if err := await(ctx, c.usersDone); err != nil {
		return nil, false, err
	}
	if err := await(ctx, c.groupsDone); err != nil {
		return nil, false, err
	}
	if !c.usersOK || !c.groupsOK {
		return nil, false, nil
	}
	ps := make([]principal, 0, len(snap.Groups)+len(snap.Users))
	for _, g := range snap.Groups {
		ps = append(ps, principal{permissions.PrincipalGroup, g.ID})
	}
	for _, u := range snap.Users {
		ps = append(ps, principal{permissions.PrincipalUser, u.ID})
	}
	c.advance(func(pr *Progress) { pr.Plan = PlanPerPrincipal })

	found := make([][]permissions.Assignment, len(ps))
	ok, err := c.probeThenFanOut(ctx, len(ps), func(ctx context.Context, i int) error {
		p := ps[i]
		for a, err := range perms.AssignmentsForPrincipal(ctx, p.typ, p.id) {
			if err != nil {
				return err
			}
			if a.PrincipalType == p.typ && a.PrincipalID == p.id {
				found[i] = append(found[i], a)
			}
		}
		c.advance(func(pr *Progress) {
			pr.PrincipalsListed++
			pr.Assignments += len(found[i])
		})
		return nil
	}, func(i int) string { return "assignments of " + string(ps[i].typ) + " " + ps[i].id })
	if !ok {
		return nil, false, err
	}
	return flatten(found), true, nil
}

func flatten[T any](xs [][]T) []T {
	n := 0
	for _, x := range xs {
		n += len(x)
	}
	out := make([]T, 0, n)
	for _, x := range xs {
		out = append(out, x...)
	}
	return out
}
