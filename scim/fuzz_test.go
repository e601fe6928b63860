package scim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func FuzzDecodeError(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{409, `{"schema":["` + SchemaError + `"],"schemas":["` + SchemaError + `"],` +
			`"detail":"Refused to create a new, duplicate resource.","status":"409",` +
			`"exceptionRequestId":"81abca44","timeStamp":"2022-03-18 10:57:08.014"}`},
		{404, `{"schema":["` + SchemaError + `"],` +
			`"detail":"TENANT does not exist.","status":"404"}`},
		{400, `{"schemas":["` + SchemaError + `"],"scimType":"invalidFilter","status":400}`},
		{401, `{"detail":"` + testToken + `"}`},
		{502, "<html>bad gateway</html>"},
		{500, ""},
		{429, `{"detail":null,"status":[1,2]}`},
		{400, "\xff\xfe\x00"},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body), "3")
	}
	f.Fuzz(func(t *testing.T, status int, body []byte, retry string) {
		h := http.Header{}
		h.Set("Retry-After", retry)
		e := decodeError("GET", "/Users", status, h, body, testToken)
		require.NotNil(t, e)
		assert.Equal(t, status, e.StatusCode)
		msg := e.Error()
		assert.NotContains(t, msg, testToken)
		assert.True(t, utf8.ValidString(msg))
		assert.LessOrEqual(t, len(e.Detail), maxDetail+len("…"))
		assert.GreaterOrEqual(t, e.RetryAfter, time.Duration(0))
		for _, r := range e.Detail {
			assert.False(t, r < 0x20, "control character in detail")
		}
	})
}

func FuzzDecodeListResponse(f *testing.F) {
	seeds := []string{
		`{"totalResults":1,"itemsPerPage":1,"startIndex":1,"schemas":["` +
			SchemaListResponse + `"],"Resources":[{"id":"9067729b3d-1","userName":"a",` +
			`"name":{"givenName":"A","familyName":"B"},"emails":[{"value":"a@x",` +
			`"type":"work","primary":true}],"active":true}]}`,
		`{"itemsPerPage":2,"nextCursor":"Q3Vyc29yUGFnZTI=","schemas":["` +
			SchemaListResponse + `"],"Resources":[{"id":"1"},{"id":"2"}]}`,
		`{"Resources":[{"id":"1","emails":[]}]}`,
		`{"Resources":[{"id":"1","emails":[{"value":"x"}]}]}`,
		`{"totalResults":0}`,
		`{"resources":null}`,
		`{"Resources":[{"id":"g","displayName":"G","members":[]}]}`,
		`[]`,
		`{"Resources":[{"id":1}]}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var users listResponse[User]
		uerr := decode("GET", "/Users", body, &users)
		var groups listResponse[Group]
		_ = decode("GET", "/Groups", body, &groups)
		if uerr != nil {
			assert.Contains(t, uerr.Error(), "decode response")
			return
		}
		// Whatever decoded, paging decisions must not panic and must progress.
		p := pager{count: 100}
		fresh := len(users.Resources)
		more, err := p.advance(users.NextCursor, users.TotalResults, users.StartIndex,
			len(users.Resources), fresh)
		if err == nil && more {
			assert.True(t, p.cursor != "" || p.startIndex > 1)
		}
		for _, u := range users.Resources {
			_ = u.PrimaryEmail()
		}
	})
}

func FuzzFilter(f *testing.F) {
	for _, s := range []string{"alice@example.com", `o"brien`, `a\b`, "a+b c", "\x00\x1f\x7f",
		"Zoë 日本", "\xff", "", "\u2028", `\u00e9`, "eq \"x\" or true"} {
		f.Add("userName", s, "g-1")
	}
	f.Add("groups.value", "x", "y")
	f.Add(SchemaEnterpriseUser+":manager.value", "m", "n")
	f.Add("bad attr", "x", "y")
	f.Fuzz(func(t *testing.T, attr, value, other string) {
		fl := And(Eq(attr, value), Eq("members.value", other))
		if fl.Err() != nil {
			assert.False(t, validAttrPath(attr))
			return
		}
		values := []string{strings.ToValidUTF8(value, "\uFFFD"),
			strings.ToValidUTF8(other, "\uFFFD")}
		assertParsesBack(t, fl.String(), []string{attr, "members.value"}, values)

		p := pager{filter: fl.String(), count: 10}
		q, err := parseQuery(p.query())
		require.NoError(t, err)
		assert.Equal(t, fl.String(), q.Get("filter"), "the filter survives URL encoding")
	})
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "a", `"\`, "\x00\n\u007f\u2028", "\xc3\x28", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := quote(s)
		var back string
		require.NoError(t, json.Unmarshal([]byte(q), &back), "quote(%q) = %s", s, q)
		assert.Equal(t, strings.ToValidUTF8(s, "\uFFFD"), back)
	})
}
