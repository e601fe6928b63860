// Command accessreview reviews who can reach which AWS account with which
// permission set in an IAM Identity Center instance, and why.
//
// With no flags and no AWS configuration it reviews an embedded demo
// organisation, so it can be tried anywhere:
//
//	go run ./examples/accessreview
//	go run ./examples/accessreview -region eu-west-1 -format csv -out access.csv
//	go run ./examples/accessreview -region eu-west-1 -save-snapshot today.json.gz \
//	    -diff last-week.json.gz
//	go run ./examples/accessreview -region eu-west-1 -check
//	go run ./examples/accessreview -decision-template review.csv
//	go run ./examples/accessreview -decisions review.csv -group-revoke membership -apply
//	go run ./examples/accessreview -undo review.csv.journal -apply
//
// -check probes the permissions a review needs instead of reviewing: it
// prints each IAM action as allowed, denied or not probed and each feature as
// working, degraded or denied, and exits 1 when the review needs a denied one.
//
// -decision-template writes the access as a file for reviewers to fill in
// (a decision and a reason per row); -decisions prints the plan those
// decisions turn into, a dry run; -apply applies it, journaling each step
// so that running it again resumes; -undo reverses what a journal records
// as done (see apply.go).
//
// Credentials and Region come from the standard AWS environment variables
// and files, as in every AWS tool; -role-arn assumes a role first.
// Exit status: 0 on success, 1 on a runtime error, 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/awsidc/awsidc"
	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// usageError is a problem with the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

type options struct {
	region, instanceARN, roleARN, externalID, endpointURL string
	sessionDuration                                       time.Duration
	demo, check                                           bool
	format                                                review.Format
	out, saveSnapshot, diff                               string
	filter                                                review.Filter
	act                                                   actOptions
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	var o options
	var format string
	fs := flag.NewFlagSet("accessreview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.region, "region", "", "AWS Region of the Identity Center instance")
	fs.StringVar(&o.instanceARN, "instance-arn", "",
		"Identity Center instance ARN (default: discovered)")
	fs.StringVar(&o.roleARN, "role-arn", "", "IAM role to assume for the review")
	fs.StringVar(&o.externalID, "external-id", "", "external id the role's trust policy requires")
	fs.DurationVar(&o.sessionDuration, "session-duration", 0,
		"assumed-role session length, 15m to 12h (default 1h)")
	fs.StringVar(&o.endpointURL, "endpoint-url", "",
		"send AWS calls to this endpoint, such as an emulator (AWS_ENDPOINT_URL works too)")
	fs.BoolVar(&o.demo, "demo", false, "review the embedded demo organisation")
	fs.BoolVar(&o.check, "check", false,
		"check the permissions the review needs, print them and exit (1 when one is denied)")
	fs.StringVar(&format, "format", "table", "output format: table, csv, json or jsonl")
	fs.StringVar(&o.out, "out", "", "write the review to this file (default: standard output)")
	fs.StringVar(&o.saveSnapshot, "save-snapshot", "",
		"save the snapshot to this file (gzip when it ends in .gz)")
	fs.StringVar(&o.diff, "diff", "",
		"compare with this earlier snapshot file and print the changes of access")
	fs.StringVar(&o.filter.UserName, "user", "", "only this user name's access")
	fs.StringVar(&o.filter.AccountID, "account", "", "only access into this account id")
	o.act.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, &usageError{err.Error()}
	}
	if err := o.act.check(); err != nil {
		return nil, &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, &usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	f, err := review.ParseFormat(format)
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	o.format = f
	return &o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer,
	getenv func(string) string) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "accessreview:", err)
		return 2
	}
	do := review1
	switch {
	case o.check:
		do = checkPermissions
	case o.act.decisions != "":
		do = actOnDecisions
	case o.act.undo != "":
		do = undoJournal
	case o.act.template != "":
		do = decisionTemplate
	}
	if err := do(ctx, o, stdout, stderr, getenv); err != nil {
		fmt.Fprintln(stderr, "accessreview:", oneLine(err))
		var ue *usageError
		var ce *awsidc.ConfigError
		if errors.As(err, &ue) || errors.As(err, &ce) {
			return 2
		}
		return 1
	}
	return 0
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

// review1 runs one review: collect, optionally save and diff, export.
func review1(ctx context.Context, o *options, stdout, stderr io.Writer,
	getenv func(string) string) error {
	var previous *review.Snapshot
	if o.diff != "" {
		// Read the earlier snapshot first: a bad file should fail before
		// minutes of collecting.
		var err error
		if previous, err = readFile(o.diff, review.Load); err != nil {
			return err
		}
	}

	dir, perms, opts, err := sources(ctx, o, stderr, getenv)
	if err != nil {
		return err
	}
	opts.Progress = progressPrinter(stderr)
	snap, err := review.Collect(ctx, dir, perms, opts)
	endProgress(stderr)
	if err != nil {
		return err
	}
	if !snap.Complete() {
		fmt.Fprintf(stderr, "accessreview: warning: the snapshot is incomplete, %d reads were "+
			"denied (listed under \"unread\" in the json format)\n", len(snap.Unread))
	}
	warnUnknownFilter(stderr, snap, o.filter)
	if o.saveSnapshot != "" {
		if err := saveSnapshot(o.saveSnapshot, snap); err != nil {
			return err
		}
	}

	w, closeOut, err := output(o.out, stdout)
	if err != nil {
		return err
	}
	if previous != nil {
		d := review.Compare(previous, snap).Filter(o.filter)
		if !d.Complete() {
			fmt.Fprintln(stderr, "accessreview: warning: a snapshot is incomplete, so access "+
				"reported removed may only have been unreadable")
		}
		err = review.ExportDiff(w, o.format, d)
	} else {
		err = review.Export(w, o.format, snap, o.filter)
	}
	return errors.Join(err, closeOut())
}

// warnUnknownFilter says so when -user or -account names nothing in the
// snapshot, so that an empty review is not mistaken for "no access".
func warnUnknownFilter(stderr io.Writer, snap *review.Snapshot, f review.Filter) {
	if f.UserName != "" && !slices.ContainsFunc(snap.Users,
		func(u identitycenter.User) bool { return u.UserName == f.UserName }) {
		fmt.Fprintf(stderr, "accessreview: warning: no user named %q in the snapshot\n",
			f.UserName)
	}
	if f.AccountID != "" && !slices.ContainsFunc(snap.Accounts,
		func(a permissions.Account) bool { return a.ID == f.AccountID }) {
		fmt.Fprintf(stderr, "accessreview: warning: no account %q in the organisation\n",
			f.AccountID)
	}
}

// sources returns the directory and permissions to review: the demo
// organisation, or an instance reached through the connector.
func sources(ctx context.Context, o *options, stderr io.Writer,
	getenv func(string) string) (review.Directory, review.Permissions, review.Options, error) {
	if o.demo || !awsConfigured(o, getenv) {
		if o.demo {
			fmt.Fprintln(stderr, "accessreview: reviewing the embedded demo organisation")
		} else {
			fmt.Fprintln(stderr, "accessreview: no AWS configuration found, reviewing the "+
				"embedded demo organisation (set -region or AWS_REGION to review yours)")
		}
		org := awsidctest.Demo()
		return identitycenter.New(org.IdentityStore(), org.IdentityStoreID()),
			permissions.New(org.SSOAdmin(), org.Organizations(), org.InstanceARN()),
			review.Options{InstanceARN: org.InstanceARN(), IdentityStoreID: org.IdentityStoreID(),
				Policies: true, Now: demoTime},
			nil
	}
	conn, err := awsidc.New(ctx, connectorConfig(o))
	if err != nil {
		return nil, nil, review.Options{}, err
	}
	return conn.IdentityCenter(), conn.Permissions(),
		review.Options{InstanceARN: conn.InstanceARN(), IdentityStoreID: conn.IdentityStoreID(),
			Policies: true, Rate: conn.Rate},
		nil
}

// demoTime is the demo organisation's fixed review time, so that its output
// is the same on every run.
func demoTime() time.Time { return time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC) }

// awsConfigured reports whether any AWS setting was given on the command
// line or in the environment.
func awsConfigured(o *options, getenv func(string) string) bool {
	if o.region != "" || o.instanceARN != "" || o.roleARN != "" || o.endpointURL != "" {
		return true
	}
	for _, v := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
		"AWS_ACCESS_KEY_ID", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		if getenv(v) != "" {
			return true
		}
	}
	return false
}

func output(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

func saveSnapshot(path string, snap *review.Snapshot) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = snap.Save(f, strings.HasSuffix(path, ".gz"))
	return errors.Join(err, f.Close())
}

// readFile reads the file at path with read (review.Load, ReadDecisions or
// ReadJournal); an error of read names the file.
func readFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// progressPrinter returns a progress callback that rewrites one line on
// stderr when it is a terminal, or nil.
func progressPrinter(stderr io.Writer) func(review.Progress) {
	if !isTerminal(stderr) {
		return nil
	}
	var last time.Time
	return func(p review.Progress) {
		if time.Since(last) < 100*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(stderr, "\rreading: %d users, %d groups (%d listed), %d memberships, "+
			"%d accounts, %d permission sets, %d/%d pairs, %d assignments ",
			p.Users, p.Groups, p.GroupsListed, p.Memberships, p.Accounts, p.PermissionSets,
			p.PairsListed, p.Pairs, p.Assignments)
	}
}

func endProgress(stderr io.Writer) {
	if isTerminal(stderr) {
		fmt.Fprint(stderr, "\r\033[K")
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
