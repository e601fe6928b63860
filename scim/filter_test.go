package scim

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	filter "github.com/scim2/filter-parser/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEq(t *testing.T) {
	tests := []struct {
		name  string
		attr  string
		value string
		want  string
	}{
		{"plain", "userName", "alice@example.com", `userName eq "alice@example.com"`},
		{"plus and space", "userName", "a+b c@x", `userName eq "a+b c@x"`},
		{"quote", "externalId", `o"brien`, `externalId eq "o\"brien"`},
		{"apostrophe", "userName", "o'brien@x.com", `userName eq "o'brien@x.com"`},
		{"backslash", "displayName", `a\b`, `displayName eq "a\\b"`},
		{"controls", "userName", "a\n\t\x01\x1f", `userName eq "a\n\t\u0001\u001F"`},
		{"html characters stay", "displayName", "<a&b>", `displayName eq "<a&b>"`},
		{"non-ascii", "displayName", "Zoë 日本", `displayName eq "Zoë 日本"`},
		{"invalid utf-8", "userName", "a\xffb", "userName eq \"a\uFFFDb\""},
		{"sub-attribute", "groups.value", "g-1", `groups.value eq "g-1"`},
		{"urn", SchemaEnterpriseUser + ":employeeNumber", "7",
			SchemaEnterpriseUser + `:employeeNumber eq "7"`},
		{"empty value", "userName", "", `userName eq ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Eq(tt.attr, tt.value)
			require.NoError(t, f.Err())
			assert.Equal(t, tt.want, f.String())
			assertParsesBack(t, f.String(), []string{tt.attr},
				[]string{strings.ToValidUTF8(tt.value, "\uFFFD")})
		})
	}
}

func TestEqInvalidAttribute(t *testing.T) {
	for _, attr := range []string{"", "1abc", "user name", `a"b`, "a..b", "a.b.c",
		"urn::x", ":x", "a eq", "a)"} {
		t.Run(attr, func(t *testing.T) {
			f := Eq(attr, "v")
			assert.Error(t, f.Err())
			assert.Empty(t, f.String())
			assert.Error(t, And(Eq("id", "1"), f).Err())
		})
	}
}

func TestAnd(t *testing.T) {
	f := And(Eq("id", "g-1"), Filter{}, Eq("members.value", "u 1"))
	require.NoError(t, f.Err())
	assert.Equal(t, `id eq "g-1" and members.value eq "u 1"`, f.String())
	assertParsesBack(t, f.String(), []string{"id", "members.value"}, []string{"g-1", "u 1"})
	assert.Empty(t, And().String())
}

// assertParsesBack parses expr with an independent SCIM filter parser and checks that
// it is a conjunction of eq comparisons of attrs with values.
func assertParsesBack(t *testing.T, expr string, attrs, values []string) {
	t.Helper()
	parsed, err := filter.ParseFilter([]byte(expr))
	require.NoError(t, err, "parse %s", expr)

	var got []filter.AttributeExpression
	var walk func(e filter.Expression)
	walk = func(e filter.Expression) {
		switch e := e.(type) {
		case *filter.LogicalExpression:
			require.Equal(t, filter.AND, e.Operator)
			walk(e.Left)
			walk(e.Right)
		case *filter.AttributeExpression:
			got = append(got, *e)
		default:
			t.Fatalf("unexpected expression %T in %s", e, expr)
		}
	}
	walk(parsed)

	require.Len(t, got, len(attrs))
	for i, ae := range got {
		assert.Equal(t, attrs[i], ae.AttributePath.String())
		assert.Equal(t, filter.EQ, ae.Operator)
		raw, ok := ae.CompareValue.(string)
		require.True(t, ok, "value is a %T", ae.CompareValue)
		var value string
		require.NoError(t, json.Unmarshal([]byte(`"`+raw+`"`), &value))
		assert.Equal(t, values[i], value)
	}
}

func TestPagerQueryEncoding(t *testing.T) {
	p := pager{filter: Eq("userName", "a+b c\"d@é").String(), count: 100}
	q := p.query()
	assert.True(t, strings.HasPrefix(q, "cursor&"), "first query %q starts with a bare cursor", q)
	assert.NotContains(t, q, "+", "a + in a query decodes as a space")

	values, err := url.ParseQuery(q)
	require.NoError(t, err)
	assert.Equal(t, `userName eq "a+b c\"d@é"`, values.Get("filter"))
	assert.Equal(t, "100", values.Get("count"))
	_, has := values["cursor"]
	assert.True(t, has)

	p.cursor = "Q3Vy+c29y/="
	values, err = url.ParseQuery(p.query())
	require.NoError(t, err)
	assert.Equal(t, "Q3Vy+c29y/=", values.Get("cursor"))

	p.startIndex = 101
	values, err = url.ParseQuery(p.query())
	require.NoError(t, err)
	assert.Equal(t, "101", values.Get("startIndex"))
	assert.NotContains(t, values, "cursor")
}
