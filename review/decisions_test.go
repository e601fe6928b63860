package review

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/identitycenter"
)

// template exports the decision template of s in format.
func template(t *testing.T, s *Snapshot, format Format) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, ExportDecisionTemplate(&b, format, s, Filter{}))
	return b.Bytes()
}

// decide fills in a decision template: choose returns the decision for
// each access row ("" leaves it empty).
func decide(t *testing.T, tmpl []byte, choose func(Access) Decision) []byte {
	t.Helper()
	if tmpl[0] == '{' {
		lines := strings.Split(strings.TrimSuffix(string(tmpl), "\n"), "\n")
		for i := 1; i < len(lines); i++ {
			var dl decisionLine
			require.NoError(t, json.Unmarshal([]byte(lines[i]), &dl))
			dl.Decision = string(choose(dl.Access))
			dl.Reason = "reviewed"
			b, err := marshal(withExtra{dl.Access, map[string]string{
				"decision": dl.Decision, "reason": dl.Reason}})
			require.NoError(t, err)
			lines[i] = string(b)
		}
		return []byte(strings.Join(lines, "\n") + "\n")
	}
	recs, err := readAllCSV(tmpl)
	require.NoError(t, err)
	for _, rec := range recs[2:] {
		d := choose(accessFromCSV(rec))
		rec[len(CSVHeader)] = string(d)
		if d != "" {
			rec[len(CSVHeader)+1] = "reviewed"
		}
	}
	return writeAllCSV(t, recs)
}

func readAllCSV(data []byte) ([][]string, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	return cr.ReadAll()
}

func writeAllCSV(t *testing.T, recs [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	require.NoError(t, cw.WriteAll(recs))
	return b.Bytes()
}

// decideKeys decides the listed (user name, account, permission set) rows.
func decideKeys(want map[[3]string]Decision) func(Access) Decision {
	return func(a Access) Decision {
		return want[[3]string{a.UserName, a.AccountID, a.PermissionSetName}]
	}
}

func TestDecisionTemplateRoundTrip(t *testing.T) {
	s := smallSnapshot()
	s.InstanceARN = "arn:aws:sso:::instance/ssoins-1111111111111111"
	s.TakenAt = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	want := slices.Collect(s.Access(Filter{}))

	for _, format := range []Format{FormatCSV, FormatJSONL} {
		t.Run(string(format), func(t *testing.T) {
			data := decide(t, template(t, s, format), decideKeys(map[[3]string]Decision{
				{"ann", "111111111111", "Admin"}: DecisionRevoke,
				{"bob", "111111111111", "Admin"}: "Keep ",
			}))
			d, err := ReadDecisions(bytes.NewReader(data))
			require.NoError(t, err)
			assert.Equal(t, s.InstanceARN, d.InstanceARN)
			assert.True(t, s.TakenAt.Equal(d.TakenAt), "got %v, want %v", d.TakenAt, s.TakenAt)
			require.Len(t, d.Rows, len(want))
			decided := map[string]Decision{}
			for i, r := range d.Rows {
				assert.Equal(t, want[i].Key(), r.Access.Key())
				assert.Equal(t, i+3-boolInt(format == FormatJSONL), r.Line)
				decided[r.Access.UserName+"/"+r.Access.PermissionSetName+"/"+
					r.Access.AccountID] = r.Decision
			}
			assert.Equal(t, DecisionRevoke, decided["ann/Admin/111111111111"])
			assert.Equal(t, DecisionKeep, decided["bob/Admin/111111111111"],
				"case and spaces are forgiven")
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestDecisionCSVSurvivesASpreadsheet(t *testing.T) {
	s := smallSnapshot()
	recs, err := readAllCSV(template(t, s, FormatCSV))
	require.NoError(t, err)

	// Sort the rows, pad every row to the widest, add a BOM and CRLFs.
	body := recs[2:]
	slices.SortFunc(body, func(a, b []string) int { return strings.Compare(b[1], a[1]) })
	for i := range recs {
		for len(recs[i]) < len(CSVHeader)+3 {
			recs[i] = append(recs[i], "")
		}
	}
	var b bytes.Buffer
	b.WriteString("\ufeff")
	cw := csv.NewWriter(&b)
	cw.UseCRLF = true
	require.NoError(t, cw.WriteAll(recs))

	d, err := ReadDecisions(&b)
	require.NoError(t, err)
	assert.Len(t, d.Rows, len(body))
}

func TestDecisionFilesRefused(t *testing.T) {
	s := smallSnapshot()
	csvFile := template(t, s, FormatCSV)
	jsonl := template(t, s, FormatJSONL)
	var snapFile bytes.Buffer
	require.NoError(t, s.Save(&snapFile, false))

	edit := func(data []byte, old, new string) []byte {
		require.Contains(t, string(data), old)
		return []byte(strings.Replace(string(data), old, new, 1))
	}
	csvLines := strings.SplitAfter(string(csvFile), "\n")
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "empty"},
		{"foreign csv", []byte("a,b,c\n1,2,3\n"), "not a decision file"},
		{"snapshot file", snapFile.Bytes(), `format "awsidc-snapshot"`},
		{"newer version csv", edit(csvFile, "version=1", "version=2"), "version 2"},
		{"newer version jsonl", edit(jsonl, `"version":1`, `"version":2`), "version 2"},
		{"edited user name", edit(csvFile, ",bob,", ",bobby,"), "checksum"},
		{"edited jsonl", edit(jsonl, `"user_name":"bob"`, `"user_name":"rob"`), "checksum"},
		{"truncated csv", []byte(strings.Join(csvLines[:len(csvLines)-2], "")), "checksum"},
		{"row added", []byte(string(csvFile) + csvLines[3]), "checksum"},
		{"columns changed", edit(csvFile, "decision,reason", "verdict,reason"), "columns"},
		{"too many fields", edit(csvFile, ",,\n", ",,,x\n"), "fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDecisions(bytes.NewReader(tt.data))
			require.ErrorIs(t, err, ErrBadFile)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestDecisionCheckReportsEveryProblem(t *testing.T) {
	full := smallSnapshot()
	full.Users = append(full.Users, user("u3", "cat"))
	full.Memberships = append(full.Memberships, identitycenter.Membership{ID: "m4",
		GroupID: "g1", UserID: "u3"})
	full.sort()
	data := decide(t, template(t, full, FormatCSV), func(a Access) Decision {
		switch {
		case a.UserName == "cat":
			return DecisionKeep // cat is deleted below
		case a.UserName == "ann" && a.AccountID == "222222222222":
			return DecisionSuspend
		case a.UserName == "ann":
			return DecisionKeep
		case a.PermissionSetName == "Read":
			return "revokee"
		}
		return DecisionRevoke
	})
	d, err := ReadDecisions(bytes.NewReader(data))
	require.NoError(t, err)

	now := smallSnapshot() // cat is gone; the old account is gone too
	now.Accounts = now.Accounts[:1]
	err = d.Check(now)
	var de *DecisionError
	require.ErrorAs(t, err, &de)

	byLine := map[int][]string{}
	for _, p := range de.Problems {
		byLine[p.Line] = append(byLine[p.Line], p.Message)
	}
	lineOf := func(name, account, set string) int {
		for _, r := range d.Rows {
			if r.Access.UserName == name && r.Access.AccountID == account &&
				r.Access.PermissionSetName == set {
				return r.Line
			}
		}
		t.Fatalf("no row %s %s %s", name, account, set)
		return 0
	}
	annAdmin := lineOf("ann", "111111111111", "Admin")
	assert.Contains(t, strings.Join(byLine[annAdmin], "|"), "conflicting decisions for user")
	assert.Contains(t, strings.Join(byLine[lineOf("cat", "111111111111", "Admin")], "|"),
		"user u3")
	assert.Contains(t, strings.Join(byLine[lineOf("ann", "222222222222", "Read")], "|"),
		`account "222222222222" does not exist`)
	assert.Contains(t, strings.Join(byLine[lineOf("bob", "222222222222", "Read")], "|"),
		`unknown decision "revokee"`)
	assert.Contains(t, err.Error(), "line ")

	_, err = NewActionPlan(now, d, ActionOptions{})
	assert.ErrorAs(t, err, &de, "no plan from a file with problems")
}

func TestDecisionCheckRefusesOtherInstanceAndIncompleteSnapshots(t *testing.T) {
	s := smallSnapshot()
	s.InstanceARN = "arn:aws:sso:::instance/ssoins-1111111111111111"
	d, err := ReadDecisions(bytes.NewReader(template(t, s, FormatJSONL)))
	require.NoError(t, err)

	other := smallSnapshot()
	other.InstanceARN = "arn:aws:sso:::instance/ssoins-2222222222222222"
	assert.ErrorIs(t, d.Check(other), ErrBadFile)

	partial := smallSnapshot()
	partial.InstanceARN = s.InstanceARN
	partial.Unread = []Unread{{Action: "identitystore:ListUsers", Scope: "users"}}
	err = d.Check(partial)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "incomplete")
}

func FuzzReadDecisions(f *testing.F) {
	s := smallSnapshot()
	var b bytes.Buffer
	require.NoError(f, ExportDecisionTemplate(&b, FormatCSV, s, Filter{}))
	f.Add(b.Bytes())
	b.Reset()
	require.NoError(f, ExportDecisionTemplate(&b, FormatJSONL, s, Filter{}))
	f.Add(b.Bytes())
	f.Add([]byte("#awsidc-decisions,version=1,sha256=00\n"))
	f.Add([]byte(`{"format":"awsidc-decisions","version":1}` + "\n{}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadDecisions(bytes.NewReader(data))
		if err != nil {
			require.ErrorIs(t, err, ErrBadFile)
			return
		}
		// What is accepted can be checked and planned without panicking.
		if d.Check(s) == nil {
			_, err := NewActionPlan(s, d, ActionOptions{GroupRevoke: GroupRevokeMembership})
			require.NoError(t, err)
		}
	})
}
