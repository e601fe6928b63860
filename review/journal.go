package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/awsidc/awsidc/permissions"
)

// JournalFormat and JournalVersion identify journal files. A file of
// another format or a newer version is refused.
const (
	JournalFormat  = "awsidc-journal"
	JournalVersion = 1
)

// maxJournalBytes bounds what ReadJournal reads.
const maxJournalBytes = 1 << 30

// JournalPhase is the step of an action a journal entry records.
type JournalPhase string

// Journal phases, in the order an action goes through them.
const (
	// PhasePlanned is written before the call, with the whole action.
	PhasePlanned JournalPhase = "planned"
	// PhaseSubmitted is written once AWS accepted the call; for an
	// assignment it holds the operation and its request id.
	PhaseSubmitted JournalPhase = "submitted"
	// PhaseOutcome is written with the action's outcome.
	PhaseOutcome JournalPhase = "outcome"
)

// JournalEntry is one line of a journal after its header.
type JournalEntry struct {
	Seq       int                    `json:"seq"`
	Time      time.Time              `json:"time"`
	Phase     JournalPhase           `json:"phase"`
	ActionID  string                 `json:"action_id"`
	Action    *Action                `json:"action,omitempty"`
	Operation *permissions.Operation `json:"operation,omitempty"`
	Outcome   OutcomeKind            `json:"outcome,omitempty"`
	Reason    string                 `json:"reason,omitempty"`
	// Sum chains the entry to the one before: the SHA-256 of the previous
	// sum and this entry without its sum.
	Sum string `json:"sum,omitempty"`
}

type journalHeader struct {
	Format      string    `json:"format"`
	Version     int       `json:"version"`
	InstanceARN string    `json:"instance_arn"`
	CreatedAt   time.Time `json:"created_at"`
	Sum         string    `json:"sum,omitempty"`
}

// JournalLog is a journal as read from a file.
type JournalLog struct {
	InstanceARN string
	CreatedAt   time.Time
	Entries     []JournalEntry
	// Torn reports that the last line was incomplete, as when a run stops
	// while writing it, and was dropped.
	Torn bool

	size int64  // bytes of the whole lines
	sum  string // the last entry's sum
}

// ActionState is what a journal says of one action: its last phase, the
// operation AWS started, and its outcome once known.
type ActionState struct {
	Action    *Action
	Phase     JournalPhase
	Operation *permissions.Operation
	Outcome   OutcomeKind
	Reason    string
}

// States folds the entries into the state of each action, by action ID.
func (l *JournalLog) States() map[string]ActionState {
	states := map[string]ActionState{}
	for _, e := range l.Entries {
		states[e.ActionID] = foldEntry(states[e.ActionID], e)
	}
	return states
}

func foldEntry(st ActionState, e JournalEntry) ActionState {
	st.Phase = e.Phase
	switch e.Phase {
	case PhasePlanned:
		st.Action = e.Action
		st.Operation, st.Outcome, st.Reason = nil, "", ""
	case PhaseSubmitted:
		st.Operation = e.Operation
		st.Outcome, st.Reason = "", ""
	case PhaseOutcome:
		st.Outcome, st.Reason = e.Outcome, e.Reason
		if e.Operation != nil {
			st.Operation = e.Operation
		}
	}
	return st
}

// chainSum returns the sum of v (whose sum field is empty) after prev.
func chainSum(prev string, v any) (string, error) {
	b, err := marshal(v)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte("\n"))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// errTornHeader marks a journal whose only line, the header, is incomplete:
// the run that created it stopped before anything was done.
var errTornHeader = errors.New("the header line is incomplete")

func badJournal(format string, args ...any) error {
	return fmt.Errorf("review: journal: %w: %s", ErrBadFile, fmt.Sprintf(format, args...))
}

// ReadJournal reads a journal. A last line without its newline is the trace
// of a run stopped mid-write: it is dropped and Torn is set. Any other
// damage (an edited, reordered, removed or foreign line, an unknown
// version) gives an error matching [ErrBadFile].
func ReadJournal(r io.Reader) (*JournalLog, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxJournalBytes+1))
	if err != nil {
		return nil, fmt.Errorf("review: journal: %w", err)
	}
	if len(data) > maxJournalBytes {
		return nil, badJournal("larger than %d bytes", maxJournalBytes)
	}
	l := &JournalLog{}
	if i := bytes.LastIndexByte(data, '\n'); i+1 < len(data) {
		l.Torn = true
		data = data[:i+1]
	}
	l.size = int64(len(data))
	if len(data) == 0 && l.Torn {
		return nil, fmt.Errorf("%w: %w", badJournal("no header"), errTornHeader)
	}
	if len(data) == 0 {
		return nil, badJournal("no header")
	}

	lines := bytes.Split(data[:len(data)-1], []byte("\n"))
	var h journalHeader
	if err := strictUnmarshal(lines[0], &h); err != nil {
		return nil, badJournal("line 1: not a journal (%v)", err)
	}
	if h.Format != JournalFormat {
		return nil, badJournal("format %q, want %q", h.Format, JournalFormat)
	}
	if h.Version < 1 || h.Version > JournalVersion {
		return nil, badJournal("version %d, this library reads up to %d", h.Version,
			JournalVersion)
	}
	sum := h.Sum
	h.Sum = ""
	if want, err := chainSum("", h); err != nil || want != sum {
		return nil, badJournal("line 1: checksum mismatch")
	}
	l.InstanceARN, l.CreatedAt, l.sum = h.InstanceARN, h.CreatedAt, sum

	for i, line := range lines[1:] {
		n := i + 2
		var e JournalEntry
		if err := strictUnmarshal(line, &e); err != nil {
			return nil, badJournal("line %d: %v", n, err)
		}
		if e.Seq != i+1 {
			return nil, badJournal("line %d: sequence %d, want %d", n, e.Seq, i+1)
		}
		if err := checkEntry(e); err != nil {
			return nil, badJournal("line %d: %v", n, err)
		}
		got := e.Sum
		e.Sum = ""
		want, err := chainSum(l.sum, e)
		if err != nil || want != got {
			return nil, badJournal("line %d: checksum mismatch: the journal was edited", n)
		}
		e.Sum = got
		l.sum = got
		l.Entries = append(l.Entries, e)
	}
	return l, nil
}

// checkEntry checks the fields an entry of its phase needs.
func checkEntry(e JournalEntry) error {
	switch {
	case e.ActionID == "":
		return errors.New("no action id")
	case e.Phase == PhasePlanned && (e.Action == nil || e.Action.ID != e.ActionID):
		return errors.New("planned entry without its action")
	case e.Phase == PhaseOutcome && !e.Outcome.known():
		return fmt.Errorf("unknown outcome %q", e.Outcome)
	case e.Phase != PhasePlanned && e.Phase != PhaseSubmitted && e.Phase != PhaseOutcome:
		return fmt.Errorf("unknown phase %q", e.Phase)
	}
	return nil
}

func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// JournalWriter is where a [Journal] appends: *os.File implements it.
type JournalWriter interface {
	io.Writer
	// Sync flushes what was written to stable storage.
	Sync() error
}

// Journal is the durable record of an apply: every entry is written as one
// JSON line and synced to disk before the apply goes on, so that a run
// stopped at any point can be resumed. It is safe for concurrent use.
type Journal struct {
	mu     sync.Mutex
	w      JournalWriter
	closer io.Closer
	states map[string]ActionState
	seq    int
	sum    string
	now    func() time.Time
	err    error // the first write error; the journal refuses writes after it
}

// OpenJournal opens the journal at path for the instance instanceARN,
// creating it when absent. An existing journal is read and checked (see
// [ReadJournal]); one of another instance is refused with [ErrBadFile]; a
// torn last line is cut off before appending, and a file holding only a torn
// header, left by a run stopped as it created the journal, is started anew.
func OpenJournal(path, instanceARN string) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("review: journal: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("review: journal: %w", err)
	}
	var prior *JournalLog
	size := st.Size()
	if size > 0 {
		prior, err = ReadJournal(f)
		if errors.Is(err, errTornHeader) {
			prior, err = &JournalLog{}, nil
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if err := f.Truncate(prior.size); err != nil {
			f.Close()
			return nil, fmt.Errorf("review: journal: %w", err)
		}
		if _, err := f.Seek(prior.size, io.SeekStart); err != nil {
			f.Close()
			return nil, fmt.Errorf("review: journal: %w", err)
		}
		size = prior.size
	} else {
		syncDir(path)
	}
	if size == 0 {
		prior = nil
	}
	j, err := NewJournal(f, prior, instanceARN)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	j.closer = f
	return j, nil
}

// syncDir makes a new file's directory entry durable; errors are ignored,
// as some systems cannot sync directories.
func syncDir(path string) {
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// NewJournal returns a journal appending to w. prior is what w already
// holds (nil when w is empty: a header is written first); a prior journal
// of another instance is refused with [ErrBadFile].
func NewJournal(w JournalWriter, prior *JournalLog, instanceARN string) (*Journal, error) {
	j := &Journal{w: w, states: map[string]ActionState{},
		now: func() time.Time { return time.Now().UTC() }}
	if prior != nil {
		if prior.InstanceARN != instanceARN {
			return nil, badJournal("written for instance %s, not %s", prior.InstanceARN,
				instanceARN)
		}
		j.states = prior.States()
		j.seq = len(prior.Entries)
		j.sum = prior.sum
		return j, nil
	}
	h := journalHeader{Format: JournalFormat, Version: JournalVersion,
		InstanceARN: instanceARN, CreatedAt: j.now()}
	sum, err := chainSum("", h)
	if err != nil {
		return nil, err
	}
	h.Sum = sum
	if err := j.writeLine(h); err != nil {
		return nil, err
	}
	j.sum = sum
	return j, nil
}

// State returns what the journal says of the action with id.
func (j *Journal) State(id string) (ActionState, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	st, ok := j.states[id]
	return st, ok
}

// States returns the state of every action in the journal, by action ID.
func (j *Journal) States() map[string]ActionState {
	j.mu.Lock()
	defer j.mu.Unlock()
	return maps.Clone(j.states)
}

// append writes e durably. After a failed write every later one fails.
func (j *Journal) append(e JournalEntry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	e.Seq = j.seq + 1
	e.Time = j.now()
	e.Sum = ""
	sum, err := chainSum(j.sum, e)
	if err != nil {
		return err
	}
	e.Sum = sum
	if err := j.writeLine(e); err != nil {
		j.err = err
		return err
	}
	j.seq, j.sum = e.Seq, sum
	j.states[e.ActionID] = foldEntry(j.states[e.ActionID], e)
	return nil
}

func (j *Journal) writeLine(v any) error {
	b, err := marshal(v)
	if err != nil {
		return fmt.Errorf("review: journal: %w", err)
	}
	if _, err := j.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("review: journal: write: %w", err)
	}
	if err := j.w.Sync(); err != nil {
		return fmt.Errorf("review: journal: sync: %w", err)
	}
	return nil
}

// Close closes the file of a journal opened with [OpenJournal].
func (j *Journal) Close() error {
	if j.closer == nil {
		return nil
	}
	return j.closer.Close()
}
