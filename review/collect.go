package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
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
	// PrincipalsListed counts the users and groups whose assignments have
	// been read, under PlanPerPrincipal.
	PrincipalsListed int
	// Plan is the plan the assignments are read with, once chosen.
	Plan Plan
}

// Options tune [Collect]. The zero value reads everything, choosing the
// cheapest plan, with concurrency sized for AWS's documented quotas.
type Options struct {
	// InstanceARN and IdentityStoreID label the snapshot.
	InstanceARN     string
	IdentityStoreID string

	// Policies, when true, reads each permission set's policies too.
	Policies bool

	// Plan forces the plan assignments are read with; PlanAuto (the zero
	// value) chooses. A forced plan whose calls are denied still falls back
	// to the next plan that works, so the snapshot stays complete.
	Plan Plan

	// Allowed, when set, reports whether the caller's policy allows an IAM
	// action (as a preflight check found); plans needing an action it
	// refuses are not tried. Nil tries every plan in turn and falls back
	// when a call is denied.
	Allowed func(action string) bool

	// Workers bounds concurrent calls per AWS throttle bucket (SSO Admin,
	// and each Identity Store operation). Zero sizes each bucket to fill
	// it and no more: twice its rate times Latency (a call's time varies,
	// and a worker waiting out a retry's backoff holds its slot), at least
	// two. The clients' pacer, not the workers, keeps to the rate.
	Workers int

	// Rate returns the rate, in calls per second, that the clients pace an
	// action's bucket to (the pacer's Rate method); nil means AWS's
	// documented quotas ([DefaultRate]). It sizes the workers only.
	Rate func(action string) float64

	// Latency is the expected time of one call; zero means 250ms.
	Latency time.Duration

	// Progress, when set, is called as reading advances, from one goroutine
	// at a time.
	Progress func(Progress)

	// Now gives the snapshot's time; nil means time.Now.
	Now func() time.Time
}

// Collect reads one snapshot from dir and perms. Users, groups, memberships
// (per group), accounts and permission sets (each described once) are read
// concurrently, each AWS throttle bucket by its own workers, sized to keep
// the bucket full. Assignments are read with the plan of opts.Plan; by
// default per permission set (the accounts it is provisioned to, then the
// assignments of each pair), switching to per principal when the pairs
// turn out to outnumber users and groups together. See [Plan].
//
// A plan whose calls the caller's policy denies gives way to the next that
// works; only what no plan can read is recorded in Snapshot.Unread, and the
// rest is still read. Any other failure fails the whole snapshot, which is
// never returned partial.
func Collect(ctx context.Context, dir Directory, perms Permissions,
	opts Options) (*Snapshot, error) {
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
	rate    func(string) float64
	latency time.Duration
	sso     chan struct{} // one slot per SSO Admin worker

	mu       sync.Mutex
	progress Progress
	unread   []Unread
	denials  map[string]bool // actions denied during this run

	// Each done channel closes once its listing has ended; the matching ok
	// flag, written before, says whether it was read in full.
	usersDone, groupsDone, accountsDone chan struct{}
	usersOK, groupsOK, accountsOK       bool
	usersSeen, groupsSeen               atomic.Int64
	accountIDs                          []string
}

func newCollector(opts Options) *collector {
	c := &collector{
		opts:         opts,
		rate:         opts.Rate,
		latency:      opts.Latency,
		denials:      map[string]bool{},
		usersDone:    make(chan struct{}),
		groupsDone:   make(chan struct{}),
		accountsDone: make(chan struct{}),
	}
	if c.rate == nil {
		c.rate = DefaultRate
	}
	if c.latency <= 0 {
		c.latency = defaultLatency
	}
	c.sso = make(chan struct{}, c.workers(actAssignments))
	return c
}

// workers returns how many calls to action's bucket may be in flight: enough
// to keep the bucket full at the expected latency, with room for calls that
// take longer or wait to be retried.
func (c *collector) workers(action string) int {
	if c.opts.Workers > 0 {
		return c.opts.Workers
	}
	r := c.rate(action)
	if r <= 0 {
		r = DefaultRate(action)
	}
	return max(2, int(math.Ceil(2*r*c.latency.Seconds())))
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

// deniedAction reports the action of err when it is an access denial.
func deniedAction(err error) (string, bool) {
	var ae *awscall.Error
	if !errors.Is(err, awscall.ErrAccessDenied) || !errors.As(err, &ae) {
		return "", false
	}
	return ae.Action, true
}

// denied records err as an unread part when it is an access denial, and
// reports whether it was one.
func (c *collector) denied(err error, scope string) bool {
	action, ok := deniedAction(err)
	if !ok {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.denials[action] = true
	c.unread = append(c.unread, Unread{Action: action, Scope: scope})
	return true
}

// refused notes that err denied its action, without recording anything
// unread (a fallback may still read it), and reports whether it did.
func (c *collector) refused(err error) bool {
	action, ok := deniedAction(err)
	if !ok {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.denials[action] = true
	return true
}

// mayUse reports whether the actions are neither refused by opts.Allowed
// nor found denied.
func (c *collector) mayUse(actions ...string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range actions {
		if c.denials[a] || (c.opts.Allowed != nil && !c.opts.Allowed(a)) {
			return false
		}
	}
	return true
}

// isDenied reports whether action was refused, by opts.Allowed or AWS.
func (c *collector) isDenied(action string) bool { return !c.mayUse(action) }

func (c *collector) unreadAdd(u Unread) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.unread = append(c.unread, u)
}

func await(ctx context.Context, done <-chan struct{}) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fanOut runs task(i) for every i from first to n-1, at most as many at a
// time as the SSO Admin bucket has workers, and stops at the first error.
func (c *collector) fanOut(ctx context.Context, first, n int,
	task func(ctx context.Context, i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cap(c.sso))
	for i := first; i < n; i++ {
		g.Go(func() error {
			return c.withSSO(gctx, func() error { return task(gctx, i) })
		})
	}
	return g.Wait()
}

func (c *collector) readUsers(ctx context.Context, dir Directory, snap *Snapshot) error {
	defer close(c.usersDone)
	for u, err := range dir.Users(ctx) {
		if err != nil {
			if c.denied(err, "users") {
				return nil
			}
			return err
		}
		snap.Users = append(snap.Users, u)
		c.usersSeen.Add(1)
		if len(snap.Users)%100 == 0 {
			c.advance(func(p *Progress) { p.Users = len(snap.Users) })
		}
	}
	c.usersOK = true
	c.advance(func(p *Progress) { p.Users = len(snap.Users) })
	return nil
}

func (c *collector) readGroupsAndMembers(ctx context.Context, dir Directory,
	snap *Snapshot) error {
	listed := sync.OnceFunc(func() { close(c.groupsDone) })
	defer listed()
	for gr, err := range dir.Groups(ctx) {
		if err != nil {
			if c.denied(err, "groups") {
				return nil
			}
			return err
		}
		snap.Groups = append(snap.Groups, gr)
		c.groupsSeen.Add(1)
	}
	c.groupsOK = true
	listed()
	c.advance(func(p *Progress) { p.Groups = len(snap.Groups) })

	// Reading the groups in id order, each group's members sorted, leaves
	// the memberships in the snapshot's order: sorting them all at the end
	// then costs one pass.
	sortedGroups := slices.Clone(snap.Groups)
	slices.SortFunc(sortedGroups, compareGroupIDs)

	members := make([][]identitycenter.Membership, len(snap.Groups))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.workers(actListMembers))
	for i, gr := range sortedGroups {
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
			slices.SortFunc(members[i], compareMemberships)
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
	snap.Memberships = flatten(members)
	return nil
}

func (c *collector) readAccounts(ctx context.Context, perms Permissions, snap *Snapshot) error {
	defer close(c.accountsDone)
	for a, err := range perms.Accounts(ctx) {
		if err != nil {
			if c.denied(err, "accounts") {
				return nil
			}
			return err
		}
		snap.Accounts = append(snap.Accounts, a)
		c.accountIDs = append(c.accountIDs, a.ID)
	}
	c.accountsOK = true
	c.advance(func(p *Progress) { p.Accounts = len(snap.Accounts) })
	return nil
}

// readPermissionSetsAndAssignments lists the permission sets, then describes
// each (reading its policies when asked) while it finds and reads the
// assignments. Both draw on the SSO Admin bucket's workers.
func (c *collector) readPermissionSetsAndAssignments(ctx context.Context, perms Permissions,
	snap *Snapshot) error {
	var arns []string
	setsOK := true
	for arn, err := range perms.PermissionSetARNs(ctx) {
		if err != nil {
			if c.denied(err, "permission sets") {
				setsOK = false
				break
			}
			return err
		}
		arns = append(arns, arn)
	}

	sets := make([]PermissionSet, len(arns))
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return c.fanOut(gctx, 0, len(arns), func(ctx context.Context, i int) error {
			ps, err := c.describe(ctx, perms, arns[i])
			if err != nil {
				return err
			}
			sets[i] = ps
			c.advance(func(p *Progress) { p.PermissionSets++ })
			return nil
		})
	})
	g.Go(func() error {
		as, err := c.readAssignments(gctx, perms, snap, arns, setsOK)
		snap.Assignments = as
		return err
	})
	if err := g.Wait(); err != nil {
		return err
	}
	snap.PermissionSets = sets
	return nil
}

func (c *collector) describe(ctx context.Context, perms Permissions,
	arn string) (PermissionSet, error) {
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
			c.unreadAdd(Unread{Action: action, Scope: arn})
		}
		out.Policies = &pol
	}
	return out, nil
}

// sort puts every slice of s in its canonical order.
func (s *Snapshot) sort() {
	slices.SortFunc(s.Users, compareUserIDs)
	slices.SortFunc(s.Groups, compareGroupIDs)
	if !slices.IsSortedFunc(s.Memberships, compareMemberships) {
		slices.SortFunc(s.Memberships, compareMemberships)
	}
	slices.SortFunc(s.Accounts, func(a, b permissions.Account) int {
		return cmp.Compare(a.ID, b.ID)
	})
	slices.SortFunc(s.PermissionSets, func(a, b PermissionSet) int {
		return cmp.Compare(a.ARN, b.ARN)
	})
	slices.SortFunc(s.Assignments, compareAssignments)
	s.Assignments = slices.Compact(s.Assignments)
	slices.SortFunc(s.Unread, compareUnread)
}

func compareUserIDs(a, b identitycenter.User) int { return cmp.Compare(a.ID, b.ID) }

func compareGroupIDs(a, b identitycenter.Group) int { return cmp.Compare(a.ID, b.ID) }

func compareMemberships(a, b identitycenter.Membership) int {
	return cmp.Or(cmp.Compare(a.GroupID, b.GroupID), cmp.Compare(a.UserID, b.UserID),
		cmp.Compare(a.ID, b.ID))
}

func compareUnread(a, b Unread) int {
	return cmp.Or(cmp.Compare(a.Action, b.Action), cmp.Compare(a.Scope, b.Scope))
}

func compareAssignments(a, b permissions.Assignment) int {
	return cmp.Or(cmp.Compare(a.AccountID, b.AccountID),
		cmp.Compare(a.PermissionSetARN, b.PermissionSetARN),
		cmp.Compare(a.PrincipalType, b.PrincipalType),
		cmp.Compare(a.PrincipalID, b.PrincipalID))
}
