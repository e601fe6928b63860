package review

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/permissions"
)

const journalInstance = "arn:aws:sso:::instance/ssoins-1111111111111111"

// sampleJournal writes a journal of one revoke taken to its end and one
// suspend left planned.
func sampleJournal(t testing.TB) []byte {
	t.Helper()
	m := &memJournal{failAfter: -1}
	j, err := NewJournal(m, nil, journalInstance)
	require.NoError(t, err)
	asg := permissions.Assignment{AccountID: "111111111111", PermissionSetARN: psAdmin,
		PrincipalType: permissions.PrincipalUser, PrincipalID: "u1"}
	revoke := Action{ID: assignmentActionID(ActionRevoke, asg), Kind: ActionRevoke,
		Channel: ChannelSSOAdmin, Assignment: &asg, UserID: "u1", Lines: []int{3}}
	suspend := Action{ID: "suspend|u2", Kind: ActionSuspend, Channel: ChannelSCIM,
		UserID: "u2", UserName: "bob\n<b>"}
	op := permissions.Operation{Kind: permissions.KindDelete, RequestID: "r-1",
		Status: permissions.OperationInProgress, Assignment: asg}
	for _, e := range []JournalEntry{
		{Phase: PhasePlanned, ActionID: revoke.ID, Action: &revoke},
		{Phase: PhaseSubmitted, ActionID: revoke.ID, Operation: &op},
		{Phase: PhasePlanned, ActionID: suspend.ID, Action: &suspend},
		{Phase: PhaseOutcome, ActionID: revoke.ID, Outcome: OutcomeDone},
	} {
		require.NoError(t, j.append(e))
	}
	return m.buf.Bytes()
}

func TestJournalReadsBackWhatWasWritten(t *testing.T) {
	data := sampleJournal(t)
	log, err := ReadJournal(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, journalInstance, log.InstanceARN)
	assert.False(t, log.Torn)
	require.Len(t, log.Entries, 4)

	states := log.States()
	require.Len(t, states, 2)
	rev := states["revoke|111111111111|"+psAdmin+"|USER|u1"]
	assert.Equal(t, OutcomeDone, rev.Outcome)
	assert.Equal(t, "r-1", rev.Operation.RequestID)
	assert.Equal(t, ActionRevoke, rev.Action.Kind)
	sus := states["suspend|u2"]
	assert.Equal(t, PhasePlanned, sus.Phase)
	assert.Equal(t, "bob\n<b>", sus.Action.UserName)
}

func TestJournalTornLastLineIsDropped(t *testing.T) {
	data := sampleJournal(t)
	for cut := 1; cut < 40; cut += 7 {
		log, err := ReadJournal(bytes.NewReader(data[:len(data)-cut]))
		require.NoError(t, err, "cut %d", cut)
		assert.True(t, log.Torn)
		assert.Len(t, log.Entries, 3)
		rev := log.States()["revoke|111111111111|"+psAdmin+"|USER|u1"]
		assert.Equal(t, PhaseSubmitted, rev.Phase)
	}
}

func TestJournalDamageIsRefused(t *testing.T) {
	data := string(sampleJournal(t))
	lines := strings.SplitAfter(data, "\n")
	tests := []struct {
		name string
		data string
		want string
	}{
		{"empty", "", "no header"},
		{"foreign", "{\"format\":\"awsidc-snapshot\",\"version\":1}\n", `format "awsidc-snapshot"`},
		{"other format", strings.Replace(data, JournalFormat, "other-journal", 1), "format"},
		{"newer version", strings.Replace(data, `"version":1`, `"version":2`, 1), "version 2"},
		{"edited outcome", strings.Replace(data, `"outcome":"done"`, `"outcome":"failed"`, 1),
			"checksum"},
		{"edited action", strings.Replace(data, `"u2"`, `"u3"`, 1), "checksum"},
		{"unknown field", strings.Replace(data, `"seq":2,`, `"seq":2,"x":1,`, 1), "unknown field"},
		{"entry removed", lines[0] + lines[1] + lines[3] + lines[4], "sequence"},
		{"entries swapped", lines[0] + lines[2] + lines[1] + lines[3] + lines[4], "sequence"},
		{"header only edited", strings.Replace(data, "ssoins-1111", "ssoins-2222", 1),
			"line 1: checksum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJournal(strings.NewReader(tt.data))
			require.ErrorIs(t, err, ErrBadFile)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestOpenJournalResumesAFileAndRefusesAnotherInstance(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.csv.journal")
	data := sampleJournal(t)
	// The run stopped while writing a fifth entry.
	require.NoError(t, os.WriteFile(path, append(data, `{"seq":5,"ti`...), 0o600))

	j, err := OpenJournal(path, journalInstance)
	require.NoError(t, err)
	require.NoError(t, j.append(JournalEntry{Phase: PhaseOutcome, ActionID: "suspend|u2",
		Outcome: OutcomeDone}))
	require.NoError(t, j.Close())

	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	log, err := ReadJournal(f)
	require.NoError(t, err)
	assert.False(t, log.Torn, "the torn line was cut before appending")
	assert.Len(t, log.Entries, 5)
	assert.Equal(t, OutcomeDone, log.States()["suspend|u2"].Outcome)

	_, err = OpenJournal(path, "arn:aws:sso:::instance/ssoins-2222222222222222")
	assert.ErrorIs(t, err, ErrBadFile)

	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

func TestOpenJournalStartsAnewAfterATornHeader(t *testing.T) {
	data := sampleJournal(t)
	header, _, _ := bytes.Cut(data, []byte("\n"))
	for _, tt := range []struct {
		name string
		torn []byte
	}{
		{"half a header", header[:len(header)/2]},
		{"a header without its newline", header},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJournal(bytes.NewReader(tt.torn))
			require.ErrorIs(t, err, ErrBadFile, "nothing to read")

			path := filepath.Join(t.TempDir(), "decisions.csv.journal")
			require.NoError(t, os.WriteFile(path, tt.torn, 0o600))
			j, err := OpenJournal(path, journalInstance)
			require.NoError(t, err)
			require.NoError(t, j.append(JournalEntry{Phase: PhaseOutcome,
				ActionID: "suspend|u2", Outcome: OutcomeDone}))
			require.NoError(t, j.Close())

			b, err := os.ReadFile(path)
			require.NoError(t, err)
			log, err := ReadJournal(bytes.NewReader(b))
			require.NoError(t, err)
			assert.Equal(t, journalInstance, log.InstanceARN)
			assert.False(t, log.Torn)
			assert.Len(t, log.Entries, 1)
		})
	}
}

func TestJournalRefusesWritesAfterAFailure(t *testing.T) {
	m := &memJournal{failAfter: 1}
	j, err := NewJournal(m, nil, journalInstance)
	require.NoError(t, err)
	e := JournalEntry{Phase: PhaseOutcome, ActionID: "x", Outcome: OutcomeDone}
	require.ErrorIs(t, j.append(e), errCrash)
	m.failAfter = -1
	require.ErrorIs(t, j.append(e), errCrash, "a journal with a lost write stays failed")
}

func FuzzReadJournal(f *testing.F) {
	data := sampleJournal(f)
	f.Add(data)
	f.Add(data[:len(data)-10])
	f.Add([]byte(strings.SplitAfter(string(data), "\n")[0]))
	f.Add([]byte("{}\n{}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		log, err := ReadJournal(bytes.NewReader(data))
		if err != nil {
			require.ErrorIs(t, err, ErrBadFile)
			return
		}
		// What is accepted folds into states and can be appended to.
		log.States()
		Undo(log)
		m := &memJournal{failAfter: -1}
		m.buf.Write(data[:log.size])
		j, err := NewJournal(m, log, log.InstanceARN)
		require.NoError(t, err)
		require.NoError(t, j.append(JournalEntry{Phase: PhaseOutcome, ActionID: "fuzz",
			Outcome: OutcomeFailed}))
		again, err := ReadJournal(bytes.NewReader(m.buf.Bytes()))
		require.NoError(t, err)
		assert.Len(t, again.Entries, len(log.Entries)+1)
	})
}
