package awsidctest

import (
	"encoding/json"
	"net/http"
	"strings"

	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// scimGroup is a group on the wire.
type scimGroup struct {
	Schemas     []string     `json:"schemas"`
	ID          string       `json:"id,omitempty"`
	ExternalID  string       `json:"externalId,omitempty"`
	Meta        *scimMeta    `json:"meta,omitempty"`
	DisplayName string       `json:"displayName"`
	Members     []scimMember `json:"members"`
}

type scimMember struct {
	Value string `json:"value"`
}

// scimGroupOut renders a stored group. AWS never lists members on a group.
func scimGroupOut(g *idtypes.Group) scimGroup {
	out := scimGroup{
		Schemas:     []string{scimSchemaGroup},
		ID:          deref(g.GroupId),
		Meta:        &scimMeta{"Group", scimTime(g.CreatedAt), scimTime(g.UpdatedAt)},
		DisplayName: deref(g.DisplayName),
		Members:     []scimMember{},
	}
	for _, x := range g.ExternalIds {
		if deref(x.Issuer) == ExternalIDIssuer {
			out.ExternalID = deref(x.Id)
		}
	}
	return out
}

func setSCIMGroupExternalID(g *idtypes.Group, id string) {
	var keep []idtypes.ExternalId
	for _, x := range g.ExternalIds {
		if deref(x.Issuer) != ExternalIDIssuer {
			keep = append(keep, x)
		}
	}
	if id != "" {
		keep = append(keep, idtypes.ExternalId{Issuer: ptr(ExternalIDIssuer), Id: ptr(id)})
	}
	g.ExternalIds = keep
}

// validGroupText applies AWS's character rules to a group's displayName or externalId.
func validGroupText(s string) bool { return !strings.ContainsAny(s, scimForbidden) }

func (s *SCIMServer) createGroup(r *http.Request) (int, any, error) {
	var in scimGroup
	if _, err := readSCIMBody(r, &in); err != nil {
		return 0, nil, err
	}
	bad := scimErr(http.StatusBadRequest, scimUnparsable)
	if in.DisplayName == "" || !validGroupText(in.DisplayName) ||
		!validGroupText(in.ExternalID) || len(in.Members) > scimMaxMemberPatch {
		return 0, nil, bad
	}
	g := idtypes.Group{DisplayName: ptr(in.DisplayName)}
	setSCIMGroupExternalID(&g, in.ExternalID)
	members := make([]string, len(in.Members))
	for i, m := range in.Members {
		members[i] = m.Value
	}
	out, err := s.org.s.scimCreateGroup(g, members)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, scimGroupOut(&out), nil
}

func (s *SCIMServer) getGroup(id string) (int, any, error) {
	g, err := s.org.s.group(id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, scimGroupOut(&g), nil
}

func (s *SCIMServer) deleteGroup(id string) (int, any, error) {
	if err := s.org.s.deleteGroup(id, ""); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func (s *SCIMServer) patchGroup(r *http.Request, id string) (int, any, error) {
	p, err := readSCIMPatch(r)
	if err != nil {
		return 0, nil, err
	}
	bad := scimErr(http.StatusBadRequest, scimUnparsable)
	noReplace := scimErr(http.StatusBadRequest, scimNoReplaceMembers)

	var add, remove []string
	attrs := map[string]string{}
	for _, o := range p.Operations {
		path := strings.ToLower(o.Path)
		if o.Op != "add" && o.Op != "replace" && o.Op != "remove" {
			return 0, nil, bad
		}
		switch {
		case path == "members":
			if o.Op == "replace" {
				return 0, nil, noReplace
			}
			var ms []scimMember
			if json.Unmarshal(o.Value, &ms) != nil || len(ms) == 0 {
				if o.Op == "remove" {
					return 0, nil, noReplace
				}
				return 0, nil, bad
			}
			for _, m := range ms {
				if m.Value == "" {
					return 0, nil, bad
				}
				if o.Op == "add" {
					add = append(add, m.Value)
				} else {
					remove = append(remove, m.Value)
				}
			}
		case strings.HasPrefix(path, "members[") && o.Op == "remove":
			terms, ok := parseSCIMFilter(strings.TrimSuffix(o.Path[len("members["):], "]"))
			v, ok2 := termsMatch(terms, "value")
			if !ok || !ok2 || !strings.HasSuffix(o.Path, "]") {
				return 0, nil, bad
			}
			remove = append(remove, v["value"])
		case path == "displayname" || path == "externalid":
			var v string
			if o.Op == "remove" || json.Unmarshal(o.Value, &v) != nil || v == "" ||
				!validGroupText(v) {
				return 0, nil, bad
			}
			attrs[path] = v
		case path == "":
			var obj map[string]json.RawMessage
			if o.Op == "remove" || json.Unmarshal(o.Value, &obj) != nil || len(obj) != 1 {
				return 0, nil, scimErr(http.StatusBadRequest, scimNoPathRule)
			}
			for k, raw := range obj {
				var v string
				k = strings.ToLower(k)
				if (k != "displayname" && k != "externalid") ||
					json.Unmarshal(raw, &v) != nil || v == "" || !validGroupText(v) {
					return 0, nil, bad
				}
				attrs[k] = v
			}
		default:
			return 0, nil, bad
		}
	}
	if len(add)+len(remove) > scimMaxMemberPatch {
		return 0, nil, bad
	}

	st := s.org.s
	if len(attrs) > 0 {
		_, err := st.updateGroup(id, "", func(g *idtypes.Group) error {
			if v, ok := attrs["displayname"]; ok {
				g.DisplayName = ptr(v)
			}
			if v, ok := attrs["externalid"]; ok {
				setSCIMGroupExternalID(g, v)
			}
			return nil
		})
		if err != nil {
			return 0, nil, err
		}
	}
	if len(add)+len(remove) > 0 || len(attrs) == 0 {
		if err := st.scimChangeMembers(id, add, remove); err != nil {
			return 0, nil, err
		}
	}
	return http.StatusNoContent, nil, nil
}
