package permissions

import "time"

// AccountState is an account's state in AWS Organizations.
type AccountState string

// Account states, as Organizations reports them.
const (
	AccountPendingActivation AccountState = "PENDING_ACTIVATION"
	AccountActive            AccountState = "ACTIVE"
	AccountSuspended         AccountState = "SUSPENDED"
	AccountPendingClosure    AccountState = "PENDING_CLOSURE"
	AccountClosed            AccountState = "CLOSED"
)

// Account is one member account of the organisation.
type Account struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Email    string       `json:"email,omitempty"`
	State    AccountState `json:"state"`
	JoinedAt time.Time    `json:"joined_at,omitzero"`
}

// PermissionSet is the role template assigned to principals on accounts.
type PermissionSet struct {
	ARN         string `json:"arn"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// SessionDuration is how long a session lasts, parsed from AWS's
	// ISO-8601 value; zero when AWS reports none.
	SessionDuration time.Duration `json:"session_duration,omitempty"`
	RelayState      string        `json:"relay_state,omitempty"`
	CreatedAt       time.Time     `json:"created_at,omitzero"`
}

// CustomerManagedPolicy names an IAM policy that each account must hold
// itself.
type CustomerManagedPolicy struct {
	Name string `json:"name"`
	Path string `json:"path,omitempty"`
}

// Boundary is a permission set's permissions boundary: either an AWS or
// customer managed policy ARN, or a customer managed policy reference.
type Boundary struct {
	ManagedPolicyARN string                 `json:"managed_policy_arn,omitempty"`
	CustomerManaged  *CustomerManagedPolicy `json:"customer_managed,omitempty"`
}

// Policies is what a permission set grants.
type Policies struct {
	ManagedPolicyARNs []string                `json:"managed_policy_arns,omitempty"`
	InlinePolicy      string                  `json:"inline_policy,omitempty"`
	CustomerManaged   []CustomerManagedPolicy `json:"customer_managed,omitempty"`
	Boundary          *Boundary               `json:"boundary,omitempty"`
	Tags              map[string]string       `json:"tags,omitempty"`
	// Unread lists the IAM actions that were denied while reading, so the
	// parts they would have filled are unknown rather than empty.
	Unread []string `json:"unread,omitempty"`
}

// PrincipalType says whether a principal is a user or a group.
type PrincipalType string

// Principal types.
const (
	PrincipalUser  PrincipalType = "USER"
	PrincipalGroup PrincipalType = "GROUP"
)

// Assignment is what AWS stores: a principal holds a permission set on an
// account.
type Assignment struct {
	AccountID        string        `json:"account_id"`
	PermissionSetARN string        `json:"permission_set_arn"`
	PrincipalType    PrincipalType `json:"principal_type"`
	PrincipalID      string        `json:"principal_id"`
}

// OperationStatus is the state of an asynchronous assignment operation.
type OperationStatus string

// Operation statuses.
const (
	OperationInProgress OperationStatus = "IN_PROGRESS"
	OperationSucceeded  OperationStatus = "SUCCEEDED"
	OperationFailed     OperationStatus = "FAILED"
)

// Operation is one asynchronous assignment creation or deletion.
type Operation struct {
	// Kind is "create" or "delete".
	Kind          string          `json:"kind"`
	RequestID     string          `json:"request_id"`
	Status        OperationStatus `json:"status"`
	FailureReason string          `json:"failure_reason,omitempty"`
	Assignment    Assignment      `json:"assignment"`
}

// Operation kinds.
const (
	KindCreate = "create"
	KindDelete = "delete"
)
