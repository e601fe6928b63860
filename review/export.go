package review

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/awsidc/awsidc/permissions"
)

// Format is an export format.
type Format string

// Export formats. Their shapes are a contract that tools and spreadsheets
// rely on; see the README.
const (
	FormatTable Format = "table"
	FormatCSV   Format = "csv"
	FormatJSON  Format = "json"
	FormatJSONL Format = "jsonl"
)

// Formats lists every export format.
var Formats = []Format{FormatTable, FormatCSV, FormatJSON, FormatJSONL}

// ParseFormat returns the format named s, or an error listing the formats.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("review: unknown format %q, want one of table, csv, json, jsonl", s)
}

// CSVHeader is the header row of the CSV export: the scalar fields of an
// access row in order, then its paths.
var CSVHeader = []string{"user_id", "user_name", "display_name", "user_status", "account_id",
	"account_name", "account_state", "permission_set_arn", "permission_set_name", "via"}

// Export writes the effective access of s that f keeps, in format.
//
// The JSON document carries the snapshot's instance, time and counts (access
// counts the rows written), the rows, and the orphaned assignments; when the
// snapshot is incomplete it also lists what could not be read under
// "unread". JSONL writes one row per line; CSV a header then one row per
// line; table aligned columns for a terminal.
func Export(w io.Writer, format Format, s *Snapshot, f Filter) error {
	rows := s.Access(f)
	switch format {
	case FormatJSON:
		return writeJSONDocument(w, s, rows)
	case FormatJSONL:
		return writeJSONL(w, rows, nil)
	case FormatCSV:
		return writeCSV(w, rows, nil, nil)
	case FormatTable:
		if err := writeTable(w, rows, nil); err != nil {
			return err
		}
		return writeIncomplete(w, s.Unread)
	}
	return fmt.Errorf("review: unknown format %q", format)
}

// writeIncomplete ends a table with a warning when reads were denied.
func writeIncomplete(w io.Writer, unread []Unread) error {
	if len(unread) == 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "\nWARNING: incomplete: %d reads were denied, so access may be "+
		"missing from this table; the json format lists them under \"unread\"\n", len(unread))
	return err
}

type document struct {
	GeneratedAt     time.Time                `json:"generated_at"`
	InstanceARN     string                   `json:"instance_arn"`
	IdentityStoreID string                   `json:"identity_store_id"`
	Counts          Counts                   `json:"counts"`
	Unread          []Unread                 `json:"unread,omitempty"`
	Access          json.RawMessage          `json:"access"`
	Orphaned        []permissions.Assignment `json:"orphaned_assignments"`
}

// accessPlaceholder stands where the streamed rows go in the document.
const accessPlaceholder = `"\u0000rows\u0000"`

func writeJSONDocument(w io.Writer, s *Snapshot, rows iter.Seq[Access]) error {
	counts := s.partCounts()
	for range rows {
		counts.Access++
	}
	doc := document{
		GeneratedAt:     s.TakenAt,
		InstanceARN:     s.InstanceARN,
		IdentityStoreID: s.IdentityStoreID,
		Counts:          counts,
		Unread:          s.Unread,
		Access:          json.RawMessage(accessPlaceholder),
		Orphaned:        s.Anomalies().Orphaned,
	}
	head, err := marshal(doc)
	if err != nil {
		return err
	}
	before, after, _ := strings.Cut(string(head), accessPlaceholder)

	bw := bufio.NewWriter(w)
	bw.WriteString(before)
	bw.WriteString("[")
	n := 0
	for r := range rows {
		b, err := marshal(r)
		if err != nil {
			return err
		}
		if n > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		bw.Write(b)
		n++
	}
	if n > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]")
	bw.WriteString(after)
	bw.WriteString("\n")
	return bw.Flush()
}

// marshal encodes v as compact JSON without escaping <, > and &, which occur
// in names.
func marshal(v any) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}

// writeJSONL writes one row per line; extra, when set, adds fields to each.
func writeJSONL(w io.Writer, rows iter.Seq[Access], extra func(Access) map[string]string) error {
	bw := bufio.NewWriter(w)
	for r := range rows {
		var v any = r
		if extra != nil {
			v = withExtra{r, extra(r)}
		}
		b, err := marshal(v)
		if err != nil {
			return err
		}
		bw.Write(b)
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// withExtra is a row with more fields after its own.
type withExtra struct {
	Access
	extra map[string]string
}

// MarshalJSON writes the row's fields, then the extra ones in key order.
func (w withExtra) MarshalJSON() ([]byte, error) {
	b, err := marshal(w.Access)
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	sb.Write(b[:len(b)-1])
	for _, k := range slices.Sorted(maps.Keys(w.extra)) {
		kb, _ := marshal(k)
		vb, _ := marshal(w.extra[k])
		sb.WriteString(",")
		sb.Write(kb)
		sb.WriteString(":")
		sb.Write(vb)
	}
	sb.WriteString("}")
	return []byte(sb.String()), nil
}

// CSVRecord returns the CSV fields of r, in the order of CSVHeader.
func CSVRecord(r Access) []string {
	return []string{r.UserID, r.UserName, r.DisplayName, string(r.UserStatus), r.AccountID,
		r.AccountName, string(r.AccountState), r.PermissionSetARN, r.PermissionSetName,
		ViaString(r.Via)}
}

// BUG(review): the CSV via column cannot tell a group named "A; GROUP:B"
// from two groups A and B; the json and jsonl formats carry each path with
// its group id.

// ViaString renders paths as the CSV export does: "USER" for the direct
// assignment and "GROUP:<group name>" for each group, joined by "; ".
func ViaString(via []Path) string {
	parts := make([]string, len(via))
	for i, p := range via {
		if p.PrincipalType == permissions.PrincipalUser {
			parts[i] = "USER"
		} else {
			parts[i] = "GROUP:" + p.GroupName
		}
	}
	return strings.Join(parts, "; ")
}

// writeCSV writes a header and one record per row; extraHeader and extra add
// columns after the standard ones.
func writeCSV(w io.Writer, rows iter.Seq[Access], extraHeader []string,
	extra func(Access) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string{}, CSVHeader...), extraHeader...)); err != nil {
		return err
	}
	for r := range rows {
		rec := CSVRecord(r)
		if extra != nil {
			rec = append(rec, extra(r)...)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeTable writes aligned columns; control characters in names are
// escaped so that every row stays on one line.
func writeTable(w io.Writer, rows iter.Seq[Access], lead func(Access) string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "USER\tSTATUS\tACCOUNT\tSTATE\tPERMISSION SET\tVIA\n"
	if lead != nil {
		head = "CHANGE\t" + head
	}
	fmt.Fprint(tw, head)
	for r := range rows {
		if lead != nil {
			fmt.Fprintf(tw, "%s\t", lead(r))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n",
			oneLine(r.UserName), r.UserStatus,
			oneLine(r.AccountID+" "+r.AccountName), r.AccountState,
			oneLine(r.PermissionSetName), oneLine(ViaString(r.Via)))
	}
	return tw.Flush()
}

func oneLine(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, r)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
