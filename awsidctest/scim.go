package awsidctest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SCIM wire constants.
const (
	scimSchemaUser     = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimSchemaGroup    = "urn:ietf:params:scim:schemas:core:2.0:Group"
	scimSchemaList     = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	scimSchemaError    = "urn:ietf:params:scim:api:messages:2.0:Error"
	scimSchemaPatchOp  = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	scimMaxPage        = 100
	scimMaxMemberPatch = 100

	scimUnparsable = "Request is unparsable, syntactically incorrect, or violates schema."
	scimDuplicate  = "Refused to create a new, duplicate resource."
	scimNoPathRule = "Current PATCH support allows omitting \"path\" attribute only for Add" +
		" and Replace operations modifying a single attribute."
	scimNoReplaceMembers = "Replacing group memberships is not supported."
)

// SCIMServer is an HTTP server that speaks AWS IAM Identity Center's SCIM dialect over
// the same store as the Org's SDK-shaped fakes: a user created over SCIM is visible
// through IdentityStore and the reverse, a suspended user shows as DISABLED, and
// deleting a user removes its memberships and assignments.
//
// It reproduces what AWS documents and what real clients have met:
//   - cursor paging only when the query has a cursor parameter (a bare ?cursor starts
//     it), count 1 to 100 (default 100), the first page one short of count with a
//     nextCursor; without cursor one page whose totalResults is the page's length, and
//     startIndex ignored, as the old API did;
//   - filters: only attr eq "value", optionally joined with and, on userName,
//     externalId, groups.value and id with manager for users, and on displayName,
//     externalId, members.value and id with members for groups; members.value with
//     a user that does not exist answers 404;
//   - groups always return an empty members list; a group PATCH of more than 100
//     member changes, a replace of members or a remove of members with no value
//     answers 400; a group PATCH answers 204;
//   - user PATCH: one operation on active and on userName at most, no remove of
//     either, a missing path only for add or replace of one attribute; a user PATCH
//     answers 200 with the user;
//   - required userName, givenName, familyName and displayName; no empty strings;
//     one email, address and phone number, the email primary; none of <>;:% in
//     userName and externalId (nor : in a group's displayName and externalId);
//   - 409 "Refused to create a new, duplicate resource." on a taken user name, email
//     or external id, or group display name or external id;
//   - 401 on a bad token, 404 "TENANT does not exist." on a wrong tenant path, and
//     injectable 429 (with or without Retry-After) and 500.
//
// Error bodies have AWS's shape: schema and schemas, status as a string, detail,
// exceptionRequestId and timeStamp, and no scimType. The SCIM externalId is stored as
// the external id with issuer ExternalIDIssuer. The enterprise extension is accepted
// and not stored.
type SCIMServer struct {
	org    *Org
	srv    *httptest.Server
	tenant string
	opts   scimOptions

	mu      sync.Mutex
	tokens  []string
	faults  []scimFault
	reqs    []SCIMRequest
	pageCap int
}

// SCIMRequest is one request a SCIMServer received.
type SCIMRequest struct {
	Method   string
	Path     string // below the tenant's /scim/v2, such as /Users/<id>
	RawQuery string
}

type scimFault struct {
	status     int
	retryAfter time.Duration
}

// SCIMOption configures a SCIMServer.
type SCIMOption func(*scimOptions)

type scimOptions struct {
	tenant       string
	pageCap      int
	legacyErrors bool
	patchUser204 bool
}

// WithSCIMTenant sets the tenant id in the URL path; the default is derived from the
// Org's seed.
func WithSCIMTenant(id string) SCIMOption { return func(o *scimOptions) { o.tenant = id } }

// WithSCIMPageCap caps every page at n resources, whatever count asks, so that
// tests page through few resources.
func WithSCIMPageCap(n int) SCIMOption { return func(o *scimOptions) { o.pageCap = n } }

// WithSCIMLegacyErrors makes error bodies carry only "schema", as AWS's did in early
// 2022, with no "schemas".
func WithSCIMLegacyErrors() SCIMOption { return func(o *scimOptions) { o.legacyErrors = true } }

// WithSCIMPatchUserNoContent makes a user PATCH answer 204 with no body instead of
// 200 with the user.
func WithSCIMPatchUserNoContent() SCIMOption {
	return func(o *scimOptions) { o.patchUser204 = true }
}

// SCIMServer starts a SCIM server over o's store that accepts token as its bearer
// token. Close it when done.
func (o *Org) SCIMServer(token string, opts ...SCIMOption) *SCIMServer {
	var so scimOptions
	for _, opt := range opts {
		opt(&so)
	}
	if so.tenant == "" {
		so.tenant = o.ids.hexID("scim-tenant", 10) + "-" + o.ids.uuid("scim-tenant")[9:]
	}
	s := &SCIMServer{org: o, tenant: so.tenant, opts: so, tokens: []string{token}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL returns the SCIM endpoint, http://127.0.0.1:<port>/<tenant>/scim/v2/.
func (s *SCIMServer) URL() string { return s.srv.URL + "/" + s.tenant + "/scim/v2/" }

// Tenant returns the tenant id in the URL.
func (s *SCIMServer) Tenant() string { return s.tenant }

// Close shuts the server down.
func (s *SCIMServer) Close() { s.srv.Close() }

// SetTokens replaces the accepted bearer tokens; AWS holds at most two at a time, so
// rotation is SetTokens(old, new) and then SetTokens(new).
func (s *SCIMServer) SetTokens(tokens ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = append([]string(nil), tokens...)
}

// Inject429 answers the next n requests with 429 ThrottlingException, with a
// Retry-After header of retryAfter rounded up to whole seconds when it is positive.
func (s *SCIMServer) Inject429(n int, retryAfter time.Duration) {
	s.inject(n, scimFault{status: http.StatusTooManyRequests, retryAfter: retryAfter})
}

// Inject500 answers the next n requests with 500 InternalServerException.
func (s *SCIMServer) Inject500(n int) {
	s.inject(n, scimFault{status: http.StatusInternalServerError})
}

func (s *SCIMServer) inject(n int, f scimFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// Requests returns the requests received so far, in order.
func (s *SCIMServer) Requests() []SCIMRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SCIMRequest(nil), s.reqs...)
}

// ResetRequests forgets the requests received so far.
func (s *SCIMServer) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = nil
}

// scimError is an error answered with AWS's body.
type scimError struct {
	status int
	detail string
}

func (e *scimError) Error() string { return e.detail }

func scimErr(status int, detail string) error { return &scimError{status, detail} }

func (s *SCIMServer) serve(w http.ResponseWriter, r *http.Request) {
	prefix := "/" + s.tenant + "/scim/v2"
	path, ok := strings.CutPrefix(r.URL.EscapedPath(), prefix)
	if !ok || (path != "" && !strings.HasPrefix(path, "/")) {
		s.writeError(w, scimErr(http.StatusNotFound, "TENANT does not exist."))
		return
	}

	s.mu.Lock()
	s.reqs = append(s.reqs, SCIMRequest{Method: r.Method, Path: path, RawQuery: r.URL.RawQuery})
	var fault *scimFault
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		fault = &f
	}
	authorized := false
	for _, t := range s.tokens {
		if t != "" && r.Header.Get("Authorization") == "Bearer "+t {
			authorized = true
		}
	}
	s.mu.Unlock()

	if fault != nil {
		if fault.retryAfter > 0 {
			secs := int(math.Ceil(fault.retryAfter.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		detail := "Service failure."
		if fault.status == http.StatusTooManyRequests {
			detail = "Rate exceeded"
		}
		s.writeError(w, scimErr(fault.status, detail))
		return
	}
	if !authorized {
		s.writeError(w, scimErr(http.StatusUnauthorized, "Unauthorized"))
		return
	}

	status, body, err := s.route(r, path)
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.writeJSON(w, status, body)
}

// route dispatches a request and returns the status and the body to write.
func (s *SCIMServer) route(r *http.Request, path string) (int, any, error) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	id := ""
	if len(parts) == 2 {
		var err error
		if id, err = pathUnescape(parts[1]); err != nil {
			return 0, nil, scimErr(http.StatusBadRequest, scimUnparsable)
		}
	} else if len(parts) > 2 {
		return 0, nil, scimErr(http.StatusNotFound, "Resource not found.")
	}

	switch {
	case parts[0] == "Users" && id == "":
		switch r.Method {
		case http.MethodGet:
			return s.listUsers(r)
		case http.MethodPost:
			return s.createUser(r)
		}
	case parts[0] == "Users":
		switch r.Method {
		case http.MethodGet:
			return s.getUser(id)
		case http.MethodPut:
			return s.putUser(r, id)
		case http.MethodPatch:
			return s.patchUser(r, id)
		case http.MethodDelete:
			return s.deleteUser(id)
		}
	case parts[0] == "Groups" && id == "":
		switch r.Method {
		case http.MethodGet:
			return s.listGroups(r)
		case http.MethodPost:
			return s.createGroup(r)
		}
	case parts[0] == "Groups":
		switch r.Method {
		case http.MethodGet:
			return s.getGroup(id)
		case http.MethodPatch:
			return s.patchGroup(r, id)
		case http.MethodDelete:
			return s.deleteGroup(id)
		}
	case parts[0] == "ServiceProviderConfig" && id == "" && r.Method == http.MethodGet:
		return http.StatusOK, scimServiceProviderConfig, nil
	default:
		return 0, nil, scimErr(http.StatusNotFound, "Resource not found.")
	}
	return 0, nil, scimErr(http.StatusBadRequest, "The operation is not supported.")
}

func (s *SCIMServer) writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("x-amzn-RequestId", s.org.ids.requestID())
	if body == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (s *SCIMServer) writeError(w http.ResponseWriter, err error) {
	var se *scimError
	if !errors.As(err, &se) {
		se = storeToSCIM(err)
	}
	rid := s.org.ids.requestID()
	body := map[string]any{
		"schema":             []string{scimSchemaError},
		"detail":             se.detail,
		"status":             strconv.Itoa(se.status),
		"exceptionRequestId": rid,
		"timeStamp":          s.org.s.clock().UTC().Format("2006-01-02 15:04:05.000"),
	}
	if !s.opts.legacyErrors {
		body["schemas"] = []string{scimSchemaError}
	}
	w.Header().Set("x-amzn-RequestId", rid)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(se.status)
	_ = json.NewEncoder(w).Encode(body)
}

// storeToSCIM maps a store error to the status and detail AWS's SCIM answers.
func storeToSCIM(err error) *scimError {
	var se *storeError
	if errors.As(err, &se) {
		switch se.kind {
		case kindNotFound:
			switch se.resource {
			case resGroup:
				return &scimError{http.StatusNotFound, "Group not found."}
			default:
				return &scimError{http.StatusNotFound, "User not found."}
			}
		case kindConflict:
			return &scimError{http.StatusConflict, scimDuplicate}
		case kindQuota:
			return &scimError{http.StatusBadRequest, se.msg}
		}
		return &scimError{http.StatusBadRequest, scimUnparsable}
	}
	return &scimError{http.StatusInternalServerError, fmt.Sprintf("Service failure: %v", err)}
}

var scimServiceProviderConfig = map[string]any{
	"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
	"documentationUri": "https://docs.aws.amazon.com/singlesignon/latest/userguide/" +
		"manage-your-identity-source-idp.html",
	"authenticationSchemes": []map[string]any{{
		"type": "oauthbearertoken", "name": "OAuth Bearer Token",
		"description": "Authentication scheme using the OAuth Bearer Token Standard",
		"primary":     true,
	}},
	"patch": map[string]bool{"supported": true},
	"bulk": map[string]any{"supported": false, "maxOperations": 1,
		"maxPayloadSize": 1048576},
	"filter":         map[string]any{"supported": true, "maxResults": 50},
	"changePassword": map[string]bool{"supported": false},
	"sort":           map[string]bool{"supported": false},
	"etag":           map[string]bool{"supported": false},
}
