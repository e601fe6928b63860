package review

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// SnapshotFormat and SnapshotVersion identify snapshot files. A file of
// another format or a newer version is refused.
const (
	SnapshotFormat  = "awsidc-snapshot"
	SnapshotVersion = 1
)

// maxSnapshotBytes bounds what Load reads (uncompressed), so a hostile file
// cannot exhaust memory. A snapshot of AWS's recommended maximum
// organisation (50,000 users, 500,000 memberships) takes about 150 MiB.
const maxSnapshotBytes = 1 << 30

// ErrBadFile is matched by errors.Is when a snapshot, decision or journal
// file is truncated, edited, of another kind or of an unknown version.
var ErrBadFile = errors.New("file refused")

type snapshotFile struct {
	Format   string          `json:"format"`
	Version  int             `json:"version"`
	SHA256   string          `json:"sha256"`
	Snapshot json.RawMessage `json:"snapshot"`
}

// Save writes s as a versioned JSON file with a checksum of its content,
// gzip-compressed when compress is true.
func (s *Snapshot) Save(w io.Writer, compress bool) error {
	body, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("review: encode snapshot: %w", err)
	}
	sum := sha256.Sum256(body)
	file := snapshotFile{Format: SnapshotFormat, Version: SnapshotVersion,
		SHA256: hex.EncodeToString(sum[:]), Snapshot: body}

	var gz *gzip.Writer
	if compress {
		gz = gzip.NewWriter(w)
		w = gz
	}
	bw := bufio.NewWriter(w)
	if err := json.NewEncoder(bw).Encode(file); err != nil {
		return fmt.Errorf("review: write snapshot: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("review: write snapshot: %w", err)
	}
	if gz != nil {
		if err := gz.Close(); err != nil {
			return fmt.Errorf("review: write snapshot: %w", err)
		}
	}
	return nil
}

// Load reads a snapshot written by [Snapshot.Save], compressed or not. A
// file that is truncated, edited, of another kind or of an unknown version
// gives an error matching [ErrBadFile].
func Load(r io.Reader) (*Snapshot, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("review: snapshot: %w: %v", ErrBadFile, err)
		}
		defer gz.Close()
		br = bufio.NewReader(gz)
	}
	data, err := io.ReadAll(io.LimitReader(br, maxSnapshotBytes+1))
	if err != nil {
		return nil, fmt.Errorf("review: snapshot: %w: %v", ErrBadFile, err)
	}
	if len(data) > maxSnapshotBytes {
		return nil, fmt.Errorf("review: snapshot: %w: larger than %d bytes", ErrBadFile,
			maxSnapshotBytes)
	}

	var file snapshotFile
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("review: snapshot: %w: not a snapshot file (%v)", ErrBadFile, err)
	}
	switch {
	case file.Format != SnapshotFormat:
		return nil, fmt.Errorf("review: snapshot: %w: format %q, want %q", ErrBadFile,
			file.Format, SnapshotFormat)
	case file.Version < 1 || file.Version > SnapshotVersion:
		return nil, fmt.Errorf("review: snapshot: %w: version %d, this library reads up to %d",
			ErrBadFile, file.Version, SnapshotVersion)
	}
	sum := sha256.Sum256(file.Snapshot)
	if hex.EncodeToString(sum[:]) != file.SHA256 {
		return nil, fmt.Errorf("review: snapshot: %w: checksum mismatch, the file was changed "+
			"or damaged", ErrBadFile)
	}
	if !bytes.HasPrefix(bytes.TrimSpace(file.Snapshot), []byte("{")) {
		return nil, fmt.Errorf("review: snapshot: %w: no snapshot in the file", ErrBadFile)
	}
	var s Snapshot
	if err := json.Unmarshal(file.Snapshot, &s); err != nil {
		return nil, fmt.Errorf("review: snapshot: %w: %v", ErrBadFile, err)
	}
	return &s, nil
}
