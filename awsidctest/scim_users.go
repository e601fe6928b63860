package awsidctest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// scimUser is a user on the wire.
type scimUser struct {
	Schemas           []string          `json:"schemas"`
	ID                string            `json:"id,omitempty"`
	ExternalID        string            `json:"externalId,omitempty"`
	Meta              *scimMeta         `json:"meta,omitempty"`
	UserName          string            `json:"userName"`
	Name              *scimName         `json:"name,omitempty"`
	DisplayName       string            `json:"displayName,omitempty"`
	NickName          string            `json:"nickName,omitempty"`
	ProfileURL        string            `json:"profileUrl,omitempty"`
	Title             string            `json:"title,omitempty"`
	UserType          string            `json:"userType,omitempty"`
	PreferredLanguage string            `json:"preferredLanguage,omitempty"`
	Locale            string            `json:"locale,omitempty"`
	Timezone          string            `json:"timezone,omitempty"`
	Active            *bool             `json:"active,omitempty"`
	Emails            []scimMultiValued `json:"emails,omitempty"`
	Addresses         []scimAddress     `json:"addresses,omitempty"`
	PhoneNumbers      []scimMultiValued `json:"phoneNumbers,omitempty"`
}

type scimMeta struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
}

type scimName struct {
	Formatted       string `json:"formatted,omitempty"`
	FamilyName      string `json:"familyName,omitempty"`
	GivenName       string `json:"givenName,omitempty"`
	MiddleName      string `json:"middleName,omitempty"`
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

type scimMultiValued struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

type scimAddress struct {
	Formatted     string `json:"formatted,omitempty"`
	StreetAddress string `json:"streetAddress,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	Country       string `json:"country,omitempty"`
	Type          string `json:"type,omitempty"`
	Primary       bool   `json:"primary,omitempty"`
}

// scimForbidden are the characters AWS refuses in userName and external ids.
const scimForbidden = "<>;:%"

// scimUnsupportedUser are user attributes AWS refuses.
var scimUnsupportedUser = []string{"password", "ims", "photos", "x509Certificates",
	"entitlements", "groups", "roles"}

func scimTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func ptrOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// scimUserOut renders a stored user.
func scimUserOut(u *idtypes.User) scimUser {
	active := u.UserStatus != idtypes.UserStatusDisabled
	out := scimUser{
		Schemas:           []string{scimSchemaUser},
		ID:                deref(u.UserId),
		Meta:              &scimMeta{"User", scimTime(u.CreatedAt), scimTime(u.UpdatedAt)},
		UserName:          deref(u.UserName),
		DisplayName:       deref(u.DisplayName),
		NickName:          deref(u.NickName),
		ProfileURL:        deref(u.ProfileUrl),
		Title:             deref(u.Title),
		UserType:          deref(u.UserType),
		PreferredLanguage: deref(u.PreferredLanguage),
		Locale:            deref(u.Locale),
		Timezone:          deref(u.Timezone),
		Active:            &active,
	}
	for _, x := range u.ExternalIds {
		if deref(x.Issuer) == ExternalIDIssuer {
			out.ExternalID = deref(x.Id)
		}
	}
	if n := u.Name; n != nil {
		out.Name = &scimName{deref(n.Formatted), deref(n.FamilyName), deref(n.GivenName),
			deref(n.MiddleName), deref(n.HonorificPrefix), deref(n.HonorificSuffix)}
	}
	for _, e := range u.Emails {
		out.Emails = append(out.Emails, scimMultiValued{deref(e.Value), deref(e.Type), e.Primary})
	}
	for _, p := range u.PhoneNumbers {
		out.PhoneNumbers = append(out.PhoneNumbers,
			scimMultiValued{deref(p.Value), deref(p.Type), p.Primary})
	}
	for _, a := range u.Addresses {
		out.Addresses = append(out.Addresses, scimAddress{deref(a.Formatted),
			deref(a.StreetAddress), deref(a.Locality), deref(a.Region), deref(a.PostalCode),
			deref(a.Country), deref(a.Type), a.Primary})
	}
	return out
}

// applyTo writes the wire user's attributes over u, keeping u's ids and status
// unless the wire user sets active.
func (in *scimUser) applyTo(u *idtypes.User) {
	u.UserName = ptrOrNil(in.UserName)
	u.DisplayName = ptrOrNil(in.DisplayName)
	u.NickName = ptrOrNil(in.NickName)
	u.ProfileUrl = ptrOrNil(in.ProfileURL)
	u.Title = ptrOrNil(in.Title)
	u.UserType = ptrOrNil(in.UserType)
	u.PreferredLanguage = ptrOrNil(in.PreferredLanguage)
	u.Locale = ptrOrNil(in.Locale)
	u.Timezone = ptrOrNil(in.Timezone)
	setSCIMExternalID(u, in.ExternalID)
	u.Name = nil
	if n := in.Name; n != nil {
		u.Name = &idtypes.Name{Formatted: ptrOrNil(n.Formatted),
			FamilyName: ptrOrNil(n.FamilyName), GivenName: ptrOrNil(n.GivenName),
			MiddleName: ptrOrNil(n.MiddleName), HonorificPrefix: ptrOrNil(n.HonorificPrefix),
			HonorificSuffix: ptrOrNil(n.HonorificSuffix)}
	}
	u.Emails = nil
	for _, e := range in.Emails {
		u.Emails = append(u.Emails, idtypes.Email{Value: ptrOrNil(e.Value),
			Type: ptrOrNil(e.Type), Primary: e.Primary})
	}
	u.PhoneNumbers = nil
	for _, p := range in.PhoneNumbers {
		u.PhoneNumbers = append(u.PhoneNumbers, idtypes.PhoneNumber{Value: ptrOrNil(p.Value),
			Type: ptrOrNil(p.Type), Primary: p.Primary})
	}
	u.Addresses = nil
	for _, a := range in.Addresses {
		u.Addresses = append(u.Addresses, idtypes.Address{Formatted: ptrOrNil(a.Formatted),
			StreetAddress: ptrOrNil(a.StreetAddress), Locality: ptrOrNil(a.Locality),
			Region: ptrOrNil(a.Region), PostalCode: ptrOrNil(a.PostalCode),
			Country: ptrOrNil(a.Country), Type: ptrOrNil(a.Type), Primary: a.Primary})
	}
	if in.Active != nil {
		u.UserStatus = idtypes.UserStatusEnabled
		if !*in.Active {
			u.UserStatus = idtypes.UserStatusDisabled
		}
	}
}

// setSCIMExternalID replaces the SCIM external id of u, keeping other issuers'.
func setSCIMExternalID(u *idtypes.User, id string) {
	var keep []idtypes.ExternalId
	for _, x := range u.ExternalIds {
		if deref(x.Issuer) != ExternalIDIssuer {
			keep = append(keep, x)
		}
	}
	if id != "" {
		keep = append(keep, idtypes.ExternalId{Issuer: ptr(ExternalIDIssuer), Id: ptr(id)})
	}
	u.ExternalIds = keep
}

// readSCIMBody reads a JSON object body twice over: as a generic map, to check for
// empty strings and unsupported attributes, and into v.
func readSCIMBody(r *http.Request, v any) (map[string]any, error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, scimErr(http.StatusBadRequest, scimUnparsable)
	}
	var raw map[string]any
	if json.Unmarshal(data, &raw) != nil || raw == nil {
		return nil, scimErr(http.StatusBadRequest, scimUnparsable)
	}
	if hasEmptyString(raw) {
		return nil, scimErr(http.StatusBadRequest, scimUnparsable)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return nil, scimErr(http.StatusBadRequest, scimUnparsable)
	}
	return raw, nil
}

// hasEmptyString reports whether v holds "" anywhere: AWS refuses empty strings.
func hasEmptyString(v any) bool {
	switch v := v.(type) {
	case string:
		return v == ""
	case map[string]any:
		for _, x := range v {
			if hasEmptyString(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if hasEmptyString(x) {
				return true
			}
		}
	}
	return false
}

// validateSCIMUser applies AWS's rules for a user on create and replace.
func validateSCIMUser(raw map[string]any, u *scimUser) error {
	bad := scimErr(http.StatusBadRequest, scimUnparsable)
	for _, k := range scimUnsupportedUser {
		if _, ok := raw[k]; ok {
			return bad
		}
	}
	switch {
	case u.UserName == "", u.DisplayName == "", u.Name == nil,
		u.Name.GivenName == "", u.Name.FamilyName == "":
		return bad
	case strings.ContainsAny(u.UserName, scimForbidden),
		strings.ContainsAny(u.ExternalID, scimForbidden):
		return bad
	case len(u.Emails) > 1, len(u.Addresses) > 1, len(u.PhoneNumbers) > 1:
		return bad
	case len(u.Emails) == 1 && !u.Emails[0].Primary:
		return bad
	}
	return nil
}

func (s *SCIMServer) createUser(r *http.Request) (int, any, error) {
	var in scimUser
	raw, err := readSCIMBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	if err := validateSCIMUser(raw, &in); err != nil {
		return 0, nil, err
	}
	var u idtypes.User
	in.applyTo(&u)
	out, err := s.org.s.scimCreateUser(u)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, scimUserOut(&out), nil
}

func (s *SCIMServer) getUser(id string) (int, any, error) {
	u, err := s.org.s.user(id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, scimUserOut(&u), nil
}

func (s *SCIMServer) putUser(r *http.Request, id string) (int, any, error) {
	var in scimUser
	raw, err := readSCIMBody(r, &in)
	if err != nil {
		return 0, nil, err
	}
	if err := validateSCIMUser(raw, &in); err != nil {
		return 0, nil, err
	}
	st := s.org.s
	out, err := st.updateUser(id, "", func(u *idtypes.User) error {
		in.applyTo(u)
		// updateUser runs change with st.mu held.
		if st.emailTakenLocked(id, u) {
			return conflict(resUser, "a user with this email already exists")
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, scimUserOut(&out), nil
}

func (s *SCIMServer) deleteUser(id string) (int, any, error) {
	if err := s.org.s.deleteUser(id, ""); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// scimPatch is a PATCH body.
type scimPatch struct {
	Schemas    []string `json:"schemas"`
	Operations []struct {
		Op    string          `json:"op"`
		Path  string          `json:"path"`
		Value json.RawMessage `json:"value"`
	} `json:"Operations"`
}

func readSCIMPatch(r *http.Request) (*scimPatch, error) {
	var p scimPatch
	if _, err := readSCIMBody(r, &p); err != nil {
		return nil, err
	}
	if len(p.Operations) == 0 {
		return nil, scimErr(http.StatusBadRequest, scimUnparsable)
	}
	for i := range p.Operations {
		p.Operations[i].Op = strings.ToLower(p.Operations[i].Op)
	}
	return &p, nil
}

// scimUserPaths are the attributes a user PATCH may change, by lower-cased path.
var scimUserPaths = map[string]bool{
	"username": true, "active": true, "externalid": true, "displayname": true,
	"nickname": true, "profileurl": true, "title": true, "usertype": true,
	"preferredlanguage": true, "locale": true, "timezone": true, "name": true,
	"name.givenname": true, "name.familyname": true, "name.middlename": true,
	"name.formatted": true, "name.honorificprefix": true, "name.honorificsuffix": true,
	"emails": true, "addresses": true, "phonenumbers": true,
}

func (s *SCIMServer) patchUser(r *http.Request, id string) (int, any, error) {
	p, err := readSCIMPatch(r)
	if err != nil {
		return 0, nil, err
	}
	bad := scimErr(http.StatusBadRequest, scimUnparsable)

	// Turn every operation into (op, path, value) with one attribute each, and check
	// AWS's rules before changing anything.
	type change struct {
		op, path string
		value    json.RawMessage
	}
	var changes []change
	touched := map[string]int{}
	for _, o := range p.Operations {
		switch o.Op {
		case "add", "replace":
			if len(o.Value) == 0 || string(o.Value) == "null" {
				return 0, nil, bad
			}
		case "remove":
			if o.Path == "" {
				return 0, nil, bad
			}
		default:
			return 0, nil, bad
		}
		if o.Path == "" {
			var obj map[string]json.RawMessage
			if json.Unmarshal(o.Value, &obj) != nil || len(obj) != 1 {
				return 0, nil, scimErr(http.StatusBadRequest, scimNoPathRule)
			}
			for k, v := range obj {
				changes = append(changes, change{o.Op, strings.ToLower(k), v})
			}
			continue
		}
		changes = append(changes, change{o.Op, strings.ToLower(o.Path), o.Value})
	}
	for _, c := range changes {
		if !scimUserPaths[c.path] {
			return 0, nil, bad
		}
		touched[c.path]++
		if (c.path == "active" || c.path == "username") && (c.op == "remove" ||
			touched[c.path] > 1) {
			return 0, nil, bad
		}
	}

	st := s.org.s
	out, err := st.updateUser(id, "", func(u *idtypes.User) error {
		cur := scimUserOut(u)
		doc, _ := json.Marshal(cur)
		var m map[string]any
		_ = json.Unmarshal(doc, &m)
		for _, c := range changes {
			if err := patchAttr(m, c.op, c.path, c.value); err != nil {
				return err
			}
		}
		doc, _ = json.Marshal(m)
		var next scimUser
		if json.Unmarshal(doc, &next) != nil || next.UserName == "" ||
			strings.ContainsAny(next.ExternalID, scimForbidden) || len(next.Emails) > 1 {
			return invalid("patch result violates the schema")
		}
		next.applyTo(u)
		// updateUser runs change with st.mu held.
		if st.emailTakenLocked(id, u) {
			return conflict(resUser, "a user with this email already exists")
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	if s.opts.patchUser204 {
		return http.StatusNoContent, nil, nil
	}
	return http.StatusOK, scimUserOut(&out), nil
}

// patchAttr applies one operation to the JSON object of a user. path is lower-cased,
// with at most one dot.
func patchAttr(m map[string]any, op, path string, value json.RawMessage) error {
	var v any
	if op != "remove" {
		if json.Unmarshal(value, &v) != nil || hasEmptyString(v) {
			return invalid("bad value")
		}
	}
	key := func(obj map[string]any, lower string) string {
		for k := range obj {
			if strings.ToLower(k) == lower {
				return k
			}
		}
		return lower
	}
	parent, child, nested := strings.Cut(path, ".")
	target := m
	name := key(m, parent)
	if nested {
		sub, _ := m[name].(map[string]any)
		if sub == nil {
			sub = map[string]any{}
			m[name] = sub
		}
		target, name = sub, key(sub, child)
	}
	// A new key may stay lower-case: encoding/json matches names without case.
	if op == "remove" {
		delete(target, name)
		return nil
	}
	if obj, ok := v.(map[string]any); ok && op == "add" {
		if cur, ok := target[name].(map[string]any); ok {
			for k, x := range obj {
				cur[k] = x
			}
			return nil
		}
	}
	target[name] = v
	return nil
}
