package scim

// Schema URNs used in requests and responses.
const (
	SchemaUser           = "urn:ietf:params:scim:schemas:core:2.0:User"
	SchemaGroup          = "urn:ietf:params:scim:schemas:core:2.0:Group"
	SchemaEnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	SchemaPatchOp        = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	SchemaListResponse   = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	SchemaError          = "urn:ietf:params:scim:api:messages:2.0:Error"
)

// User is a SCIM user as AWS stores it. AWS requires UserName, Name.GivenName,
// Name.FamilyName and DisplayName on create and replace, rejects empty strings, and
// keeps at most one email, address and phone number; the email must be primary.
//
// Users created outside SCIM (in the console or by Control Tower) may lack an email's
// Type or Primary; the zero values stand for them.
type User struct {
	ID                string `json:"id,omitempty"`
	ExternalID        string `json:"externalId,omitempty"`
	UserName          string `json:"userName"`
	Name              *Name  `json:"name,omitempty"`
	DisplayName       string `json:"displayName,omitempty"`
	NickName          string `json:"nickName,omitempty"`
	ProfileURL        string `json:"profileUrl,omitempty"`
	Title             string `json:"title,omitempty"`
	UserType          string `json:"userType,omitempty"`
	PreferredLanguage string `json:"preferredLanguage,omitempty"`
	Locale            string `json:"locale,omitempty"`
	Timezone          string `json:"timezone,omitempty"`
	// Active is whether the user may sign in; nil when the server did not
	// say, which is never read as active. Set it when creating a user: AWS
	// creates users active only when asked.
	Active       *bool           `json:"active,omitempty"`
	Emails       []Email         `json:"emails,omitempty"`
	Addresses    []Address       `json:"addresses,omitempty"`
	PhoneNumbers []PhoneNumber   `json:"phoneNumbers,omitempty"`
	Groups       []GroupRef      `json:"groups,omitempty"`
	Enterprise   *EnterpriseUser `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,omitempty"`
	Schemas      []string        `json:"schemas,omitempty"`
	Meta         *Meta           `json:"meta,omitempty"`
}

// PrimaryEmail returns the value of the email marked primary, or else of the first
// email, or "" when the user has none.
func (u User) PrimaryEmail() string {
	for _, e := range u.Emails {
		if e.Primary {
			return e.Value
		}
	}
	if len(u.Emails) > 0 {
		return u.Emails[0].Value
	}
	return ""
}

// Name is a user's name.
type Name struct {
	Formatted       string `json:"formatted,omitempty"`
	FamilyName      string `json:"familyName,omitempty"`
	GivenName       string `json:"givenName,omitempty"`
	MiddleName      string `json:"middleName,omitempty"`
	HonorificPrefix string `json:"honorificPrefix,omitempty"`
	HonorificSuffix string `json:"honorificSuffix,omitempty"`
}

// Email is one email address of a user.
type Email struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

// Address is one postal address of a user.
type Address struct {
	Formatted     string `json:"formatted,omitempty"`
	StreetAddress string `json:"streetAddress,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	Country       string `json:"country,omitempty"`
	Type          string `json:"type,omitempty"`
	Primary       bool   `json:"primary,omitempty"`
}

// PhoneNumber is one phone number of a user.
type PhoneNumber struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

// GroupRef is a group a user belongs to, as an RFC server may list it. AWS does not
// return it; use [Client.UserGroups].
type GroupRef struct {
	Value   string `json:"value"`
	Ref     string `json:"$ref,omitempty"`
	Display string `json:"display,omitempty"`
}

// EnterpriseUser is the enterprise extension of a user.
type EnterpriseUser struct {
	EmployeeNumber string   `json:"employeeNumber,omitempty"`
	CostCenter     string   `json:"costCenter,omitempty"`
	Organization   string   `json:"organization,omitempty"`
	Division       string   `json:"division,omitempty"`
	Department     string   `json:"department,omitempty"`
	Manager        *Manager `json:"manager,omitempty"`
}

// Manager names a user's manager by user id.
type Manager struct {
	Value string `json:"value,omitempty"`
	Ref   string `json:"$ref,omitempty"`
}

// Group is a SCIM group. AWS always returns Members empty: read a group's members with
// [Client.GroupMembers].
type Group struct {
	ID          string   `json:"id,omitempty"`
	ExternalID  string   `json:"externalId,omitempty"`
	DisplayName string   `json:"displayName"`
	Members     []Member `json:"members,omitempty"`
	Schemas     []string `json:"schemas,omitempty"`
	Meta        *Meta    `json:"meta,omitempty"`
}

// Member is one member of a group, by user id.
type Member struct {
	Value   string `json:"value"`
	Ref     string `json:"$ref,omitempty"`
	Display string `json:"display,omitempty"`
	Type    string `json:"type,omitempty"`
}

// Meta is a resource's metadata. Times are kept as the server wrote them.
type Meta struct {
	ResourceType string `json:"resourceType,omitempty"`
	Created      string `json:"created,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
	Location     string `json:"location,omitempty"`
	Version      string `json:"version,omitempty"`
}

// PatchOperation is one operation of a PATCH request. Op is "add", "replace" or
// "remove". AWS allows a missing Path only for an add or replace that changes a single
// attribute, no remove of active or userName, and one operation on each of them per
// request.
type PatchOperation struct {
	Op    string `json:"op"`
	Path  string `json:"path,omitempty"`
	Value any    `json:"value,omitempty"`
}

// patchRequest is the body of a PATCH.
type patchRequest struct {
	Schemas    []string         `json:"schemas"`
	Operations []PatchOperation `json:"Operations"`
}

// memberValue is one entry of a members add or remove.
type memberValue struct {
	Value string `json:"value"`
}

// listResponse is a page of a list, in either paging shape: cursor (itemsPerPage and
// nextCursor) or RFC (totalResults, startIndex and itemsPerPage).
type listResponse[T any] struct {
	TotalResults *int   `json:"totalResults"`
	StartIndex   *int   `json:"startIndex"`
	ItemsPerPage *int   `json:"itemsPerPage"`
	NextCursor   string `json:"nextCursor"`
	Resources    []T    `json:"Resources"`
}

// IsActive reports whether the server says the user is active. A user whose
// active attribute is absent is reported inactive.
func (u User) IsActive() bool { return u.Active != nil && *u.Active }

// Bool returns a pointer to b, for fields such as [User.Active].
func Bool(b bool) *bool { return &b }
