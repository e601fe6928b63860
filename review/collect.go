package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/awscall"
	"github.com/awsidc/awsidc/permissions"
)

// Progress reports how much of a snapshot has been read so far.
type Progress struct {
	Users, Groups, Memberships, Accounts, PermissionSets, Assignments int
	// GroupsListed and PairsListed count the groups whose members and the
	// (account, permission set) pairs whose assignments have been read.
	GroupsListed, PairsListed int
	// Pairs is the number of provisioned pairs to read, once known.
	Pairs int
}

// Options tune [Collect]. The zero value reads everything with sensible
// concurrency.
type Options struct {
	// InstanceARN and IdentityStoreID label the snapshot.
	InstanceARN     string
	IdentityStoreID string

	// Policies, when true, reads each permission set's policies too.
	Policies bool

	// Workers bounds concurrent calls per AWS throttle bucket (SSO Admin,
	// and each Identity Store operation); zero means 6, which fills AWS's
	// 20 TPS at typical latencies without queueing behind the pacer.
	Workers int

	// Progress, when set, is called as reading advances, from one goroutine
	// at a time.
	Progress func(Progress)

	// Now gives the snapshot's time; nil means time.Now.
	Now func() time.Time
}

// Collect reads one snapshot from dir and perms. Users, groups, memberships,
// accounts and permission sets are read concurrently, each AWS throttle
// bucket by its own workers. Assignments are read per permission set: the
// accounts it is provisioned to, then the assignments of each pair.
//
// A read the caller's policy denies is recorded in Snapshot.Unread and the
// rest is still read; any other failure fails the whole snapshot, which is
// never returned partial.
func Collect(ctx context.Context, dir Directory, perms Permissions, opts Options) (*Snapshot, error) {
	c := newCollector(opts)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	snap := &Snapshot{
		InstanceARN:     opts.InstanceARN,
		IdentityStoreID: opts.IdentityStoreID,
		TakenAt:         now().UTC(),
	}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.readUsers(gctx, dir, snap) })
	g.Go(func() error { return c.readGroupsAndMembers(gctx, dir, snap) })
	g.Go(func() error { return c.readAccounts(gctx, perms, snap) })
	g.Go(func() error { return c.readPermissionSetsAndAssignments(gctx, perms, snap) })
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("review: snapshot: %w", err)
	}

	snap.Unread = c.unread
	snap.sort()
	return snap, nil
}

type collector struct {
	opts    Options
	workers int

	mu       sync.Mutex
	progress Progress
	unread   []Unread
}

func newCollector(opts Options) *collector {
	w := opts.Workers
	if w <= 0 {
		w = 6
	}
	return &collector{opts: opts, workers: w}
}

// advance applies f to the progress counters and reports them.
func (c *collector) advance(f func(*Progress)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.progress)
	if c.opts.Progress != nil {
		c.opts.Progress(c.progress)
	}
}

// denied records err as an unread part when it is an access denial, and
// reports whether it was one.
func (c *collector) denied(err error, scope string) bool {
	var ae *awscall.Error
	if !errors.Is(err, awscall.ErrAccessDenied) || !errors.As(err, &ae) {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unread = append(c.unread, Unread{Action: ae.Action, Scope: scope})
	return true
}

func (c *collector) readUsers(ctx context.Context, dir Directory, snap *Snapshot) error {
	for u, err := range dir.Users(ctx) {
		if err != nil {
			if c.denied(err, "users") {
				return nil
			}
			return err
		}
		snap.Users = append(snap.Users, u)
		if len(snap.Users)%100 == 0 {
			c.advance(func(p *Progress) { p.Users = len(snap.Users) })
		}
	}
	c.advance(func(p *Progress) { p.Users = len(snap.Users) })
	return nil
}

func (c *collector) readGroupsAndMembers(ctx context.Context, dir Directory, snap *Snapshot) error {
	for gr, err := range dir.Groups(ctx) {
		if err != nil {
			if c.denied(err, "groups") {
				return nil
			}
			return err
		}
		snap.Groups = append(snap.Groups, gr)
	}
	c.advance(func(p *Progress) { p.Groups = len(snap.Groups) })

	members := make([][]identitycenter.Membership, len(snap.Groups))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.workers)
	for i, gr := range snap.Groups {
		g.Go(func() error {
			for m, err := range dir.Members(gctx, gr.ID) {
				if err != nil {
					if c.denied(err, "members of group "+gr.ID) {
						return nil
					}
					return err
				}
				members[i] = append(members[i], m)
			}
			c.advance(func(p *Progress) {
				p.GroupsListed++
				p.Memberships += len(members[i])
			})
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, ms := range members {
		snap.Memberships = append(snap.Memberships, ms...)
	}
	return nil
}

func (c *collector) readAccounts(ctx context.Context, perms Permissions, snap *Snapshot) error {
	for a, err := range perms.Accounts(ctx) {
		if err != nil {
			if c.denied(err, "accounts") {
				return nil
			}
			return err
		}
		snap.Accounts = append(snap.Accounts, a)
	}
	c.advance(func(p *Progress) { p.Accounts = len(snap.Accounts) })
	return nil
}

// readPermissionSetsAndAssignments lists the permission sets, then for each
// describes it (and reads its policies when asked) and lists the accounts it
// is provisioned to, then lists the assignments of every provisioned pair.
func (c *collector) readPermissionSetsAndAssignments(ctx context.Context, perms Permissions,
	snap *Snapshot) error {
	var arns []string
	for arn, err := range perms.PermissionSetARNs(ctx) {
		if err != nil {
			if c.denied(err, "permission sets") {
				return nil
			}
			return err
		}
		arns = append(arns, arn)
	}

	sets := make([]PermissionSet, len(arns))
	accounts := make([][]string, len(arns))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.workers)
	for i, arn := range arns {
		g.Go(func() error {
			ps, err := c.describe(gctx, perms, arn)
			if err != nil {
				return err
			}
			sets[i] = ps
			accounts[i], err = c.provisionedAccounts(gctx, perms, arn)
			if err != nil {
				return err
			}
			c.advance(func(p *Progress) {
				p.PermissionSets++
				p.Pairs += len(accounts[i])
			})
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	snap.PermissionSets = sets

	type pair struct{ account, arn string }
	var pairs []pair
	for i, arn := range arns {
		for _, acc := range accounts[i] {
			pairs = append(pairs, pair{acc, arn})
		}
	}
	found := make([][]permissions.Assignment, len(pairs))
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(c.workers)
	for i, p := range pairs {
		g.Go(func() error {
			for a, err := range perms.Assignments(gctx, p.account, p.arn) {
				if err != nil {
					if c.denied(err, "assignments of "+p.arn+" on "+p.account) {
						return nil
					}
					return err
				}
				found[i] = append(found[i], a)
			}
			c.advance(func(pr *Progress) {
				pr.PairsListed++
				pr.Assignments += len(found[i])
			})
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, as := range found {
		snap.Assignments = append(snap.Assignments, as...)
	}
	return nil
}

func (c *collector) describe(ctx context.Context, perms Permissions, arn string) (PermissionSet, error) {
	ps, err := perms.PermissionSet(ctx, arn)
	if err != nil {
		if c.denied(err, arn) {
			return PermissionSet{PermissionSet: permissions.PermissionSet{ARN: arn}}, nil
		}
		return PermissionSet{}, err
	}
	out := PermissionSet{PermissionSet: ps}
	if c.opts.Policies {
		pol, err := perms.Policies(ctx, arn)
		if err != nil {
			return PermissionSet{}, err
		}
		for _, action := range pol.Unread {
			c.mu.Lock()
			c.unread = append(c.unread, Unread{Action: action, Scope: arn})
			c.mu.Unlock()
		}
		out.Policies = &pol
	}
	return out, nil
}

func (c *collector) provisionedAccounts(ctx context.Context, perms Permissions, arn string) ([]string, error) {
	var ids []string
	for id, err := range perms.AccountsForPermissionSet(ctx, arn) {
		if err != nil {
			if c.denied(err, "accounts provisioned with "+arn) {
				return nil, nil
			}
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// sort puts every slice of s in its canonical order.
func (s *Snapshot) sort() {
	slices.SortFunc(s.Users, func(a, b identitycenter.User) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Groups, func(a, b identitycenter.Group) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Memberships, func(a, b identitycenter.Membership) int {
		return cmp.Or(cmp.Compare(a.GroupID, b.GroupID), cmp.Compare(a.UserID, b.UserID),
			cmp.Compare(a.ID, b.ID))
	})
	slices.SortFunc(s.Accounts, func(a, b permissions.Account) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.PermissionSets, func(a, b PermissionSet) int { return cmp.Compare(a.ARN, b.ARN) })
	slices.SortFunc(s.Assignments, compareAssignments)
	s.Assignments = slices.Compact(s.Assignments)
	slices.SortFunc(s.Unread, func(a, b Unread) int {
		return cmp.Or(cmp.Compare(a.Action, b.Action), cmp.Compare(a.Scope, b.Scope))
	})
}

func compareAssignments(a, b permissions.Assignment) int {
	return cmp.Or(cmp.Compare(a.AccountID, b.AccountID),
		cmp.Compare(a.PermissionSetARN, b.PermissionSetARN),
		cmp.Compare(a.PrincipalType, b.PrincipalType),
		cmp.Compare(a.PrincipalID, b.PrincipalID))
}
