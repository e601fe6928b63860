package review_test

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/awscall"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

// The benchmarks run against the fake seeded with the reference
// organisation, its AWS quotas and its per-call latency both scaled by
// speedup so that a run takes seconds, not minutes. AWSIDC_BENCH_SCALE
// shrinks the organisation (0.02 gives a fiftieth, for CI); the default is
// the full reference size.
const (
	speedup     = 50
	callLatency = 100 * time.Millisecond // AWS's, before scaling
)

func benchScale(b *testing.B) float64 {
	s := os.Getenv("AWSIDC_BENCH_SCALE")
	if s == "" {
		return 1
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 1 {
		b.Fatalf("AWSIDC_BENCH_SCALE=%q: want a number in (0, 1]", s)
	}
	return f
}

// peerBudget is how long each peer's plan runs before its time is
// extrapolated from the calls it made (AWSIDC_BENCH_PEER_BUDGET, a Go
// duration; default 3s).
func peerBudget(b *testing.B) time.Duration {
	if s := os.Getenv("AWSIDC_BENCH_PEER_BUDGET"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatalf("AWSIDC_BENCH_PEER_BUDGET=%q: %v", s, err)
		}
		return d
	}
	return 3 * time.Second
}

func seedReference(b *testing.B, shape awsidctest.ReferenceShape) *awsidctest.Org {
	o := awsidctest.NewOrg()
	if err := awsidctest.SeedReference(o, shape); err != nil {
		b.Fatal(err)
	}
	return o
}

// referenceCalls counts, from the seed's layout alone (see SeedReference),
// the calls each plan makes on the reference organisation of shape r. It
// walks the seed's own distribution of members and pairs rather than using
// the planner's estimates, so that it checks them.
func referenceCalls(r awsidctest.ReferenceShape) (shared map[string]int, plans map[string]int) {
	pages := func(n, size int) int { return max(1, (n+size-1)/size) }
	members := make([]int, r.Groups)
	for n := range r.Memberships {
		members[n%r.Groups]++
	}
	setAccounts := make([]int, r.PermissionSets)
	for n := range r.Pairs {
		a := n % r.Accounts
		setAccounts[(a+n/r.Accounts)%r.PermissionSets]++
	}
	pairRows := make([]int, r.Pairs)
	for n := range r.Assignments {
		pairRows[n%r.Pairs]++
	}
	listed := r.Accounts + 1 // the management account too

	shared = map[string]int{
		"identitystore:ListUsers":    pages(r.Users, 100),
		"identitystore:ListGroups":   pages(r.Groups, 100),
		"organizations:ListAccounts": pages(listed, 20),
		"sso:ListPermissionSets":     pages(r.PermissionSets, 100),
		"sso:DescribePermissionSet":  r.PermissionSets,
	}
	for _, m := range members {
		shared["identitystore:ListGroupMemberships"] += pages(m, 100)
	}
	pairs := 0
	for _, x := range pairRows {
		pairs += pages(x, 100)
	}
	perSet := pairs
	for _, a := range setAccounts {
		perSet += pages(a, 100)
	}
	plans = map[string]int{
		"per-permission-set": perSet,
		// Each account holds at most ⌈P/A⌉ ≤ 100 sets: one page each.
		"per-account":   listed + pairs,
		"cross-product": listed*r.PermissionSets - r.Pairs + pairs,
		"per-principal": r.Users + r.Groups, // at least one page each
	}
	return shared, plans
}

// boundOf is the least time calls can take at the scaled quotas, buckets in
// parallel: the largest over buckets of calls / rate.
func boundOf(calls map[string]int, q awsidctest.Quotas) time.Duration {
	per := map[string]float64{}
	for a, n := range calls {
		per[awsidctest.QuotaBucket(a)] += float64(n) / q.Rate(a)
	}
	var s float64
	for _, v := range per {
		s = max(s, v)
	}
	return time.Duration(s * float64(time.Second))
}

// peakHeap samples the heap in use until stop is called, and returns its
// peak in bytes.
func peakHeap() (stop func() uint64) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
	}
	read := func() uint64 {
		metrics.Read(samples)
		return samples[0].Value.Uint64() + samples[1].Value.Uint64()
	}
	var peak atomic.Uint64
	peak.Store(read())
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if v := read(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return max(peak.Load(), read())
	}
}

func total(calls map[string]int) int {
	n := 0
	for _, c := range calls {
		n += c
	}
	return n
}

func BenchmarkSnapshotReferenceOrg(b *testing.B) {
	shape := awsidctest.ReferenceOrg.Scale(benchScale(b))
	o := seedReference(b, shape)
	quotas := awsidctest.AWSQuotas
	quotas.Latency = callLatency
	quotas = quotas.Scale(speedup)
	throttle := awsidctest.NewThrottle(quotas)
	o.AddInterceptor(throttle.Intercept)

	shared, plans := referenceCalls(shape)
	cheapest := slices.Min([]int{plans["per-permission-set"], plans["per-account"],
		plans["cross-product"], plans["per-principal"]})
	minCalls := total(shared) + cheapest
	bound := boundOf(shared, quotas)
	ssoBound := time.Duration(float64(shared["sso:ListPermissionSets"]+
		shared["sso:DescribePermissionSet"]+cheapest) / quotas.SSOAdmin * float64(time.Second))
	bound = max(bound, ssoBound)

	pacer := awscall.NewPacer(awscall.DefaultRates.Scale(speedup))
	var errs atomic.Int64
	observe := func(_ string, err error) {
		if err != nil {
			errs.Add(1)
		}
	}
	dir := identitycenter.New(o.IdentityStore(), o.IdentityStoreID(),
		identitycenter.WithPacer(pacer), identitycenter.WithObserver(observe))
	perms := permissions.New(o.SSOAdmin(), o.Organizations(), o.InstanceARN(),
		permissions.WithPacer(pacer), permissions.WithObserver(observe))
	// The workers are sized from the latency a call really shows, as a user
	// would set it from observation: the fake's sleep plus this machine's
	// overhead for the round trip.
	opts := review.Options{Rate: pacer.Rate, Latency: observedLatency(b, perms)}

	runtime.GC()
	var wall time.Duration
	var peak uint64
	var snap *review.Snapshot
	b.ResetTimer()
	for b.Loop() {
		o.ResetCalls()
		stop := peakHeap()
		start := time.Now()
		var err error
		snap, err = review.Collect(context.Background(), dir, perms, opts)
		wall = time.Since(start)
		peak = stop()
		if err != nil {
			b.Fatalf("collect: %v", err)
		}
	}
	b.StopTimer()
	if !snap.Complete() || len(snap.Assignments) != shape.Assignments ||
		len(snap.Memberships) != shape.Memberships {
		b.Fatalf("incomplete snapshot: %d assignments, %d memberships, unread %v",
			len(snap.Assignments), len(snap.Memberships), snap.Unread)
	}
	calls := total(o.Calls())

	b.ReportMetric(float64(calls), "api-calls")
	b.ReportMetric(float64(minCalls), "min-calls")
	b.ReportMetric(bound.Seconds(), "bound-s")
	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(wall.Seconds()/bound.Seconds(), "bound-ratio")
	b.ReportMetric(float64(throttle.Throttled()), "throttled")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
	b.ReportMetric(0, "errors") // Collect failed the benchmark otherwise
	b.Logf("%d calls (min %d), wall %v, bound %v, %d throttled and retried, %d failed attempts, "+
		"latency %v", calls, minCalls, wall.Round(time.Millisecond), bound.Round(time.Millisecond),
		throttle.Throttled(), errs.Load(), opts.Latency.Round(time.Microsecond))

	// The peers' plans, simulated against the same organisation and quotas.
	// Each runs for a time budget, and its time for the whole plan is
	// extrapolated from the calls it made; a plan that finishes within the
	// budget is measured, not extrapolated.
	budget := peerBudget(b)
	accounts := slices.Collect(func(yield func(string) bool) {
		for a := range snap.Accounts {
			if !yield(snap.Accounts[a].ID) {
				return
			}
		}
	})
	arns := make([]string, len(snap.PermissionSets))
	for i, p := range snap.PermissionSets {
		arns[i] = p.ARN
	}
	var succeeded atomic.Int64
	count := permissions.WithObserver(func(_ string, err error) {
		if err == nil {
			succeeded.Add(1)
		}
	})
	unpaced := permissions.New(o.SSOAdmin(), o.Organizations(), o.InstanceARN(), count)
	paced := permissions.New(o.SSOAdmin(), o.Organizations(), o.InstanceARN(),
		permissions.WithPacer(pacer), count)

	peers := []struct {
		metric string
		calls  int
		run    func(ctx context.Context)
	}{
		{"steampipe-bound-ratio", len(accounts) * len(arns), func(ctx context.Context) {
			// Every account × permission set, concurrently, paced at the
			// quota: the best this plan can do.
			var wg sync.WaitGroup
			work := make(chan [2]string)
			for range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for p := range work {
						drain(paced.Assignments(ctx, p[0], p[1]))
					}
				}()
			}
			defer wg.Wait()
			defer close(work)
			for _, a := range accounts {
				for _, s := range arns {
					select {
					case work <- [2]string{a, s}:
					case <-ctx.Done():
						return
					}
				}
			}
		}},
		{"peraccount-bound-ratio", plans["per-account"], func(ctx context.Context) {
			// baton-aws, aws-sso-util: per account, the sets provisioned to
			// it, then each pair's assignments, one call at a time.
			for _, a := range accounts {
				for arn, err := range unpaced.PermissionSetsForAccount(ctx, a) {
					if err != nil || ctx.Err() != nil {
						return
					}
					drain(unpaced.Assignments(ctx, a, arn))
				}
			}
		}},
		{"perprincipal-bound-ratio", plans["per-principal"], func(ctx context.Context) {
			// ListAccountAssignmentsForPrincipal for each group and user, one
			// call at a time.
			for _, g := range snap.Groups {
				if ctx.Err() != nil {
					return
				}
				drain(unpaced.AssignmentsForPrincipal(ctx, permissions.PrincipalGroup, g.ID))
			}
			for _, u := range snap.Users {
				if ctx.Err() != nil {
					return
				}
				drain(unpaced.AssignmentsForPrincipal(ctx, permissions.PrincipalUser, u.ID))
			}
		}},
	}
	for _, p := range peers {
		succeeded.Store(0)
		ctx, cancel := context.WithTimeout(context.Background(), budget)
		start := time.Now()
		p.run(ctx)
		elapsed := time.Since(start)
		cut := ctx.Err() != nil
		cancel()
		made := int(succeeded.Load())
		est := elapsed
		if cut && made > 0 {
			est = time.Duration(float64(elapsed) * float64(p.calls) / float64(made))
		}
		b.ReportMetric(est.Seconds()/bound.Seconds(), p.metric)
		b.Logf("%s: %d of %d calls in %v, whole plan ≈ %v", p.metric, made, p.calls,
			elapsed.Round(time.Millisecond), est.Round(time.Millisecond))
	}
}

// observedLatency returns the mean time of one call through perms, from a
// sample of sequential DescribePermissionSet calls.
func observedLatency(b *testing.B, perms *permissions.Client) time.Duration {
	const n = 50
	var arn string
	for a, err := range perms.PermissionSetARNs(context.Background()) {
		if err != nil {
			b.Fatal(err)
		}
		arn = a
		break
	}
	start := time.Now()
	for range n {
		if _, err := perms.PermissionSet(context.Background(), arn); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start) / n
}

func drain[T any](seq func(func(T, error) bool)) {
	for _, err := range seq {
		if err != nil {
			return
		}
	}
}

var (
	refOnce sync.Once
	refSnap *review.Snapshot
	refErr  error
)

// referenceSnapshot collects the reference organisation once, unthrottled.
func referenceSnapshot(b *testing.B) *review.Snapshot {
	refOnce.Do(func() {
		o := awsidctest.NewOrg()
		refErr = awsidctest.SeedReference(o, awsidctest.ReferenceOrg.Scale(benchScale(b)))
		if refErr != nil {
			return
		}
		dir := identitycenter.New(o.IdentityStore(), o.IdentityStoreID())
		perms := permissions.New(o.SSOAdmin(), o.Organizations(), o.InstanceARN())
		refSnap, refErr = review.Collect(context.Background(), dir, perms,
			review.Options{Workers: runtime.GOMAXPROCS(0)})
	})
	if refErr != nil {
		b.Fatal(refErr)
	}
	return refSnap
}

func BenchmarkEffectiveAccess(b *testing.B) {
	snap := referenceSnapshot(b)
	runtime.GC()
	rows := 0
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		stop := peakHeap()
		rows = 0
		for range snap.Access(review.Filter{}) {
			rows++
		}
		peak = stop()
	}
	b.StopTimer()
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(rows)/perOp, "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}

func BenchmarkDiff(b *testing.B) {
	previous := referenceSnapshot(b)
	current := changed(previous)
	runtime.GC()
	rows := 0
	for range previous.Access(review.Filter{}) {
		rows++
	}
	for range current.Access(review.Filter{}) {
		rows++
	}
	changes := 0
	b.ResetTimer()
	for b.Loop() {
		changes = 0
		for range review.AccessChanges(previous, current) {
			changes++
		}
	}
	b.StopTimer()
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(changes), "changes")
	b.ReportMetric(float64(rows)/perOp, "rows/s")
}

// changed returns a copy of s with every hundredth membership and every
// fiftieth assignment gone, so that a diff has work to do.
func changed(s *review.Snapshot) *review.Snapshot {
	c := *s
	c.Memberships = nil
	for i, m := range s.Memberships {
		if i%100 != 0 {
			c.Memberships = append(c.Memberships, m)
		}
	}
	c.Assignments = nil
	for i, a := range s.Assignments {
		if i%50 != 0 {
			c.Assignments = append(c.Assignments, a)
		}
	}
	return &c
}
