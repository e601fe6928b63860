package awsidctest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
)

const scimToken = "fake-scim-token"

// scimCall sends a raw request to the SCIM server and decodes the JSON answer.
func scimCall(t *testing.T, srv *awsidctest.SCIMServer, method, path, body string) (int,
	map[string]any, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL()+strings.TrimPrefix(path, "/"), r)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+scimToken)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	if len(raw) > 0 {
		require.NoError(t, json.Unmarshal(raw, &m), "body %s", raw)
	}
	return resp.StatusCode, m, raw
}

func membersPatch(op string, ids ...string) string {
	vals := make([]string, len(ids))
	for i, id := range ids {
		vals[i] = fmt.Sprintf(`{"value":%q}`, id)
	}
	return fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],`+
		`"Operations":[{"op":%q,"path":"members","value":[%s]}]}`, op, strings.Join(vals, ","))
}

func TestSCIMServerQuirks(t *testing.T) {
	org := awsidctest.NewOrg()
	srv := org.SCIMServer(scimToken)
	defer srv.Close()

	gid, err := org.AddGroup("ops", "")
	require.NoError(t, err)
	var uids []string
	for i := range 101 {
		id, err := org.AddUser(awsidctest.UserSeed{UserName: fmt.Sprintf("u%03d", i)})
		require.NoError(t, err)
		uids = append(uids, id)
	}
	_, err = org.AddMember(gid, uids[0])
	require.NoError(t, err)

	validUser := `{"userName":"new","displayName":"New","name":{"givenName":"N",` +
		`"familyName":"U"},"emails":[{"value":"n@x.com","primary":true}]}`
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		wantStatus int
		wantDetail string
		check      func(t *testing.T, m map[string]any, raw []byte)
	}{
		{name: "group members are never listed", method: "GET", path: "Groups/" + gid,
			wantStatus: 200, check: func(t *testing.T, m map[string]any, _ []byte) {
				assert.Equal(t, []any{}, m["members"])
			}},
		{name: "replace members refused", method: "PATCH", path: "Groups/" + gid,
			body: membersPatch("replace", uids[1]), wantStatus: 400,
			wantDetail: "Replacing group memberships is not supported."},
		{name: "remove all members refused", method: "PATCH", path: "Groups/" + gid,
			body: `{"Operations":[{"op":"remove","path":"members"}]}`, wantStatus: 400,
			wantDetail: "Replacing group memberships is not supported."},
		{name: "more than 100 member changes refused", method: "PATCH", path: "Groups/" + gid,
			body: membersPatch("add", uids...), wantStatus: 400,
			wantDetail: "Request is unparsable, syntactically incorrect, or violates schema."},
		{name: "group patch answers 204 with no body", method: "PATCH", path: "Groups/" + gid,
			body: membersPatch("add", uids[1:100]...), wantStatus: 204,
			check: func(t *testing.T, _ map[string]any, raw []byte) { assert.Empty(t, raw) }},
		{name: "remove by value path", method: "PATCH", path: "Groups/" + gid,
			body: `{"Operations":[{"op":"remove","path":"members[value eq \"` + uids[1] +
				`\"]"}]}`, wantStatus: 204},
		{name: "without cursor: one page, totalResults is its length", method: "GET",
			path: "Users?count=10&startIndex=11", wantStatus: 200,
			check: func(t *testing.T, m map[string]any, _ []byte) {
				assert.EqualValues(t, 10, m["totalResults"])
				assert.EqualValues(t, 1, m["startIndex"])
				assert.Nil(t, m["nextCursor"])
				first := m["Resources"].([]any)[0].(map[string]any)
				assert.Equal(t, "u000", first["userName"], "startIndex is ignored")
			}},
		{name: "bare cursor: a short page with a cursor", method: "GET",
			path: "Users?cursor&count=10", wantStatus: 200,
			check: func(t *testing.T, m map[string]any, _ []byte) {
				assert.Len(t, m["Resources"], 9)
				assert.NotEmpty(t, m["nextCursor"])
				assert.Nil(t, m["totalResults"])
				assert.Regexp(t, `^[-a-zA-Z0-9+=/:_]*$`, m["nextCursor"])
			}},
		{name: "count over 100 refused", method: "GET", path: "Users?cursor&count=101",
			wantStatus: 400},
		{name: "cursor of another filter refused", method: "GET", path: "Users?cursor=" +
			url.QueryEscape("MTAAZ3JvdXBzAA=="), wantStatus: 400},
		{name: "operator other than eq refused", method: "GET",
			path: "Users?filter=" + url.QueryEscape(`userName co "u"`), wantStatus: 400},
		{name: "or refused", method: "GET", path: "Users?filter=" +
			url.QueryEscape(`userName eq "u000" or userName eq "u001"`), wantStatus: 400},
		{name: "unsupported attribute refused", method: "GET",
			path: "Users?filter=" + url.QueryEscape(`title eq "x"`), wantStatus: 400},
		{name: "unknown member gives 404", method: "GET",
			path:       "Groups?filter=" + url.QueryEscape(`members.value eq "nobody"`),
			wantStatus: 404},
		{name: "id and members", method: "GET", path: "Groups?filter=" +
			url.QueryEscape(`id eq "`+gid+`" and members eq "`+uids[0]+`"`), wantStatus: 200,
			check: func(t *testing.T, m map[string]any, _ []byte) {
				assert.Len(t, m["Resources"], 1)
			}},
		{name: "empty string refused", method: "POST", path: "Users",
			body: strings.Replace(validUser, `"displayName":"New"`,
				`"displayName":"New","title":""`, 1), wantStatus: 400},
		{name: "groups on create refused", method: "POST", path: "Users",
			body: strings.Replace(validUser, `"userName":"new"`,
				`"userName":"new","groups":[{"value":"g"}]`, 1), wantStatus: 400},
		{name: "create answers 201", method: "POST", path: "Users", body: validUser,
			wantStatus: 201, check: func(t *testing.T, m map[string]any, _ []byte) {
				assert.Equal(t, true, m["active"])
				assert.NotEmpty(t, m["id"])
			}},
		{name: "group display name with a colon refused", method: "POST", path: "Groups",
			body: `{"displayName":"Hello: there"}`, wantStatus: 400},
		{name: "duplicate group refused", method: "POST", path: "Groups",
			body: `{"displayName":"OPS"}`, wantStatus: 409,
			wantDetail: "Refused to create a new, duplicate resource."},
		{name: "no Bulk", method: "POST", path: "Bulk", body: `{}`, wantStatus: 404},
		{name: "service provider config", method: "GET", path: "ServiceProviderConfig",
			wantStatus: 200, check: func(t *testing.T, m map[string]any, _ []byte) {
				assert.Equal(t, true, m["patch"].(map[string]any)["supported"])
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m, raw := scimCall(t, srv, tt.method, tt.path, tt.body)
			require.Equal(t, tt.wantStatus, status, "body %s", raw)
			if status >= 400 {
				assert.Equal(t, fmt.Sprint(status), m["status"], "status is a string")
				assert.NotNil(t, m["schema"])
				assert.NotNil(t, m["schemas"])
				assert.NotEmpty(t, m["exceptionRequestId"])
				assert.Nil(t, m["scimType"])
			}
			if tt.wantDetail != "" {
				assert.Equal(t, tt.wantDetail, m["detail"])
			}
			if tt.check != nil {
				tt.check(t, m, raw)
			}
		})
	}

	// After the patches: u000 and u002..u099 are members, u001 was removed.
	status, m, _ := scimCall(t, srv, "GET", "Users?cursor&filter="+
		url.QueryEscape(`groups.value eq "`+gid+`"`), "")
	require.Equal(t, 200, status)
	assert.Len(t, m["Resources"], 99)
}
