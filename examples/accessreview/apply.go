package main

// Acting on a review: a decision template to fill in, the plan its
// decisions turn into (a dry run, by default), and applying it with a
// journal that makes a stopped run resumable.
//
//	accessreview -decision-template review.csv        # reviewers fill it in
//	accessreview -decisions review.csv                # prints the plan
//	accessreview -decisions review.csv -apply         # applies it
//	accessreview -undo review.csv.journal -apply      # reverses what it did
//
// The journal is written next to the decisions (review.csv.journal) unless
// -journal names another file; running the same command again resumes from
// it. -undo plans the reverse of what a journal records as done, and keeps
// a journal of its own (review.csv.journal.undo). Suspending users and
// removing memberships through SCIM needs -scim-endpoint and the token in
// AWSIDC_SCIM_TOKEN.
//
// The demo organisation lives in memory, so each run starts from the same
// state: to behave like an organisation in AWS, it first replays what the
// journals of the command record as done.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"golang.org/x/time/rate"

	"github.com/awsidc/awsidc"
	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
	"github.com/awsidc/awsidc/scim"
)

// envSCIMToken names the environment variable holding the SCIM token, which
// is never taken on the command line.
const envSCIMToken = "AWSIDC_SCIM_TOKEN"

// demoSCIMToken is the bearer token of the demo's SCIM endpoint.
const demoSCIMToken = "demo-scim-token"

// stdin is where a confirmation is read; tests replace it.
var stdin io.Reader = os.Stdin

// actOptions are the flags of acting on a review.
type actOptions struct {
	decisions, journal, template, scimEndpoint string
	groupRevoke, undo                          string
	apply, yes                                 bool
	policy                                     review.GroupRevoke
}

func (a *actOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&a.template, "decision-template", "",
		"write a decision file to fill in (CSV, or JSONL when the name ends in .jsonl)")
	fs.StringVar(&a.decisions, "decisions", "",
		"plan the decisions of this file (a dry run unless -apply)")
	fs.BoolVar(&a.apply, "apply", false, "apply the plan of -decisions or -undo")
	fs.StringVar(&a.journal, "journal", "",
		"journal of the apply, resumed when it exists (default: the decisions file + "+
			".journal, or the -undo journal + .undo)")
	fs.StringVar(&a.undo, "undo", "",
		"plan undoing what this journal records as done (a dry run unless -apply)")
	fs.StringVar(&a.groupRevoke, "group-revoke", "refuse",
		"revoking access through a group: refuse, membership or assignment")
	fs.BoolVar(&a.yes, "yes", false,
		"confirm irreversible actions (deprovisioning) when stdin is not a terminal")
	fs.StringVar(&a.scimEndpoint, "scim-endpoint", "",
		"SCIM endpoint for suspending users and changing memberships (token in "+
			envSCIMToken+")")
}

// check validates the flags once parsed.
func (a *actOptions) check() error {
	p, err := review.ParseGroupRevoke(a.groupRevoke)
	if err != nil {
		return err
	}
	a.policy = p
	set := 0
	for _, f := range []string{a.decisions, a.template, a.undo} {
		if f != "" {
			set++
		}
	}
	switch {
	case set > 1:
		return errors.New("-decisions, -decision-template and -undo do not go together")
	case a.decisions == "" && a.undo == "" && (a.apply || a.journal != ""):
		return errors.New("-apply and -journal need -decisions or -undo")
	}
	switch {
	case a.journal != "":
	case a.decisions != "":
		a.journal = a.decisions + ".journal"
	case a.undo != "":
		a.journal = a.undo + ".undo"
	}
	return nil
}

// replayed lists the journals whose changes the demo organisation replays,
// in order: the journal undone, then the journal of this run.
func (a *actOptions) replayed() []string {
	var paths []string
	for _, p := range []string{a.undo, a.journal} {
		if p != "" {
			paths = append(paths, p)
		}
	}
	return paths
}

// actSources are what planning and applying read and write.
type actSources struct {
	dir     review.Directory
	perms   review.Permissions
	opts    review.Options
	writers review.Writers
	// apply holds the options every apply starts from.
	apply review.ApplyOptions
	close func()
}

func newActSources(ctx context.Context, o *options, stderr io.Writer,
	getenv func(string) string) (*actSources, error) {
	if o.demo || !awsConfigured(o, getenv) {
		fmt.Fprintln(stderr, "accessreview: acting on the embedded demo organisation, "+
			"which lives in memory: nothing outside this run changes")
		org := awsidctest.Demo()
		perms := permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN())
		// The demo's SCIM endpoint is the fake's, on a loopback port.
		srv := org.SCIMServer(demoSCIMToken)
		sc, err := scim.New(srv.URL(), demoSCIMToken, scim.WithRateLimit(rate.Inf, 1))
		if err != nil {
			srv.Close()
			return nil, err
		}
		src := &actSources{
			dir:   identitycenter.New(org.IdentityStore(), org.IdentityStoreID()),
			perms: perms,
			opts: review.Options{InstanceARN: org.InstanceARN(),
				IdentityStoreID: org.IdentityStoreID(), Now: demoTime},
			writers: review.Writers{Assignments: perms, SCIM: sc,
				Directory: identitycenter.NewWriter(org.IdentityStore(), org.IdentityStoreID())},
			// The fake ends its operations at once: no need to wait for AWS.
			apply: review.ApplyOptions{PollInitial: time.Millisecond,
				PollMax: 10 * time.Millisecond},
			close: srv.Close,
		}
		for _, path := range o.act.replayed() {
			n, err := replay(ctx, src.writers, org.InstanceARN(), path)
			if err != nil {
				srv.Close()
				return nil, err
			}
			if n > 0 {
				fmt.Fprintf(stderr, "accessreview: replayed on the demo organisation the %d "+
					"change(s) %s records as done\n", n, path)
			}
		}
		return src, nil
	}

	cfg := connectorConfig(o)
	if o.act.scimEndpoint != "" {
		token := getenv(envSCIMToken)
		if token == "" {
			return nil, &usageError{"-scim-endpoint needs the SCIM token in " + envSCIMToken}
		}
		cfg.SCIMEndpoint, cfg.SCIMToken = o.act.scimEndpoint, awsidc.Secret(token)
	}
	conn, err := awsidc.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	src := &actSources{
		dir:   conn.IdentityCenter(),
		perms: conn.Permissions(),
		opts: review.Options{InstanceARN: conn.InstanceARN(),
			IdentityStoreID: conn.IdentityStoreID()},
		writers: review.Writers{Assignments: conn.Permissions(),
			Directory: identitycenter.NewWriter(identitystore.NewFromConfig(conn.AWSConfig()),
				conn.IdentityStoreID())},
		close: func() {},
	}
	if c := conn.SCIM(); c != nil {
		src.writers.SCIM = c
	}
	return src, nil
}

func (s *actSources) snapshot(ctx context.Context, stderr io.Writer) (*review.Snapshot, error) {
	opts := s.opts
	opts.Progress = progressPrinter(stderr)
	snap, err := review.Collect(ctx, s.dir, s.perms, opts)
	endProgress(stderr)
	return snap, err
}

// replay applies through w what the journal at path records as done, and
// returns how many changes that is. A missing journal, or one of another
// instance, replays nothing.
func replay(ctx context.Context, w review.Writers, instanceARN, path string) (int, error) {
	log, err := readFile(path, review.ReadJournal)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if log.InstanceARN != instanceARN {
		return 0, nil
	}
	plan := &review.ActionPlan{InstanceARN: instanceARN}
	states := log.States()
	for _, id := range slices.Sorted(maps.Keys(states)) {
		if st := states[id]; st.Outcome == review.OutcomeDone && st.Action != nil {
			plan.Actions = append(plan.Actions, *st.Action)
		}
	}
	if len(plan.Actions) == 0 {
		return 0, nil
	}
	j, err := review.NewJournal(discard{}, nil, instanceARN)
	if err != nil {
		return 0, err
	}
	outs, err := review.Apply(ctx, plan, w, j, review.ApplyOptions{ConfirmIrreversible: true,
		PollInitial: time.Millisecond, PollMax: 10 * time.Millisecond})
	if err != nil {
		return 0, fmt.Errorf("replaying %s: %w", path, err)
	}
	for _, out := range outs {
		if out.Kind != review.OutcomeDone && out.Kind != review.OutcomeAlreadyDone {
			return 0, fmt.Errorf("replaying %s: %s: %s %s", path, out.Action.String(),
				out.Kind, out.Reason)
		}
	}
	return len(plan.Actions), nil
}

// discard is a journal writer that keeps nothing.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Sync() error                 { return nil }

// decisionTemplate writes the decision file reviewers fill in.
func decisionTemplate(ctx context.Context, o *options, stdout, stderr io.Writer,
	getenv func(string) string) error {
	src, err := newActSources(ctx, o, stderr, getenv)
	if err != nil {
		return err
	}
	defer src.close()
	snap, err := src.snapshot(ctx, stderr)
	if err != nil {
		return err
	}
	if !snap.Complete() {
		return fmt.Errorf("the snapshot is incomplete (%d reads denied): a decision file "+
			"needs every access", len(snap.Unread))
	}
	format := review.FormatCSV
	if strings.HasSuffix(o.act.template, ".jsonl") {
		format = review.FormatJSONL
	}
	f, err := os.Create(o.act.template)
	if err != nil {
		return err
	}
	err = review.ExportDecisionTemplate(f, format, snap, o.filter)
	if err := errors.Join(err, f.Close()); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "accessreview: wrote %s: fill in the decision column (keep, revoke, "+
		"suspend or deprovision) and the reason, then run with -decisions %s\n",
		o.act.template, o.act.template)
	return nil
}

// actOnDecisions plans the decisions file and, with -apply, applies the
// plan, then checks the result on a fresh snapshot.
func actOnDecisions(ctx context.Context, o *options, stdout, stderr io.Writer,
	getenv func(string) string) error {
	d, err := readFile(o.act.decisions, review.ReadDecisions)
	if err != nil {
		return err
	}
	src, err := newActSources(ctx, o, stderr, getenv)
	if err != nil {
		return err
	}
	defer src.close()
	snap, err := src.snapshot(ctx, stderr)
	if err != nil {
		return err
	}
	plan, err := review.NewActionPlan(snap, d, review.ActionOptions{
		GroupRevoke: o.act.policy, SCIM: src.writers.SCIM != nil})
	var de *review.DecisionError
	if errors.As(err, &de) {
		for _, p := range de.Problems {
			fmt.Fprintf(stderr, "%s:%d: %s\n", o.act.decisions, p.Line, p.Message)
		}
		return fmt.Errorf("%s: %d problem(s), nothing was planned or applied",
			o.act.decisions, len(de.Problems))
	}
	if err != nil {
		return err
	}

	w, closeOut, err := output(o.out, stdout)
	if err != nil {
		return err
	}
	if o.format == review.FormatJSON {
		err = plan.WriteJSON(w)
	} else {
		err = plan.WriteTable(w)
	}
	if err := errors.Join(err, closeOut()); err != nil {
		return err
	}
	if !o.act.apply {
		fmt.Fprintln(stderr, "accessreview: dry run, nothing was changed; add -apply to "+
			"apply the plan")
		return nil
	}
	if err := confirm(plan, o.act.yes, stderr); err != nil {
		return err
	}
	return applyPlan(ctx, o, src, plan, stdout, stderr)
}

// confirm asks for irreversible actions: -yes, or "yes" typed on a terminal.
func confirm(plan *review.ActionPlan, yes bool, stderr io.Writer) error {
	n := len(plan.Irreversible())
	if n == 0 || yes {
		return nil
	}
	if !interactive(stdin) {
		return &usageError{fmt.Sprintf("the plan deletes %d user(s), which cannot be undone: "+
			"add -yes to confirm", n)}
	}
	fmt.Fprintf(stderr, "The plan deletes %d user(s) with all their access; this cannot be "+
		"undone. Type yes to go on: ", n)
	line, _ := bufio.NewReader(stdin).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		return errors.New("not confirmed, nothing was changed")
	}
	return nil
}

// interactive reports whether r is a terminal; /dev/null, a character
// device too, is not.
func interactive(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok || !isTerminal(f) {
		return false
	}
	st, err := f.Stat()
	null, nerr := os.Stat(os.DevNull)
	return err == nil && (nerr != nil || !os.SameFile(st, null))
}

func applyPlan(ctx context.Context, o *options, src *actSources, plan *review.ActionPlan,
	stdout, stderr io.Writer) error {
	j, err := review.OpenJournal(o.act.journal, plan.InstanceARN)
	if err != nil {
		return err
	}
	opts := src.apply
	opts.ConfirmIrreversible = true
	outs, err := review.Apply(ctx, plan, src.writers, j, opts)
	err = errors.Join(err, j.Close())
	if err != nil {
		printOutcomes(stdout, o.format, outs, nil)
		return fmt.Errorf("%w (the journal %s holds what was done: run again to resume)", err,
			o.act.journal)
	}

	fresh, err := src.snapshot(ctx, stderr)
	if err != nil {
		printOutcomes(stdout, o.format, outs, nil)
		return fmt.Errorf("applied, but the confirming snapshot failed: %w", err)
	}
	unmet := review.Verify(plan, fresh)
	if err := printOutcomes(stdout, o.format, outs, unmet); err != nil {
		return err
	}
	failed, unconfirmed := countOutcomes(outs)
	if failed+unconfirmed+len(unmet) > 0 {
		return fmt.Errorf("%d action(s) failed, %d unconfirmed, %d decision(s) not in effect",
			failed, unconfirmed, len(unmet))
	}
	return nil
}

func countOutcomes(outs []review.Outcome) (failed, unconfirmed int) {
	for _, out := range outs {
		switch out.Kind {
		case review.OutcomeFailed:
			failed++
		case review.OutcomeUnconfirmed:
			unconfirmed++
		}
	}
	return failed, unconfirmed
}

// undoJournal plans undoing what a journal records as done and, with
// -apply, applies that plan with a journal of its own.
func undoJournal(ctx context.Context, o *options, stdout, stderr io.Writer,
	getenv func(string) string) error {
	log, err := readFile(o.act.undo, review.ReadJournal)
	if err != nil {
		return err
	}
	src, err := newActSources(ctx, o, stderr, getenv)
	if err != nil {
		return err
	}
	defer src.close()
	if log.InstanceARN != src.opts.InstanceARN {
		return fmt.Errorf("%s: written for instance %s, not %s", o.act.undo, log.InstanceARN,
			src.opts.InstanceARN)
	}
	plan, irreversible := review.Undo(log)

	w, closeOut, err := output(o.out, stdout)
	if err != nil {
		return err
	}
	err = writeUndo(w, o.format, plan, irreversible)
	if err := errors.Join(err, closeOut()); err != nil {
		return err
	}
	if !o.act.apply {
		fmt.Fprintln(stderr, "accessreview: dry run, nothing was changed; add -apply to "+
			"undo")
		return nil
	}

	j, err := review.OpenJournal(o.act.journal, plan.InstanceARN)
	if err != nil {
		return err
	}
	outs, err := review.Apply(ctx, plan, src.writers, j, src.apply)
	err = errors.Join(err, j.Close())
	if perr := printOutcomes(stdout, o.format, outs, nil); err == nil {
		err = perr
	}
	if err != nil {
		return fmt.Errorf("%w (the journal %s holds what was done: run again to resume)", err,
			o.act.journal)
	}
	if failed, unconfirmed := countOutcomes(outs); failed+unconfirmed > 0 {
		return fmt.Errorf("%d action(s) failed, %d unconfirmed", failed, unconfirmed)
	}
	return nil
}

// writeUndo writes the undo plan: the actions, and what cannot be undone.
func writeUndo(w io.Writer, format review.Format, plan *review.ActionPlan,
	irreversible []review.Action) error {
	if format == review.FormatJSON {
		return writeJSON(w, struct {
			InstanceARN  string          `json:"instance_arn"`
			Actions      []review.Action `json:"actions"`
			Irreversible []review.Action `json:"irreversible"`
		}{plan.InstanceARN, nonNil(plan.Actions), nonNil(irreversible)})
	}
	fmt.Fprintf(w, "%d action(s) undo what the journal records as done\n", len(plan.Actions))
	for _, a := range plan.Actions {
		fmt.Fprintf(w, "  %s\n", a.String())
	}
	if len(irreversible) > 0 {
		fmt.Fprintf(w, "\nCannot be undone (%d):\n", len(irreversible))
		for _, a := range irreversible {
			fmt.Fprintf(w, "  %s\n", a.String())
		}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printOutcomes writes the outcomes of an apply and the decisions a fresh
// snapshot shows unmet: in a table, or as one JSON document with -format
// json, so that standard output stays a stream of JSON documents.
func printOutcomes(w io.Writer, format review.Format, outs []review.Outcome,
	unmet []review.Unmet) error {
	if format == review.FormatJSON {
		return writeJSON(w, struct {
			Outcomes []review.Outcome `json:"outcomes"`
			Unmet    []review.Unmet   `json:"unmet"`
		}{nonNil(outs), nonNil(unmet)})
	}
	printOutcomeTable(w, outs)
	if len(unmet) > 0 {
		fmt.Fprintf(w, "\nStill in effect after applying (%d):\n", len(unmet))
		for _, u := range unmet {
			fmt.Fprintf(w, "  line %d: %s %s %s %s: %s\n", u.Line, u.Decision,
				u.UserName, u.AccountID, u.PermissionSetName, u.Why)
		}
	}
	return nil
}

func printOutcomeTable(w io.Writer, outs []review.Outcome) {
	if len(outs) == 0 {
		fmt.Fprintln(w, "\nNothing to apply.")
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OUTCOME\tACTION\tREQUEST ID\tREASON")
	for _, out := range outs {
		kind := string(out.Kind)
		if out.FromJournal {
			kind += " (journal)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", kind, strings.ReplaceAll(out.Action.String(),
			"\t", " "), out.RequestID, strings.ReplaceAll(out.Reason, "\n", " "))
	}
	tw.Flush()
}
