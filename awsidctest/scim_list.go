package awsidctest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

func pathUnescape(s string) (string, error) { return url.PathUnescape(s) }

// scimTerm is one `attr eq "value"` of a filter.
type scimTerm struct {
	attr  string // lower-cased
	value string
}

// parseSCIMFilter reads `attr eq "value" [and attr eq "value"]...`, the only form
// AWS accepts. Values are JSON strings.
func parseSCIMFilter(f string) ([]scimTerm, bool) {
	var terms []scimTerm
	rest := strings.TrimSpace(f)
	for {
		attr, after, ok := strings.Cut(rest, " ")
		if !ok || attr == "" {
			return nil, false
		}
		after = strings.TrimLeft(after, " ")
		op, after, ok := strings.Cut(after, " ")
		if !ok || !strings.EqualFold(op, "eq") {
			return nil, false
		}
		after = strings.TrimLeft(after, " ")
		value, n, ok := scanJSONString(after)
		if !ok {
			return nil, false
		}
		terms = append(terms, scimTerm{attr: strings.ToLower(attr), value: value})
		rest = strings.TrimLeft(after[n:], " ")
		if rest == "" {
			return terms, true
		}
		and, after2, ok := strings.Cut(rest, " ")
		if !ok || !strings.EqualFold(and, "and") {
			return nil, false
		}
		rest = strings.TrimLeft(after2, " ")
	}
}

// scanJSONString decodes the JSON string at the start of s and returns its length.
func scanJSONString(s string) (string, int, bool) {
	if !strings.HasPrefix(s, `"`) {
		return "", 0, false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			var v string
			if json.Unmarshal([]byte(s[:i+1]), &v) != nil {
				return "", 0, false
			}
			return v, i + 1, true
		}
	}
	return "", 0, false
}

// termsMatch reports whether terms name exactly the attributes of want, in any order.
func termsMatch(terms []scimTerm, want ...string) (map[string]string, bool) {
	if len(terms) != len(want) {
		return nil, false
	}
	got := map[string]string{}
	for _, t := range terms {
		got[t.attr] = t.value
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			return nil, false
		}
	}
	return got, true
}

// scimPager is one listing: it returns up to n resources after seq after.
type scimPager func(after uint64, n int) (items []any, last uint64, more bool, err error)

// listPage reads cursor, count and the filter's kind from q and answers one page.
func (s *SCIMServer) listPage(q url.Values, kind string, p scimPager) (int, any, error) {
	count := scimMaxPage
	if c := q.Get("count"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 || n > scimMaxPage {
			return 0, nil, scimErr(http.StatusBadRequest, scimUnparsable)
		}
		count = n
	}
	if s.opts.pageCap > 0 {
		count = min(count, s.opts.pageCap)
	}
	key := kind + "\x00" + q.Get("filter")

	cursor, paging := q["cursor"]
	if !paging {
		items, _, _, err := p(0, count)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, map[string]any{
			"totalResults": len(items), "itemsPerPage": len(items), "startIndex": 1,
			"schemas": []string{scimSchemaList}, "Resources": nonNilItems(items),
		}, nil
	}

	var after uint64
	if c := cursor[0]; c != "" {
		var ok bool
		if after, ok = decodeSCIMCursor(c, key); !ok {
			return 0, nil, scimErr(http.StatusBadRequest, scimUnparsable)
		}
	} else if count > 1 {
		count-- // AWS may answer fewer than count with a nextCursor
	}
	items, last, more, err := p(after, count)
	if err != nil {
		return 0, nil, err
	}
	body := map[string]any{
		"itemsPerPage": len(items), "schemas": []string{scimSchemaList},
		"Resources": nonNilItems(items),
	}
	if more {
		body["nextCursor"] = encodeSCIMCursor(last, key)
	}
	return http.StatusOK, body, nil
}

func nonNilItems(items []any) []any {
	if items == nil {
		return []any{}
	}
	return items
}

// A cursor is base64 of the listing's key and the last seq, so that it cannot be used
// with another filter.
func encodeSCIMCursor(last uint64, key string) string {
	return base64.StdEncoding.EncodeToString([]byte(strconv.FormatUint(last, 10) + "\x00" + key))
}

func decodeSCIMCursor(c, key string) (uint64, bool) {
	raw, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	seq, k, ok := strings.Cut(string(raw), "\x00")
	if !ok || k != key {
		return 0, false
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	return n, err == nil
}

func (s *SCIMServer) listUsers(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	st := s.org.s
	userPage := func(keep func(string) bool) scimPager {
		return func(after uint64, n int) ([]any, uint64, bool, error) {
			users, last, more := st.pageUsers(after, n, func(u *idtypes.User) bool {
				return keep == nil || keep(deref(u.UserId))
			})
			items := make([]any, len(users))
			for i := range users {
				items[i] = scimUserOut(&users[i])
			}
			return items, last, more, nil
		}
	}

	f := q.Get("filter")
	if f == "" {
		return s.listPage(q, "users", userPage(nil))
	}
	terms, ok := parseSCIMFilter(f)
	if !ok {
		return 0, nil, scimErr(http.StatusBadRequest, scimUnparsable)
	}
	if v, ok := termsMatch(terms, "username"); ok {
		id, found := st.userIDByName(v["username"])
		return s.listPage(q, "users", userPage(func(x string) bool { return found && x == id }))
	}
	if v, ok := termsMatch(terms, "externalid"); ok {
		id, found := st.userIDByExternalID(ExternalIDIssuer, v["externalid"])
		return s.listPage(q, "users", userPage(func(x string) bool { return found && x == id }))
	}
	if v, ok := termsMatch(terms, "groups.value"); ok {
		gid := v["groups.value"]
		return s.listPage(q, "users", func(after uint64, n int) ([]any, uint64, bool, error) {
			ms, last, more, err := st.pageGroupMembers(gid, after, n)
			if err != nil {
				return nil, 0, false, nil // an unknown group has no members
			}
			items := make([]any, 0, len(ms))
			for _, m := range ms {
				if u, err := st.user(m.userID); err == nil {
					items = append(items, scimUserOut(&u))
				}
			}
			return items, last, more, nil
		})
	}
	if _, ok := termsMatch(terms, "id", "manager"); ok {
		// The enterprise manager is not stored, so no user has one.
		return s.listPage(q, "users", userPage(func(string) bool { return false }))
	}
	return 0, nil, scimErr(http.StatusBadRequest, scimUnparsable)
}

func (s *SCIMServer) listGroups(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	st := s.org.s
	groupPage := func(keep func(string) bool) scimPager {
		return func(after uint64, n int) ([]any, uint64, bool, error) {
			groups, last, more := st.pageGroups(after, n, func(g *idtypes.Group) bool {
				return keep == nil || keep(deref(g.GroupId))
			})
			items := make([]any, len(groups))
			for i := range groups {
				items[i] = scimGroupOut(&groups[i])
			}
			return items, last, more, nil
		}
	}

	f := q.Get("filter")
	if f == "" {
		return s.listPage(q, "groups", groupPage(nil))
	}
	terms, ok := parseSCIMFilter(f)
	if !ok {
		return 0, nil, scimErr(http.StatusBadRequest, scimUnparsable)
	}
	if v, ok := termsMatch(terms, "displayname"); ok {
		id, found := st.groupIDByName(v["displayname"])
		return s.listPage(q, "groups", groupPage(func(x string) bool { return found && x == id }))
	}
	if v, ok := termsMatch(terms, "externalid"); ok {
		id, found := st.groupIDByExternalID(ExternalIDIssuer, v["externalid"])
		return s.listPage(q, "groups", groupPage(func(x string) bool { return found && x == id }))
	}
	if v, ok := termsMatch(terms, "members.value"); ok {
		uid := v["members.value"]
		if !st.userExists(uid) {
			return 0, nil, scimErr(http.StatusNotFound, "User not found.")
		}
		return s.listPage(q, "groups", func(after uint64, n int) ([]any, uint64, bool, error) {
			ms, last, more, err := st.pageUserGroups(uid, after, n)
			if err != nil {
				return nil, 0, false, err
			}
			items := make([]any, 0, len(ms))
			for _, m := range ms {
				if g, err := st.group(m.groupID); err == nil {
					items = append(items, scimGroupOut(&g))
				}
			}
			return items, last, more, nil
		})
	}
	for _, member := range []string{"members", "member"} {
		if v, ok := termsMatch(terms, "id", member); ok {
			gid, uid := v["id"], v[member]
			if !st.userExists(uid) {
				return 0, nil, scimErr(http.StatusNotFound, "User not found.")
			}
			_, in := st.membershipOf(gid, uid)
			return s.listPage(q, "groups", groupPage(func(x string) bool { return in && x == gid }))
		}
	}
	return 0, nil, scimErr(http.StatusBadRequest, scimUnparsable)
}
