package review

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/scim"
)

const (
	prodAccount = "222222222222"
	devAccount  = "333333333333"
	scimToken   = "test-scim-token-review"
)

// fakeEnv is a seeded fake organisation with every client an apply needs:
//
//	ann: Admin on prod directly and through Ops
//	bob: Admin on prod and Read on dev through Ops
//	cat: Read on dev directly
//	dan: Admin on prod directly
//	eve: Read on prod directly
//
// Ops holds Admin on prod and Read on dev; its members are ann and bob.
type fakeEnv struct {
	org    *awsidctest.Org
	dir    *identitycenter.Client
	perms  *permissions.Client
	idw    *identitycenter.Writer
	server *awsidctest.SCIMServer
	scim   *scim.Client
	id     map[string]string // user and group names, permission set names -> ids
}

func newFakeEnv(t *testing.T, opts ...awsidctest.Option) *fakeEnv {
	t.Helper()
	org := awsidctest.NewOrg(opts...)
	e := &fakeEnv{org: org, id: map[string]string{},
		dir:   identitycenter.New(org.IdentityStore(), org.IdentityStoreID()),
		perms: permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN()),
		idw:   identitycenter.NewWriter(org.IdentityStore(), org.IdentityStoreID()),
	}
	for _, a := range []awsidctest.AccountSeed{{ID: prodAccount, Name: "prod"},
		{ID: devAccount, Name: "dev"}} {
		_, err := org.AddAccount(a)
		require.NoError(t, err)
	}
	for _, name := range []string{"Admin", "Read"} {
		arn, err := org.AddPermissionSet(awsidctest.PermissionSetSeed{Name: name})
		require.NoError(t, err)
		e.id[name] = arn
	}
	for _, name := range []string{"ann", "bob", "cat", "dan", "eve"} {
		id, err := org.AddUser(awsidctest.UserSeed{UserName: name, DisplayName: name,
			GivenName: name, FamilyName: "Test", Email: name + "@example.com"})
		require.NoError(t, err)
		e.id[name] = id
	}
	ops, err := org.AddGroup("Ops", "")
	require.NoError(t, err)
	e.id["Ops"] = ops
	for _, u := range []string{"ann", "bob"} {
		_, err := org.AddMember(ops, e.id[u])
		require.NoError(t, err)
	}
	for _, a := range []struct{ account, set, typ, principal string }{
		{prodAccount, "Admin", "USER", "ann"}, {prodAccount, "Admin", "GROUP", "Ops"},
		{devAccount, "Read", "GROUP", "Ops"}, {devAccount, "Read", "USER", "cat"},
		{prodAccount, "Admin", "USER", "dan"}, {prodAccount, "Read", "USER", "eve"},
	} {
		require.NoError(t, org.Assign(a.account, e.id[a.set], a.typ, e.id[a.principal]))
	}

	e.server = org.SCIMServer(scimToken)
	t.Cleanup(e.server.Close)
	e.scim, err = scim.New(e.server.URL(), scimToken, scim.WithRateLimit(rate.Inf, 1))
	require.NoError(t, err)
	return e
}

func (e *fakeEnv) snapshot(t *testing.T) *Snapshot {
	t.Helper()
	s, err := Collect(t.Context(), e.dir, e.perms, Options{InstanceARN: e.org.InstanceARN(),
		IdentityStoreID: e.org.IdentityStoreID()})
	require.NoError(t, err)
	return s
}

func (e *fakeEnv) writers() Writers {
	return Writers{Assignments: e.perms, SCIM: e.scim, Directory: e.idw}
}

// decisions reads the decisions of want, keyed by (user, account, set name),
// from a template of s.
func (e *fakeEnv) decisions(t *testing.T, s *Snapshot, want map[[3]string]Decision) *Decisions {
	t.Helper()
	d, err := ReadDecisions(bytes.NewReader(decide(t, template(t, s, FormatJSONL),
		decideKeys(want))))
	require.NoError(t, err)
	return d
}

// scimCalls counts the SCIM requests by "METHOD /Collection".
func (e *fakeEnv) scimCalls() map[string]int {
	out := map[string]int{}
	for _, r := range e.server.Requests() {
		coll := r.Path
		if i := bytes.IndexByte([]byte(coll[1:]), '/'); i >= 0 {
			coll = coll[:i+1]
		}
		out[r.Method+" "+coll]++
	}
	return out
}

// memJournal is a journal in memory that can be made to fail, as a disk or
// a killed process does, after a number of writes: the failing write
// leaves half its line behind.
type memJournal struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	writes    int
	failAfter int // <0: never
}

var errCrash = errors.New("simulated crash")

func (m *memJournal) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writes++
	if m.failAfter >= 0 && m.writes > m.failAfter {
		m.buf.Write(p[:len(p)/2])
		return len(p) / 2, errCrash
	}
	return m.buf.Write(p)
}

func (m *memJournal) Sync() error { return nil }

// reopen reads the journal back as a new run would, cutting a torn line.
func (m *memJournal) reopen(t *testing.T, instanceARN string) *Journal {
	t.Helper()
	log, err := ReadJournal(bytes.NewReader(m.buf.Bytes()))
	require.NoError(t, err)
	m.buf.Truncate(int(log.size))
	m.failAfter = -1
	j, err := NewJournal(m, log, instanceARN)
	require.NoError(t, err)
	return j
}

func newMemJournal(t *testing.T, instanceARN string) (*memJournal, *Journal) {
	t.Helper()
	m := &memJournal{failAfter: -1}
	j, err := NewJournal(m, nil, instanceARN)
	require.NoError(t, err)
	return m, j
}

// noSleep is a sleeper that returns at once, recording the waits.
type noSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *noSleep) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func kinds(outs []Outcome) map[string]OutcomeKind {
	m := map[string]OutcomeKind{}
	for _, o := range outs {
		m[o.Action.ID] = o.Kind
	}
	return m
}

func TestApplyRevokesADirectAssignmentOnceAndTwiceIsANoOp(t *testing.T) {
	e := newFakeEnv(t)
	s := e.snapshot(t)
	d := e.decisions(t, s, map[[3]string]Decision{{"dan", prodAccount, "Admin"}: DecisionRevoke})
	plan, err := NewActionPlan(s, d, ActionOptions{})
	require.NoError(t, err)
	_, j := newMemJournal(t, s.InstanceARN)
	e.org.ResetCalls()

	outs, err := Apply(t.Context(), plan, e.writers(), j, ApplyOptions{Sleep: (&noSleep{}).sleep})
	require.NoError(t, err)
	require.Len(t, outs, 1)
	assert.Equal(t, OutcomeDone, outs[0].Kind)
	assert.NotEmpty(t, outs[0].RequestID)
	calls := e.org.Calls()
	assert.Equal(t, 1, calls["sso:DeleteAccountAssignment"])
	assert.GreaterOrEqual(t, calls["sso:DescribeAccountAssignmentDeletionStatus"], 1)
	fresh := e.snapshot(t)
	assert.Empty(t, Verify(plan, fresh))

	// The same decisions again: already done, nothing called.
	e.org.ResetCalls()
	plan, err = NewActionPlan(fresh, d, ActionOptions{})
	require.NoError(t, err)
	assert.Equal(t, StatusAlreadyDone, plan.Decisions[0].Status)
	_, j2 := newMemJournal(t, s.InstanceARN)
	outs, err = Apply(t.Context(), plan, e.writers(), j2, ApplyOptions{})
	require.NoError(t, err)
	assert.Empty(t, outs)
	assert.Zero(t, e.org.Calls()["sso:DeleteAccountAssignment"])
}

func TestApplyRevokeThroughGroupUnderEachPolicy(t *testing.T) {
	annAdmin := map[[3]string]Decision{{"ann", prodAccount, "Admin"}: DecisionRevoke}
	tests := []struct {
		name   string
		opts   ActionOptions
		unmet  string // what Verify says remains, "" for nothing
		calls  map[string]int
		scim   map[string]int
		bobHas bool // bob keeps Admin on prod
		annDev bool // ann keeps Read on dev
	}{
		{name: "refuse", opts: ActionOptions{}, unmet: "GROUP:Ops",
			calls:  map[string]int{"sso:DeleteAccountAssignment": 1},
			bobHas: true, annDev: true},
		{name: "membership via identity store",
			opts: ActionOptions{GroupRevoke: GroupRevokeMembership},
			calls: map[string]int{"sso:DeleteAccountAssignment": 1,
				"identitystore:DeleteGroupMembership": 1},
			bobHas: true},
		{name: "membership via scim",
			opts:   ActionOptions{GroupRevoke: GroupRevokeMembership, SCIM: true},
			calls:  map[string]int{"sso:DeleteAccountAssignment": 1},
			scim:   map[string]int{"PATCH /Groups": 1},
			bobHas: true},
		{name: "assignment", opts: ActionOptions{GroupRevoke: GroupRevokeAssignment},
			calls: map[string]int{"sso:DeleteAccountAssignment": 2}, annDev: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newFakeEnv(t)
			s := e.snapshot(t)
			plan, err := NewActionPlan(s, e.decisions(t, s, annAdmin), tt.opts)
			require.NoError(t, err)
			if tt.opts.GroupRevoke == GroupRevokeAssignment {
				assert.Contains(t, collateralKeys(plan), "bob "+prodAccount+" Admin",
					"the plan lists who else loses the access")
			}
			_, j := newMemJournal(t, s.InstanceARN)
			e.org.ResetCalls()
			e.server.ResetRequests()

			outs, err := Apply(t.Context(), plan, e.writers(), j,
				ApplyOptions{Sleep: (&noSleep{}).sleep})
			require.NoError(t, err)
			for _, o := range outs {
				assert.Equal(t, OutcomeDone, o.Kind, "%s: %s", o.Action.ID, o.Reason)
			}
			calls := e.org.Calls()
			for action, n := range tt.calls {
				assert.Equal(t, n, calls[action], action)
			}
			scimCalls := e.scimCalls()
			for call, n := range tt.scim {
				assert.Equal(t, n, scimCalls[call], call)
			}

			fresh := e.snapshot(t)
			unmet := Verify(plan, fresh)
			if tt.unmet == "" {
				assert.Empty(t, unmet)
			} else {
				require.Len(t, unmet, 1)
				assert.Equal(t, "ann", unmet[0].UserName)
				assert.Contains(t, unmet[0].Why, tt.unmet)
			}
			has := map[Key]bool{}
			for a := range fresh.Access(Filter{}) {
				has[a.Key()] = true
			}
			assert.Equal(t, tt.bobHas, has[Key{e.id["bob"], prodAccount, e.id["Admin"]}])
			assert.Equal(t, tt.annDev, has[Key{e.id["ann"], devAccount, e.id["Read"]}])
		})
	}
}

func TestApplySuspendReactivateDeprovisionThroughSCIM(t *testing.T) {
	e := newFakeEnv(t)
	s := e.snapshot(t)
	d := e.decisions(t, s, map[[3]string]Decision{
		{"eve", prodAccount, "Read"}: DecisionSuspend,
		{"cat", devAccount, "Read"}:  DecisionDeprovision,
	})
	plan, err := NewActionPlan(s, d, ActionOptions{SCIM: true})
	require.NoError(t, err)
	require.Len(t, plan.Irreversible(), 1)

	m, j := newMemJournal(t, s.InstanceARN)
	outs, err := Apply(t.Context(), plan, e.writers(), j, ApplyOptions{})
	require.ErrorIs(t, err, ErrNotConfirmed)
	assert.Empty(t, outs)
	assert.Empty(t, e.server.Requests(), "nothing is done without confirmation")

	outs, err = Apply(t.Context(), plan, e.writers(), j, ApplyOptions{ConfirmIrreversible: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]OutcomeKind{"suspend|" + e.id["eve"]: OutcomeDone,
		"deprovision|" + e.id["cat"]: OutcomeDone}, kinds(outs))
	assert.Equal(t, map[string]int{"PATCH /Users": 1, "DELETE /Users": 1}, e.scimCalls())

	fresh := e.snapshot(t)
	assert.Empty(t, Verify(plan, fresh))
	users := map[string]identitycenter.User{}
	for _, u := range fresh.Users {
		users[u.UserName] = u
	}
	assert.Equal(t, identitycenter.StatusDisabled, users["eve"].Status)
	assert.NotContains(t, users, "cat")

	// Undo what the journal records: eve is reactivated; cat cannot return.
	log, err := ReadJournal(bytes.NewReader(m.buf.Bytes()))
	require.NoError(t, err)
	undo, gone := Undo(log)
	require.Len(t, gone, 1)
	assert.Equal(t, e.id["cat"], gone[0].UserID)
	require.Len(t, undo.Actions, 1)
	assert.Equal(t, ActionReactivate, undo.Actions[0].Kind)
	_, j2 := newMemJournal(t, s.InstanceARN)
	outs, err = Apply(t.Context(), undo, e.writers(), j2, ApplyOptions{})
	require.NoError(t, err)
	assert.Equal(t, OutcomeDone, outs[0].Kind)
	for _, u := range e.snapshot(t).Users {
		if u.UserName == "eve" {
			assert.Equal(t, identitycenter.StatusEnabled, u.Status)
		}
	}
}

func TestApplyDeprovisionThroughIdentityStore(t *testing.T) {
	e := newFakeEnv(t)
	s := e.snapshot(t)
	d := e.decisions(t, s, map[[3]string]Decision{{"cat", devAccount, "Read"}: DecisionDeprovision})
	plan, err := NewActionPlan(s, d, ActionOptions{})
	require.NoError(t, err)
	_, j := newMemJournal(t, s.InstanceARN)
	e.org.ResetCalls()

	outs, err := Apply(t.Context(), plan, Writers{Directory: e.idw}, j,
		ApplyOptions{ConfirmIrreversible: true})
	require.NoError(t, err)
	assert.Equal(t, OutcomeDone, outs[0].Kind)
	assert.Equal(t, 1, e.org.Calls()["identitystore:DeleteUser"])
	assert.Empty(t, Verify(plan, e.snapshot(t)))

	// A missing writer is refused before anything is done.
	_, err = Apply(t.Context(), plan, Writers{}, j, ApplyOptions{ConfirmIrreversible: true})
	assert.ErrorContains(t, err, "Identity Store writer")
}

func TestApplyAlreadyRevokedIsSuccess(t *testing.T) {
	e := newFakeEnv(t)
	s := e.snapshot(t)
	d := e.decisions(t, s, map[[3]string]Decision{{"dan", prodAccount, "Admin"}: DecisionRevoke})
	plan, err := NewActionPlan(s, d, ActionOptions{})
	require.NoError(t, err)

	// Someone revokes it between the plan and the apply.
	_, err = e.perms.Revoke(t.Context(), *plan.Actions[0].Assignment)
	require.NoError(t, err)
	e.org.SettleAssignments()

	_, j := newMemJournal(t, s.InstanceARN)
	outs, err := Apply(t.Context(), plan, e.writers(), j, ApplyOptions{})
	require.NoError(t, err)
	require.Len(t, outs, 1)
	assert.Equal(t, OutcomeAlreadyDone, outs[0].Kind)
	assert.Empty(t, Verify(plan, e.snapshot(t)))
}

func TestApplyUnconfirmedWhenStatusCannotBeRead(t *testing.T) {
	var deny atomic.Bool
	deny.Store(true)
	e := newFakeEnv(t, awsidctest.WithInterceptor(func(_ context.Context, action string) error {
		if deny.Load() && action == "sso:DescribeAccountAssignmentDeletionStatus" {
			return &ssotypes.AccessDeniedException{Message: aws.String("not authorized")}
		}
		return nil
	}))
	s := e.snapshot(t)
	d := e.decisions(t, s, map[[3]string]Decision{{"dan", prodAccount, "Admin"}: DecisionRevoke})
	plan, err := NewActionPlan(s, d, ActionOptions{})
	require.NoError(t, err)
	m, j := newMemJournal(t, s.InstanceARN)
	e.org.ResetCalls()

	outs, err := Apply(t.Context(), plan, e.writers(), j, ApplyOptions{Sleep: (&noSleep{}).sleep})
	require.NoError(t, err)
	require.Len(t, outs, 1)
	assert.Equal(t, OutcomeUnconfirmed, outs[0].Kind, "never reported done")
	assert.Contains(t, outs[0].Reason, "access denied")
	assert.NotEmpty(t, outs[0].RequestID)
	st, _ := j.State(plan.Actions[0].ID)
	assert.Equal(t, OutcomeUnconfirmed, st.Outcome)

	// Once the status can be read, a resumed run re-checks it without
	// sending the revoke again.
	deny.Store(false)
	fresh := e.snapshot(t)
	plan2, err := NewActionPlan(fresh, d, ActionOptions{})
	require.NoError(t, err)
	outs, err = Apply(t.Context(), plan2, e.writers(), m.reopen(t, s.InstanceARN),
		ApplyOptions{Sleep: (&noSleep{}).sleep})
	require.NoError(t, err)
	require.Len(t, outs, 1)
	assert.Equal(t, OutcomeDone, outs[0].Kind)
	assert.Equal(t, 1, e.org.Calls()["sso:DeleteAccountAssignment"])
}

func TestApplyFailedOperationsRetryOnlyWhenAsked(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	e := newFakeEnv(t, awsidctest.WithAssignmentFailure(func(string, awsidctest.Assignment) string {
		if failing.Load() {
			return "IAM role quota exceeded in the target account"
		}
		return ""
	}))
	s := e.snapshot(t)
	d := e.decisions(t, s, map[[3]string]Decision{{"dan", prodAccount, "Admin"}: DecisionRevoke})
	run := func(j *Journal, retry bool) []Outcome {
		t.Helper()
		plan, err := NewActionPlan(e.snapshot(t), d, ActionOptions{})
		require.NoError(t, err)
		outs, err := Apply(t.Context(), plan, e.writers(), j,
			ApplyOptions{RetryFailed: retry, Sleep: (&noSleep{}).sleep})
		require.NoError(t, err)
		require.Len(t, outs, 1)
		return outs
	}
	m, j := newMemJournal(t, s.InstanceARN)
	e.org.ResetCalls()

	outs := run(j, false)
	assert.Equal(t, OutcomeFailed, outs[0].Kind)
	assert.Equal(t, "IAM role quota exceeded in the target account", outs[0].Reason)

	failing.Store(false)
	outs = run(m.reopen(t, s.InstanceARN), false)
	assert.Equal(t, OutcomeFailed, outs[0].Kind)
	assert.True(t, outs[0].FromJournal)
	assert.Equal(t, 1, e.org.Calls()["sso:DeleteAccountAssignment"], "no retry unless asked")

	outs = run(m.reopen(t, s.InstanceARN), true)
	assert.Equal(t, OutcomeDone, outs[0].Kind)
	assert.Equal(t, 2, e.org.Calls()["sso:DeleteAccountAssignment"])
}

func TestApplyPollsWithBackoff(t *testing.T) {
	tests := []struct {
		name      string
		polls     int
		timeout   time.Duration
		want      OutcomeKind
		wantWaits int
	}{
		{"ends", 5, 0, OutcomeDone, 6},
		{"times out", 1000, 30 * time.Second, OutcomeUnconfirmed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newFakeEnv(t, awsidctest.WithCompletionPolls(tt.polls))
			s := e.snapshot(t)
			plan, err := NewActionPlan(s, e.decisions(t, s, map[[3]string]Decision{
				{"dan", prodAccount, "Admin"}: DecisionRevoke}), ActionOptions{})
			require.NoError(t, err)
			_, j := newMemJournal(t, s.InstanceARN)
			sl := &noSleep{}
			outs, err := Apply(t.Context(), plan, e.writers(), j, ApplyOptions{
				PollInitial: time.Second, PollMax: 8 * time.Second, PollTimeout: tt.timeout,
				Sleep: sl.sleep})
			require.NoError(t, err)
			assert.Equal(t, tt.want, outs[0].Kind, outs[0].Reason)
			if tt.wantWaits > 0 {
				assert.Len(t, sl.waits, tt.wantWaits)
			}
			var total time.Duration
			for n, w := range sl.waits {
				ceiling := min(time.Second<<n, 8*time.Second)
				assert.GreaterOrEqual(t, w, ceiling/2, "wait %d", n)
				assert.LessOrEqual(t, w, ceiling, "wait %d", n)
				total += w
			}
			assert.Greater(t, sl.waits[len(sl.waits)-1], sl.waits[0], "the waits grow")
			if tt.timeout > 0 {
				assert.GreaterOrEqual(t, total, tt.timeout)
				assert.Contains(t, outs[0].Reason, "still IN_PROGRESS")
			}
		})
	}
}

// countingWriter tracks how many assignment operations are outstanding.
type countingWriter struct {
	AssignmentWriter
	mu          sync.Mutex
	outstanding int
	max         int
}

func (c *countingWriter) Revoke(ctx context.Context, a permissions.Assignment) (
	permissions.Operation, error) {
	c.mu.Lock()
	c.outstanding++
	c.max = max(c.max, c.outstanding)
	c.mu.Unlock()
	return c.AssignmentWriter.Revoke(ctx, a)
}

func (c *countingWriter) OperationStatus(ctx context.Context, op permissions.Operation) (
	permissions.Operation, error) {
	out, err := c.AssignmentWriter.OperationStatus(ctx, op)
	if err == nil && out.Status != permissions.OperationInProgress {
		c.mu.Lock()
		c.outstanding--
		c.mu.Unlock()
	}
	return out, err
}

func TestApplyBoundsOutstandingOperations(t *testing.T) {
	e := newFakeEnv(t, awsidctest.WithCompletionPolls(2))
	for i := range 40 {
		id, err := e.org.AddUser(awsidctest.UserSeed{UserName: fmt.Sprintf("user%02d", i)})
		require.NoError(t, err)
		require.NoError(t, e.org.Assign(devAccount, e.id["Admin"], "USER", id))
	}
	s := e.snapshot(t)
	d := e.decisions(t, s, nil)
	for i := range d.Rows {
		a := d.Rows[i].Access
		if a.AccountID == devAccount && a.PermissionSetName == "Admin" {
			d.Rows[i].Decision = DecisionRevoke
		}
	}
	plan, err := NewActionPlan(s, d, ActionOptions{})
	require.NoError(t, err)
	require.Len(t, plan.Actions, 40)
	cw := &countingWriter{AssignmentWriter: e.perms}
	_, j := newMemJournal(t, s.InstanceARN)

	outs, err := Apply(t.Context(), plan, Writers{Assignments: cw}, j, ApplyOptions{
		Sleep: func(ctx context.Context, _ time.Duration) error {
			time.Sleep(100 * time.Microsecond)
			return ctx.Err()
		}})
	require.NoError(t, err)
	assert.Len(t, outs, 40)
	for _, o := range outs {
		assert.Equal(t, OutcomeDone, o.Kind)
	}
	assert.LessOrEqual(t, cw.max, MaxOutstanding)
	assert.Greater(t, cw.max, 1, "operations overlap")
	assert.Zero(t, cw.outstanding)
}

// crashScenario plans, on a fresh fake, the revoke of two direct
// assignments, the revoke of ann's access (direct and through Ops, by
// removing the membership through SCIM), a suspend and a deprovision.
func crashScenario(t *testing.T) (*fakeEnv, *Decisions) {
	e := newFakeEnv(t)
	s := e.snapshot(t)
	return e, e.decisions(t, s, map[[3]string]Decision{
		{"dan", prodAccount, "Admin"}: DecisionRevoke,
		{"eve", prodAccount, "Read"}:  DecisionRevoke,
		{"ann", prodAccount, "Admin"}: DecisionRevoke,
		{"bob", prodAccount, "Admin"}: DecisionSuspend,
		{"cat", devAccount, "Read"}:   DecisionDeprovision,
	})
}

var crashOpts = ActionOptions{GroupRevoke: GroupRevokeMembership, SCIM: true}

// applyRun plans against a fresh snapshot and applies with j.
func applyRun(ctx context.Context, t *testing.T, e *fakeEnv, d *Decisions, j *Journal,
	sleep func(context.Context, time.Duration) error) ([]Outcome, error) {
	plan, err := NewActionPlan(e.snapshot(t), d, crashOpts)
	require.NoError(t, err)
	return Apply(ctx, plan, e.writers(), j, ApplyOptions{Concurrency: 1,
		ConfirmIrreversible: true, Sleep: sleep})
}

// checkExactlyOnce checks that every change was made once and is in effect.
func checkExactlyOnce(t *testing.T, e *fakeEnv, d *Decisions) {
	t.Helper()
	assert.Equal(t, 3, e.org.Calls()["sso:DeleteAccountAssignment"])
	assert.Equal(t, map[string]int{"PATCH /Groups": 1, "PATCH /Users": 1, "DELETE /Users": 1},
		e.scimCalls())
	fresh := e.snapshot(t)
	plan, err := NewActionPlan(fresh, d, crashOpts)
	require.NoError(t, err)
	assert.Empty(t, Verify(plan, fresh))
	assert.Empty(t, plan.Actions, "nothing is left to do")
}

func TestApplyStoppedAtEveryStepAndResumedActsExactlyOnce(t *testing.T) {
	// A clean run counts the journal writes: header, then each entry.
	e, d := crashScenario(t)
	m, j := newMemJournal(t, e.org.InstanceARN())
	outs, err := applyRun(t.Context(), t, e, d, j, (&noSleep{}).sleep)
	require.NoError(t, err)
	require.Len(t, outs, 6)
	checkExactlyOnce(t, e, d)
	writes := m.writes

	for k := 1; k < writes; k++ {
		t.Run(fmt.Sprintf("journal fails at write %d", k+1), func(t *testing.T) {
			e, d := crashScenario(t)
			m := &memJournal{failAfter: k}
			j, err := NewJournal(m, nil, e.org.InstanceARN())
			require.NoError(t, err)
			_, err = applyRun(t.Context(), t, e, d, j, (&noSleep{}).sleep)
			require.ErrorIs(t, err, errCrash)

			outs, err := applyRun(t.Context(), t, e, d, m.reopen(t, e.org.InstanceARN()),
				(&noSleep{}).sleep)
			require.NoError(t, err)
			for _, o := range outs {
				assert.Contains(t, []OutcomeKind{OutcomeDone, OutcomeAlreadyDone}, o.Kind,
					"%s: %s", o.Action.ID, o.Reason)
			}
			checkExactlyOnce(t, e, d)
			_, err = ReadJournal(bytes.NewReader(m.buf.Bytes()))
			require.NoError(t, err)
		})
	}

	for k := 1; k <= 3; k++ {
		t.Run(fmt.Sprintf("killed while polling %d", k), func(t *testing.T) {
			e, d := crashScenario(t)
			m, j := newMemJournal(t, e.org.InstanceARN())
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			n := 0
			_, err := applyRun(ctx, t, e, d, j, func(ctx context.Context, _ time.Duration) error {
				if n++; n == k {
					cancel()
				}
				return ctx.Err()
			})
			require.ErrorIs(t, err, context.Canceled)

			_, err = applyRun(t.Context(), t, e, d, m.reopen(t, e.org.InstanceARN()),
				(&noSleep{}).sleep)
			require.NoError(t, err)
			checkExactlyOnce(t, e, d)
		})
	}
}

func TestApplyKeepsSCIMTokenOutOfOutcomes(t *testing.T) {
	e := newFakeEnv(t)
	e.server.SetTokens("another-token")
	s := e.snapshot(t)
	plan, err := NewActionPlan(s, e.decisions(t, s, map[[3]string]Decision{
		{"eve", prodAccount, "Read"}: DecisionSuspend}), ActionOptions{SCIM: true})
	require.NoError(t, err)
	m, j := newMemJournal(t, s.InstanceARN)
	outs, err := Apply(t.Context(), plan, e.writers(), j, ApplyOptions{})
	require.NoError(t, err)
	require.Len(t, outs, 1)
	assert.Equal(t, OutcomeFailed, outs[0].Kind)
	assert.Contains(t, outs[0].Reason, fmt.Sprint(http.StatusUnauthorized))
	assert.NotContains(t, fmt.Sprintf("%+v", outs), scimToken)
	assert.NotContains(t, m.buf.String(), scimToken)
}

func TestVerifyListsDecisionsStillInEffect(t *testing.T) {
	e := newFakeEnv(t)
	s := e.snapshot(t)
	plan, err := NewActionPlan(s, e.decisions(t, s, map[[3]string]Decision{
		{"dan", prodAccount, "Admin"}: DecisionRevoke,
		{"eve", prodAccount, "Read"}:  DecisionSuspend,
		{"cat", devAccount, "Read"}:   DecisionDeprovision,
	}), ActionOptions{SCIM: true})
	require.NoError(t, err)

	// Nothing was applied: every decision is still unmet.
	unmet := Verify(plan, e.snapshot(t))
	var why []string
	for _, u := range unmet {
		why = append(why, u.UserName+": "+u.Why)
	}
	slices.Sort(why)
	assert.Equal(t, []string{"cat: user still exists", "dan: access still present through USER",
		"eve: user status is ENABLED"}, why)
}

func TestUndoRestoresRevokedAccess(t *testing.T) {
	for _, viaSCIM := range []bool{false, true} {
		t.Run(fmt.Sprintf("scim=%v", viaSCIM), func(t *testing.T) {
			e := newFakeEnv(t)
			s := e.snapshot(t)
			plan, err := NewActionPlan(s, e.decisions(t, s, map[[3]string]Decision{
				{"ann", prodAccount, "Admin"}: DecisionRevoke}),
				ActionOptions{GroupRevoke: GroupRevokeMembership, SCIM: viaSCIM})
			require.NoError(t, err)
			m, j := newMemJournal(t, s.InstanceARN)
			opts := ApplyOptions{Sleep: (&noSleep{}).sleep}
			_, err = Apply(t.Context(), plan, e.writers(), j, opts)
			require.NoError(t, err)
			require.Empty(t, Verify(plan, e.snapshot(t)))

			log, err := ReadJournal(bytes.NewReader(m.buf.Bytes()))
			require.NoError(t, err)
			undo, gone := Undo(log)
			assert.Empty(t, gone)
			var got []ActionKind
			for _, a := range undo.Actions {
				got = append(got, a.Kind)
			}
			assert.ElementsMatch(t, []ActionKind{ActionAddMember, ActionGrant}, got)
			_, j2 := newMemJournal(t, s.InstanceARN)
			outs, err := Apply(t.Context(), undo, e.writers(), j2, opts)
			require.NoError(t, err)
			for _, o := range outs {
				assert.Equal(t, OutcomeDone, o.Kind, "%s: %s", o.Action.ID, o.Reason)
			}
			assert.Empty(t, accessChangesList(s, e.snapshot(t)), "the state is as before")
		})
	}
}

func accessChangesList(before, after *Snapshot) []AccessChange {
	return slices.Collect(AccessChanges(before, after))
}
