package identitycenter

// UserStatus is whether a user can sign in, as the Identity Store reports it.
type UserStatus string

// User statuses. StatusUnknown is used when the Identity Store (or an
// emulator) does not report one; it is never read as enabled.
const (
	StatusEnabled  UserStatus = "ENABLED"
	StatusDisabled UserStatus = "DISABLED"
	StatusUnknown  UserStatus = "UNKNOWN"
)

// ExternalID is an identifier of a user or group at its identity provider.
type ExternalID struct {
	Issuer string `json:"issuer"`
	ID     string `json:"id"`
}

// User is one Identity Store user. Users created outside SCIM may lack
// names and emails; those fields are then empty.
type User struct {
	ID           string       `json:"id"`
	UserName     string       `json:"user_name"`
	DisplayName  string       `json:"display_name,omitempty"`
	GivenName    string       `json:"given_name,omitempty"`
	FamilyName   string       `json:"family_name,omitempty"`
	PrimaryEmail string       `json:"primary_email,omitempty"`
	Status       UserStatus   `json:"status"`
	ExternalIDs  []ExternalID `json:"external_ids,omitempty"`
}

// Group is one Identity Store group.
type Group struct {
	ID          string       `json:"id"`
	DisplayName string       `json:"display_name"`
	Description string       `json:"description,omitempty"`
	ExternalIDs []ExternalID `json:"external_ids,omitempty"`
}

// Membership ties one user to one group.
type Membership struct {
	ID      string `json:"id"`
	GroupID string `json:"group_id"`
	UserID  string `json:"user_id"`
}

// Instance is one IAM Identity Center instance.
type Instance struct {
	ARN             string `json:"arn"`
	IdentityStoreID string `json:"identity_store_id"`
	Name            string `json:"name,omitempty"`
	OwnerAccountID  string `json:"owner_account_id,omitempty"`
	Status          string `json:"status,omitempty"`
}
