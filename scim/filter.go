package scim

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Attributes AWS accepts in filters.
const (
	AttrUserName    = "userName"
	AttrExternalID  = "externalId"
	AttrDisplayName = "displayName"
	AttrGroupsValue = "groups.value"
	AttrMemberValue = "members.value"
	AttrID          = "id"
)

// Filter is a SCIM filter built from eq comparisons joined with and, the only forms AWS
// supports. Values are quoted as JSON strings, so quotes, backslashes, control
// characters and non-ASCII text survive. The zero Filter matches everything.
type Filter struct {
	expr string
	err  error
}

// Eq returns the filter `attr eq "value"`. attr must be an attribute path as RFC 7644
// defines it, such as "userName", "groups.value" or a schema URN followed by ":name";
// otherwise the filter carries an error that any request using it returns.
func Eq(attr, value string) Filter {
	if !validAttrPath(attr) {
		return Filter{err: fmt.Errorf("scim: invalid filter attribute %q", attr)}
	}
	return Filter{expr: attr + " eq " + quote(value)}
}

// And joins filters with and. Empty filters are skipped; an error in any of them is
// carried.
func And(filters ...Filter) Filter {
	var parts []string
	for _, f := range filters {
		if f.err != nil {
			return f
		}
		if f.expr != "" {
			parts = append(parts, f.expr)
		}
	}
	return Filter{expr: strings.Join(parts, " and ")}
}

// String returns the filter's text, not URL-encoded; "" for the zero Filter or one that
// carries an error.
func (f Filter) String() string { return f.expr }

// Err returns the error the filter carries, if it was built from an invalid attribute.
func (f Filter) Err() error { return f.err }

// quote writes s as a JSON string. It differs from encoding/json in two ways that some
// SCIM filter parsers need: \u escapes use upper-case hex digits, and <, > and & are
// left as they are. Invalid UTF-8 becomes U+FFFD.
func quote(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, string(utf8.RuneError)) {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hex[r>>4])
				b.WriteByte(hex[r&0xF])
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// validAttrPath reports whether p is [URI ":"] ATTRNAME ["." ATTRNAME], with
// ATTRNAME = ALPHA *(ALPHA / DIGIT / "-" / "_").
func validAttrPath(p string) bool {
	if i := strings.LastIndexByte(p, ':'); i >= 0 {
		for _, seg := range strings.Split(p[:i], ":") {
			if seg == "" || strings.Trim(seg, uriChars) != "" {
				return false
			}
		}
		p = p[i+1:]
	}
	name, sub, hasSub := strings.Cut(p, ".")
	if !validAttrName(name) {
		return false
	}
	return !hasSub || validAttrName(sub)
}

const uriChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-."

func validAttrName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
