package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/review"
)

func TestMain(m *testing.M) {
	// Confirmations are read from stdin only on a terminal: a reader never is.
	stdin = strings.NewReader("")
	os.Exit(m.Run())
}

// Columns of a decision file.
const (
	colUserName = 1
	colAccount  = 4
	colSetName  = 8
	colVia      = 9
	colDecision = 10
	colReason   = 11
)

// The demo's rows the tests decide on, each reached one way only.
var (
	// george.wright reaches logging with ReadOnlyAccess by his own assignment.
	directRow = pick{"george.wright", "666666666666", "ReadOnlyAccess"}
	// bob.nguyen reaches production with AdministratorAccess through On-Call.
	groupRow = pick{"bob.nguyen", "222222222222", "AdministratorAccess"}
	// grace.hopper and frank.miller are decided on as users, on every row.
	suspendUser     = "grace.hopper"
	deprovisionUser = "frank.miller"
)

// pick names the access of one decision file row.
type pick struct{ user, account, set string }

func (p pick) matches(rec []string) bool {
	return rec[colUserName] == p.user && rec[colAccount] == p.account &&
		rec[colSetName] == p.set
}

// template writes the demo's decision template into a new directory and
// returns its path and records.
func template(t *testing.T) (string, [][]string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "review.csv")
	r := runWith(t, noEnv, "-decision-template", path)
	require.Equal(t, 0, r.code, r.stderr)
	return path, readRecords(t, path)
}

func readRecords(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	require.NoError(t, err)
	return recs
}

func writeRecords(t *testing.T, path string, recs [][]string) {
	t.Helper()
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	require.NoError(t, cw.WriteAll(recs))
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
}

// decide fills in the decision of every row match accepts and returns
// their line numbers.
func decide(t *testing.T, recs [][]string, d review.Decision, match func([]string) bool) []int {
	t.Helper()
	var lines []int
	for i, rec := range recs[2:] {
		if match(rec) {
			rec[colDecision], rec[colReason] = string(d), "review 2026-01"
			lines = append(lines, i+3)
		}
	}
	require.NotEmpty(t, lines, "no row for %s", d)
	return lines
}

func ofUser(name string) func([]string) bool {
	return func(rec []string) bool { return rec[colUserName] == name }
}

// decisions fills in the template with a decision of every kind and returns
// its path and the lines of each decision.
func decisions(t *testing.T) (string, map[review.Decision][]int) {
	t.Helper()
	path, recs := template(t)
	lines := map[review.Decision][]int{
		review.DecisionRevoke: append(decide(t, recs, review.DecisionRevoke, directRow.matches),
			decide(t, recs, review.DecisionRevoke, groupRow.matches)...),
		review.DecisionSuspend: decide(t, recs, review.DecisionSuspend, ofUser(suspendUser)),
		review.DecisionDeprovision: decide(t, recs, review.DecisionDeprovision,
			ofUser(deprovisionUser)),
	}
	writeRecords(t, path, recs)
	return path, lines
}

// collateral returns the users other than groupRow's who reach its account
// and permission set through the same group only, from the template's rows.
func collateral(recs [][]string) []string {
	var via string
	for _, rec := range recs[2:] {
		if groupRow.matches(rec) {
			via = rec[colVia]
		}
	}
	var users []string
	for _, rec := range recs[2:] {
		if rec[colAccount] == groupRow.account && rec[colSetName] == groupRow.set &&
			rec[colUserName] != groupRow.user && rec[colVia] == via {
			users = append(users, rec[colUserName])
		}
	}
	return users
}

func TestDecisionTemplate(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"review.csv", "review.jsonl"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), name)
			r := runWith(t, noEnv, "-decision-template", path)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, "-decisions "+path)

			f, err := os.Open(path)
			require.NoError(t, err)
			defer f.Close()
			d, err := review.ReadDecisions(f)
			require.NoError(t, err)
			want := len(lines(golden(t, review.FormatCSV))) - 1
			assert.Len(t, d.Rows, want, "one row per access")
			for _, row := range d.Rows {
				assert.Equal(t, review.DecisionNone, row.Decision, "line %d", row.Line)
			}
		})
	}
}

// plannedKinds returns the kinds of the plan's actions, sorted.
func plannedKinds(p review.ActionPlan) []string {
	var kinds []string
	for _, a := range p.Actions {
		principal := ""
		if a.Assignment != nil {
			principal = string(a.Assignment.PrincipalType)
		}
		kinds = append(kinds, string(a.Kind)+" "+principal)
	}
	slices.Sort(kinds)
	return kinds
}

func TestDryRun(t *testing.T) {
	t.Parallel()
	path, lines := decisions(t)
	recs := readRecords(t, path)
	groupLine := lines[review.DecisionRevoke][1]

	for _, tc := range []struct {
		policy     review.GroupRevoke
		groupDoes  review.DecisionStatus
		kinds      []string
		collateral []string
	}{
		{review.GroupRevokeRefuse, review.StatusRefused,
			[]string{"deprovision ", "revoke USER", "suspend "}, nil},
		{review.GroupRevokeMembership, review.StatusPlanned,
			[]string{"deprovision ", "remove-member ", "revoke USER", "suspend "}, nil},
		{review.GroupRevokeAssignment, review.StatusPlanned,
			[]string{"deprovision ", "revoke GROUP", "revoke USER", "suspend "},
			collateral(recs)},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			t.Parallel()
			args := []string{"-decisions", path, "-group-revoke", string(tc.policy)}

			r := runWith(t, noEnv, append(args, "-format", "json")...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stderr, "dry run, nothing was changed")
			var plan review.ActionPlan
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &plan))
			assert.Equal(t, tc.kinds, plannedKinds(plan))
			statuses := map[int]review.DecisionStatus{}
			for _, d := range plan.Decisions {
				statuses[d.Line] = d.Status
			}
			for _, ls := range lines {
				for _, l := range ls {
					want := review.StatusPlanned
					if l == groupLine {
						want = tc.groupDoes
					}
					assert.Equal(t, want, statuses[l], "line %d", l)
				}
			}
			var lost []string
			for _, a := range plan.Collateral {
				lost = append(lost, a.UserName)
			}
			assert.ElementsMatch(t, tc.collateral, lost)
			for _, a := range plan.Irreversible() {
				assert.Equal(t, deprovisionUser, a.UserName)
			}

			r = runWith(t, noEnv, args...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, "group revoke policy "+string(tc.policy))
			assert.Contains(t, r.stdout, "[IRREVERSIBLE]")
			assert.Equal(t, len(tc.collateral) > 0, strings.Contains(r.stdout, "Access also lost"))
			assert.Contains(t, r.stdout, strconv.Itoa(groupLine)+" ")

			_, err := os.Stat(path + ".journal")
			assert.ErrorIs(t, err, os.ErrNotExist, "a dry run journals nothing")
		})
	}
}

// outcomeLines returns the outcome column of an outcome table, by action.
func outcomeLines(t *testing.T, stdout string) map[string]string {
	t.Helper()
	_, table, ok := strings.Cut(stdout, "OUTCOME")
	require.True(t, ok, "no outcome table in %q", stdout)
	got := map[string]string{}
	for _, l := range lines(table)[1:] {
		if l == "" {
			break
		}
		kind, action, _ := strings.Cut(l, "  ")
		got[strings.Fields(action)[0]+" "+strings.Fields(action)[1]] = kind
	}
	return got
}

func TestApplyThenRerun(t *testing.T) {
	t.Parallel()
	path, lines := decisions(t)
	journal := filepath.Join(filepath.Dir(path), "run.journal")
	args := []string{"-decisions", path, "-group-revoke", "membership", "-apply", "-yes",
		"-journal", journal}

	r := runWith(t, noEnv, args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, map[string]string{"revoke USER": "done", "remove-member user": "done",
		"suspend user": "done", "deprovision user": "done"}, outcomeLines(t, r.stdout))
	assert.NotContains(t, r.stdout, "Still in effect")

	log := readJournalFile(t, journal)
	states := log.States()
	require.Len(t, states, 4)
	for id, st := range states {
		assert.Equal(t, review.OutcomeDone, st.Outcome, id)
	}
	entries := len(log.Entries)

	// The demo replays the journal, as AWS would keep the changes: the same
	// command again finds every decision in effect and calls nothing.
	r = runWith(t, noEnv, args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "replayed")
	assert.Contains(t, r.stdout, "0 action(s)")
	assert.Contains(t, r.stdout, "Nothing to apply.")
	for _, ls := range lines {
		for _, l := range ls {
			assert.Regexp(t, "(?m)^"+strconv.Itoa(l)+" .*already done", r.stdout)
		}
	}
	assert.Len(t, readJournalFile(t, journal).Entries, entries, "nothing journaled again")
}

func readJournalFile(t *testing.T, path string) *review.JournalLog {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	log, err := review.ReadJournal(bytes.NewReader(b))
	require.NoError(t, err)
	return log
}

func TestApplyResumesAStoppedRun(t *testing.T) {
	t.Parallel()
	path, _ := decisions(t)
	args := []string{"-decisions", path, "-group-revoke", "assignment", "-apply", "-yes"}
	r := runWith(t, noEnv, args...)
	require.Equal(t, 0, r.code, r.stderr)
	journal := path + ".journal"
	full, err := os.ReadFile(journal)
	require.NoError(t, err)

	// Keep the journal up to the first action planned but not yet called,
	// with a torn line after it, as a run stopped mid-write leaves it.
	var kept []string
	for _, l := range lines(string(full)) {
		kept = append(kept, l)
		if strings.Contains(l, `"phase":"planned"`) {
			break
		}
	}
	stopped := strings.Join(kept, "\n") + "\n" + `{"seq":`
	require.NoError(t, os.WriteFile(journal, []byte(stopped), 0o600))
	first := readJournalFile(t, journal)
	require.True(t, first.Torn)
	var resumed string
	for id := range first.States() {
		resumed = id
	}

	r = runWith(t, noEnv, args...)
	require.Equal(t, 0, r.code, r.stderr)
	log := readJournalFile(t, journal)
	assert.False(t, log.Torn, "the torn line is cut before appending")
	states := log.States()
	assert.Len(t, states, 4)
	for id, st := range states {
		assert.Equal(t, review.OutcomeDone, st.Outcome, id)
	}
	planned := 0
	for _, e := range log.Entries {
		if e.ActionID == resumed && e.Phase == review.PhasePlanned {
			planned++
		}
	}
	assert.Equal(t, 1, planned, "the resumed action is not planned again")
}

func TestApplyJSONIsAStreamOfDocuments(t *testing.T) {
	t.Parallel()
	path, _ := decisions(t)
	r := runWith(t, noEnv, "-decisions", path, "-group-revoke", "membership", "-apply",
		"-yes", "-format", "json")
	require.Equal(t, 0, r.code, r.stderr)

	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var plan review.ActionPlan
	require.NoError(t, dec.Decode(&plan))
	var result struct {
		Outcomes []review.Outcome `json:"outcomes"`
		Unmet    []review.Unmet   `json:"unmet"`
	}
	require.NoError(t, dec.Decode(&result))
	assert.Len(t, result.Outcomes, len(plan.Actions))
	for _, o := range result.Outcomes {
		assert.Equal(t, review.OutcomeDone, o.Kind, o.Action.ID)
	}
	assert.Empty(t, result.Unmet)
	assert.ErrorIs(t, dec.Decode(&struct{}{}), io.EOF, "two documents, then nothing")
}

func TestApplyReportsWhatStaysInEffect(t *testing.T) {
	t.Parallel()
	path, lines := decisions(t)
	// refuse leaves the group's access: applying the rest still exits 1.
	r := runWith(t, noEnv, "-decisions", path, "-apply", "-yes")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "Still in effect after applying (1)")
	assert.Contains(t, r.stdout, "line "+strconv.Itoa(lines[review.DecisionRevoke][1])+": ")
	assert.Contains(t, r.stderr, "1 decision(s) not in effect")
}

func TestDeprovisionNeedsYes(t *testing.T) {
	t.Parallel()
	path, _ := decisions(t)
	r := runWith(t, noEnv, "-decisions", path, "-group-revoke", "membership", "-apply")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "add -yes")
	_, err := os.Stat(path + ".journal")
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing applied")

	// Without a deprovision, -yes is not needed.
	_, recs := template(t)
	decide(t, recs, review.DecisionSuspend, ofUser(suspendUser))
	writeRecords(t, path, recs)
	r = runWith(t, noEnv, "-decisions", path, "-apply")
	assert.Equal(t, 0, r.code, r.stderr)
}

func TestBadDecisionFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		edit func(recs [][]string) [][]string
		// line is the line the message names; 0 when it names none.
		line int
		want string
	}{
		{"unknown decision", func(recs [][]string) [][]string {
			recs[4][colDecision] = "revok"
			return recs
		}, 5, `unknown decision "revok"`},
		{"conflicting decisions", func(recs [][]string) [][]string {
			decide(t, recs, review.DecisionSuspend, ofUser(suspendUser))
			decide(t, recs, review.DecisionRevoke, func(rec []string) bool {
				return rec[colUserName] == suspendUser && rec[colVia] == "USER"
			})
			return recs
		}, 0, "conflicting decisions"},
		{"edited access column", func(recs [][]string) [][]string {
			recs[4][colAccount] = strings.TrimPrefix(recs[4][colAccount], "0") + "0"
			return recs
		}, 0, "checksum mismatch"},
		{"row removed", func(recs [][]string) [][]string {
			return slices.Delete(recs, 4, 5)
		}, 0, "checksum mismatch"},
		{"too many fields", func(recs [][]string) [][]string {
			recs[4] = append(recs[4], "x", "y")
			return recs
		}, 5, "14 fields, want 12"},
		{"not a decision file", func(recs [][]string) [][]string {
			return recs[1:]
		}, 1, "not a decision file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path, recs := template(t)
			writeRecords(t, path, tc.edit(recs))
			r := runWith(t, noEnv, "-decisions", path, "-apply", "-yes")
			assert.Equal(t, 1, r.code)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, tc.want)
			last := lines(r.stderr)[len(lines(r.stderr))-1]
			assert.True(t, strings.HasPrefix(last, "accessreview: "+path+": "), last)
			if tc.line > 0 {
				assert.Regexp(t, `(^|\W)(line )?`+strconv.Itoa(tc.line)+`\D`, r.stderr)
			}
			_, err := os.Stat(path + ".journal")
			assert.ErrorIs(t, err, os.ErrNotExist, "nothing applied")
		})
	}
}

func TestUndo(t *testing.T) {
	t.Parallel()
	path, _ := decisions(t)
	r := runWith(t, noEnv, "-decisions", path, "-group-revoke", "membership", "-apply", "-yes")
	require.Equal(t, 0, r.code, r.stderr)
	journal := path + ".journal"

	r = runWith(t, noEnv, "-undo", journal)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "3 action(s) undo")
	for _, kind := range []string{"grant USER", "add-member user", "reactivate user"} {
		assert.Contains(t, r.stdout, "\n  "+kind)
	}
	assert.Contains(t, r.stdout, "Cannot be undone (1):\n  deprovision user "+deprovisionUser)
	assert.Contains(t, r.stderr, "dry run")
	_, err := os.Stat(journal + ".undo")
	assert.ErrorIs(t, err, os.ErrNotExist, "a dry run journals nothing")

	r = runWith(t, noEnv, "-undo", journal, "-apply")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, map[string]string{"grant USER": "done", "add-member user": "done",
		"reactivate user": "done"}, outcomeLines(t, r.stdout))

	// Again: the undo's own journal says it is done.
	r = runWith(t, noEnv, "-undo", journal, "-apply")
	require.Equal(t, 0, r.code, r.stderr)
	for _, kind := range outcomeLines(t, r.stdout) {
		assert.Equal(t, "done (journal)", strings.TrimSpace(kind))
	}
}

func TestUndoRefusesAnotherInstance(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "other.journal")
	j, err := review.OpenJournal(path, "arn:aws:sso:::instance/ssoins-0000000000000000")
	require.NoError(t, err)
	require.NoError(t, j.Close())
	r := runWith(t, noEnv, "-undo", path)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "written for instance arn:aws:sso:::instance/ssoins-0000")
}

func TestActUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"help", []string{"-h"}, 0},
		{"apply without decisions", []string{"-apply"}, 2},
		{"journal without decisions", []string{"-journal", "x"}, 2},
		{"decisions and template", []string{"-decisions", "a", "-decision-template", "b"}, 2},
		{"undo and decisions", []string{"-undo", "a", "-decisions", "b"}, 2},
		{"unknown group revoke policy", []string{"-decisions", "a", "-group-revoke", "all"}, 2},
		{"missing decisions file", []string{"-decisions", "/nonexistent/review.csv"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runWith(t, noEnv, tc.args...)
			assert.Equal(t, tc.code, r.code, r.stderr)
			assert.Empty(t, r.stdout)
			assert.NotContains(t, r.stderr, "help requested")
		})
	}
}

func TestCheckExitCodes(t *testing.T) {
	t.Parallel()
	r := runWith(t, noEnv, "-check")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "FEATURE")
	assert.NotContains(t, r.stdout, " denied ")
}

// TestREADMEShowsTheDemoReview keeps the README's excerpt of the demo review
// and its list of flags from drifting.
func TestREADMEShowsTheDemoReview(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	readme := string(b)

	_, excerpt, ok := strings.Cut(readme, "The demo review begins:\n\n```text\n")
	require.True(t, ok, "the README shows the demo review")
	excerpt, _, _ = strings.Cut(excerpt, "```")
	want := lines(golden(t, review.FormatTable))
	got := lines(excerpt)
	require.NotEmpty(t, got)
	assert.Equal(t, want[:len(got)], got)

	_, list, ok := strings.Cut(readme, "\nFlags: ")
	require.True(t, ok, "the README lists the flags")
	list, _, _ = strings.Cut(list, "Exit status")
	help := runWith(t, noEnv, "-h")
	require.Equal(t, 0, help.code)
	var flags []string
	for _, f := range strings.Split(list, "`")[1:] {
		if strings.HasPrefix(f, "-") {
			flags = append(flags, strings.Fields(f)[0])
		}
	}
	require.NotEmpty(t, flags)
	for _, f := range flags {
		assert.Regexp(t, "(?m)^  "+f+"( |$)", help.stderr, "the README lists %s", f)
	}
}
