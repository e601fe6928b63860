package review

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
)

// Decision is what a reviewer chose for one access row.
type Decision string

// Decisions a reviewer can write in the decision column. Revoke acts on the
// row's access; suspend and deprovision act on the row's user, so every
// decided row of that user must carry the same one.
const (
	// DecisionNone is an empty cell: the row is not decided and nothing is
	// done about it.
	DecisionNone        Decision = ""
	DecisionKeep        Decision = "keep"
	DecisionRevoke      Decision = "revoke"
	DecisionSuspend     Decision = "suspend"
	DecisionDeprovision Decision = "deprovision"
)

// userLevel reports whether d acts on the whole user.
func (d Decision) userLevel() bool { return d == DecisionSuspend || d == DecisionDeprovision }

func (d Decision) known() bool {
	switch d {
	case DecisionNone, DecisionKeep, DecisionRevoke, DecisionSuspend, DecisionDeprovision:
		return true
	}
	return false
}

// DecisionsFormat and DecisionsVersion identify decision files. A file of
// another format or a newer version is refused.
const (
	DecisionsFormat  = "awsidc-decisions"
	DecisionsVersion = 1
)

// DecisionColumns are the columns a decision file adds after [CSVHeader].
var DecisionColumns = []string{"decision", "reason"}

// maxDecisionBytes bounds what ReadDecisions reads.
const maxDecisionBytes = 256 << 20

// DecisionRow is one row of a decision file: an access row as exported,
// with the reviewer's decision and reason.
type DecisionRow struct {
	// Line is the row's line in the file, counting from 1.
	Line     int
	Access   Access
	Decision Decision
	Reason   string
}

// Decisions is a decision file as read by [ReadDecisions].
type Decisions struct {
	// InstanceARN and TakenAt are those of the snapshot the file was
	// exported from.
	InstanceARN string
	TakenAt     time.Time
	Rows        []DecisionRow
}

// decisionsHeader is the first line of a JSONL decision file; the first
// record of a CSV one carries the same fields as key=value cells.
type decisionsHeader struct {
	Format      string    `json:"format"`
	Version     int       `json:"version"`
	InstanceARN string    `json:"instance_arn"`
	TakenAt     time.Time `json:"taken_at"`
	SHA256      string    `json:"sha256"`
}

// decisionLine is one row of a JSONL decision file.
type decisionLine struct {
	Access
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// ExportDecisionTemplate writes the access of s that f keeps as a decision
// file for reviewers to fill in: format CSV (for spreadsheets) or JSONL,
// with empty decision and reason columns.
//
// The file starts with a line naming its format, version, the snapshot's
// instance and time, and a checksum of the access columns. Reviewers may
// fill in the decision and reason columns and sort the rows; a file whose
// other columns were changed, or whose rows were added or removed, is
// refused by [ReadDecisions]. In a spreadsheet, import account ids as text,
// or they lose their leading zeros.
func ExportDecisionTemplate(w io.Writer, format Format, s *Snapshot, f Filter) error {
	var rows []Access
	for r := range s.Access(f) {
		rows = append(rows, r)
	}
	records := make([][]string, len(rows))
	for i, r := range rows {
		records[i] = CSVRecord(r)
	}
	h := decisionsHeader{Format: DecisionsFormat, Version: DecisionsVersion,
		InstanceARN: s.InstanceARN, TakenAt: s.TakenAt.UTC()}
	h.SHA256 = decisionsSum(h, records)

	switch format {
	case FormatCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(h.csvRecord()); err != nil {
			return err
		}
		if cw.Flush(); cw.Error() != nil {
			return cw.Error()
		}
		return writeCSV(w, slices.Values(rows), DecisionColumns,
			func(Access) []string { return []string{"", ""} })
	case FormatJSONL:
		b, err := marshal(h)
		if err != nil {
			return err
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return err
		}
		return writeJSONL(w, slices.Values(rows), func(Access) map[string]string {
			return map[string]string{"decision": "", "reason": ""}
		})
	}
	return fmt.Errorf("review: decision template: format %q, want csv or jsonl", format)
}

func (h decisionsHeader) csvRecord() []string {
	return []string{"#" + h.Format, "version=" + strconv.Itoa(h.Version),
		"instance_arn=" + h.InstanceARN, "taken_at=" + h.TakenAt.Format(time.RFC3339Nano),
		"sha256=" + h.SHA256}
}

// decisionsSum is the checksum of a decision file: the header's identity
// and the access columns of every row, in sorted order so that sorting the
// rows in a spreadsheet keeps it.
func decisionsSum(h decisionsHeader, records [][]string) string {
	lines := make([]string, len(records))
	for i, rec := range records {
		var b bytes.Buffer
		cw := csv.NewWriter(&b)
		_ = cw.Write(rec)
		cw.Flush()
		lines[i] = b.String()
	}
	slices.Sort(lines)
	sum := sha256.New()
	fmt.Fprintf(sum, "%s\n%d\n%s\n%s\n", h.Format, h.Version, h.InstanceARN,
		h.TakenAt.UTC().Format(time.RFC3339Nano))
	for _, l := range lines {
		sum.Write([]byte(l))
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// ReadDecisions reads a decision file written by [ExportDecisionTemplate]
// and filled in by reviewers, CSV or JSONL (told apart by the first byte).
// A file that is truncated, edited outside its decision and reason columns,
// of another kind or of an unknown version gives an error matching
// [ErrBadFile]. Decision values are checked later, by [Decisions.Check], so
// that every problem is reported at once.
func ReadDecisions(r io.Reader) (*Decisions, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDecisionBytes+1))
	if err != nil {
		return nil, fmt.Errorf("review: decisions: %w", err)
	}
	if len(data) > maxDecisionBytes {
		return nil, badDecisions("larger than %d bytes", maxDecisionBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // spreadsheets add a BOM
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, badDecisions("empty file")
	}
	if bytes.TrimLeft(data, " \t\r\n")[0] == '{' {
		return readDecisionsJSONL(data)
	}
	return readDecisionsCSV(data)
}

func badDecisions(format string, args ...any) error {
	return fmt.Errorf("review: decisions: %w: %s", ErrBadFile, fmt.Sprintf(format, args...))
}

func readDecisionsCSV(data []byte) (*Decisions, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	first, err := cr.Read()
	if err != nil {
		return nil, badDecisions("not a decision file (%v)", err)
	}
	h, err := parseCSVHeader(trimEmpty(first))
	if err != nil {
		return nil, err
	}
	head, err := cr.Read()
	if err != nil {
		return nil, badDecisions("no column header (%v)", err)
	}
	want := append(slices.Clone(CSVHeader), DecisionColumns...)
	if !slices.Equal(trimEmpty(head), want) {
		return nil, badDecisions("line 2: columns %q, want %q", trimEmpty(head), want)
	}

	d := &Decisions{InstanceARN: h.InstanceARN, TakenAt: h.TakenAt}
	var records [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, badDecisions("%v", err)
		}
		line, _ := cr.FieldPos(0)
		rec = trimEmpty(rec)
		if len(rec) == 0 {
			continue
		}
		if len(rec) > len(want) || len(rec) < len(CSVHeader) {
			return nil, badDecisions("line %d: %d fields, want %d", line, len(rec), len(want))
		}
		rec = append(rec, make([]string, len(want)-len(rec))...)
		records = append(records, rec[:len(CSVHeader)])
		d.Rows = append(d.Rows, DecisionRow{
			Line:     line,
			Access:   accessFromCSV(rec),
			Decision: normalDecision(rec[len(CSVHeader)]),
			Reason:   rec[len(CSVHeader)+1],
		})
	}
	if err := checkDecisionsSum(h, records); err != nil {
		return nil, err
	}
	return d, nil
}

// trimEmpty drops the empty cells a spreadsheet pads short rows with.
func trimEmpty(rec []string) []string {
	for len(rec) > 0 && rec[len(rec)-1] == "" {
		rec = rec[:len(rec)-1]
	}
	return rec
}

func parseCSVHeader(rec []string) (decisionsHeader, error) {
	var h decisionsHeader
	if len(rec) == 0 || rec[0] != "#"+DecisionsFormat {
		return h, badDecisions("line 1 does not start with %q: not a decision file",
			"#"+DecisionsFormat)
	}
	h.Format = DecisionsFormat
	for _, cell := range rec[1:] {
		k, v, _ := strings.Cut(cell, "=")
		var err error
		switch k {
		case "version":
			h.Version, err = strconv.Atoi(v)
		case "instance_arn":
			h.InstanceARN = v
		case "taken_at":
			h.TakenAt, err = time.Parse(time.RFC3339Nano, v)
		case "sha256":
			h.SHA256 = v
		default:
			err = errors.New("unknown field")
		}
		if err != nil {
			return h, badDecisions("line 1: field %q: %v", k, err)
		}
	}
	return h, checkDecisionsVersion(h)
}

func checkDecisionsVersion(h decisionsHeader) error {
	if h.Format != DecisionsFormat {
		return badDecisions("format %q, want %q", h.Format, DecisionsFormat)
	}
	if h.Version < 1 || h.Version > DecisionsVersion {
		return badDecisions("version %d, this library reads up to %d", h.Version,
			DecisionsVersion)
	}
	return nil
}

func checkDecisionsSum(h decisionsHeader, records [][]string) error {
	if decisionsSum(h, records) != h.SHA256 {
		return badDecisions("checksum mismatch: rows were added or removed, or columns " +
			"other than decision and reason were changed (a spreadsheet may have " +
			"reformatted account ids: import them as text)")
	}
	return nil
}

// accessFromCSV rebuilds the access row of a CSV record. Paths keep their
// type and group name; group ids are not in the CSV.
func accessFromCSV(rec []string) Access {
	a := Access{
		UserID: rec[0], UserName: rec[1], DisplayName: rec[2],
		UserStatus: identitycenter.UserStatus(rec[3]), AccountID: rec[4], AccountName: rec[5],
		AccountState: permissions.AccountState(rec[6]), PermissionSetARN: rec[7],
		PermissionSetName: rec[8],
	}
	for p := range strings.SplitSeq(rec[9], "; ") {
		switch {
		case p == "USER":
			a.Via = append(a.Via, Path{PrincipalType: permissions.PrincipalUser,
				PrincipalID: a.UserID})
		case strings.HasPrefix(p, "GROUP:"):
			a.Via = append(a.Via, Path{PrincipalType: permissions.PrincipalGroup,
				GroupName: strings.TrimPrefix(p, "GROUP:")})
		}
	}
	return a
}

// normalDecision forgives the case and spaces a spreadsheet user may type.
func normalDecision(s string) Decision {
	return Decision(strings.ToLower(strings.TrimSpace(s)))
}

// maxDecisionLine bounds one JSONL line.
const maxDecisionLine = 1 << 20

func readDecisionsJSONL(data []byte) (*Decisions, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxDecisionLine)
	var h decisionsHeader
	var d *Decisions
	var records [][]string
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if d == nil {
			if err := json.Unmarshal(text, &h); err != nil {
				return nil, badDecisions("line 1: not a decision file (%v)", err)
			}
			if err := checkDecisionsVersion(h); err != nil {
				return nil, err
			}
			d = &Decisions{InstanceARN: h.InstanceARN, TakenAt: h.TakenAt}
			continue
		}
		if len(text) == 0 {
			continue
		}
		var dl decisionLine
		if err := json.Unmarshal(text, &dl); err != nil {
			return nil, badDecisions("line %d: %v", line, err)
		}
		records = append(records, CSVRecord(dl.Access))
		d.Rows = append(d.Rows, DecisionRow{Line: line, Access: dl.Access,
			Decision: normalDecision(dl.Decision), Reason: dl.Reason})
	}
	if err := sc.Err(); err != nil {
		return nil, badDecisions("line %d: %v", line+1, err)
	}
	if d == nil {
		return nil, badDecisions("empty file")
	}
	if err := checkDecisionsSum(h, records); err != nil {
		return nil, err
	}
	return d, nil
}

// Problem is one thing wrong with a decision file, at a line.
type Problem struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// DecisionError lists every problem of a decision file, by line. Nothing is
// planned or applied from a file that has one.
type DecisionError struct {
	Problems []Problem
}

// Error lists the first problems, one per line number.
func (e *DecisionError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "review: decisions: %d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-i)
			break
		}
		fmt.Fprintf(&b, "; line %d: %s", p.Line, p.Message)
	}
	return b.String()
}

// Check reports every problem of d against the current state s, as a
// *DecisionError: unknown decision values; rows naming a user, account or
// permission set that does not exist; the same access decided twice; and a
// user whose rows carry a user-wide decision (suspend, deprovision) along
// with any other. A revoke or deprovision whose user is gone is not a
// problem: it is already done.
//
// A file exported from another instance gives an error matching
// [ErrBadFile]; an incomplete snapshot, an error saying what was unread.
func (d *Decisions) Check(s *Snapshot) error {
	if d.InstanceARN != "" && s.InstanceARN != "" && d.InstanceARN != s.InstanceARN {
		return badDecisions("exported from instance %s, not %s", d.InstanceARN, s.InstanceARN)
	}
	if !s.Complete() {
		return fmt.Errorf("review: decisions: the snapshot is incomplete (%d reads denied, "+
			"first %s): decisions cannot be checked against it", len(s.Unread), s.Unread[0].Action)
	}
	users := map[string]bool{}
	for _, u := range s.Users {
		users[u.ID] = true
	}
	accounts := map[string]bool{}
	for _, a := range s.Accounts {
		accounts[a.ID] = true
	}
	sets := map[string]bool{}
	for _, p := range s.PermissionSets {
		sets[p.ARN] = true
	}

	var problems []Problem
	add := func(line int, format string, args ...any) {
		problems = append(problems, Problem{line, fmt.Sprintf(format, args...)})
	}
	seen := map[Key]int{}
	byUser := map[string][]DecisionRow{}
	for _, r := range d.Rows {
		if r.Decision == DecisionNone {
			continue
		}
		a := r.Access
		if !r.Decision.known() {
			add(r.Line, "unknown decision %q, want keep, revoke, suspend or deprovision",
				string(r.Decision))
			continue
		}
		if first, ok := seen[a.Key()]; ok {
			add(r.Line, "the same access as line %d", first)
			continue
		}
		seen[a.Key()] = r.Line
		byUser[a.UserID] = append(byUser[a.UserID], r)
		gone := r.Decision == DecisionRevoke || r.Decision == DecisionDeprovision
		if !users[a.UserID] && !gone {
			add(r.Line, "user %s (%q) does not exist", a.UserID, a.UserName)
		}
		if !accounts[a.AccountID] {
			add(r.Line, "account %q does not exist", a.AccountID)
		}
		if !sets[a.PermissionSetARN] {
			add(r.Line, "permission set %s (%q) does not exist", a.PermissionSetARN,
				a.PermissionSetName)
		}
	}
	for _, rows := range byUser {
		if p, ok := userConflict(rows); ok {
			problems = append(problems, p)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	slices.SortStableFunc(problems, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return &DecisionError{Problems: problems}
}

// userConflict reports a user-wide decision mixed with another one.
func userConflict(rows []DecisionRow) (Problem, bool) {
	decided := map[Decision][]int{}
	wide := false
	for _, r := range rows {
		decided[r.Decision] = append(decided[r.Decision], r.Line)
		wide = wide || r.Decision.userLevel()
	}
	if !wide || len(decided) < 2 {
		return Problem{}, false
	}
	var parts []string
	for _, dec := range slices.Sorted(maps.Keys(decided)) {
		parts = append(parts, fmt.Sprintf("%s on line(s) %s", dec, joinInts(decided[dec])))
	}
	return Problem{Line: rows[0].Line, Message: fmt.Sprintf(
		"conflicting decisions for user %q: %s", rows[0].Access.UserName,
		strings.Join(parts, ", "))}, true
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}
