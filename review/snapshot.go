package review

import (
	"context"
	"iter"
	"time"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
)

// Directory is what a review reads from the identity store.
// *identitycenter.Client implements it.
type Directory interface {
	Users(ctx context.Context) iter.Seq2[identitycenter.User, error]
	Groups(ctx context.Context) iter.Seq2[identitycenter.Group, error]
	Members(ctx context.Context, groupID string) iter.Seq2[identitycenter.Membership, error]
}

// Permissions is what a review reads of accounts, permission sets and
// assignments. *permissions.Client implements it.
type Permissions interface {
	Accounts(ctx context.Context) iter.Seq2[permissions.Account, error]
	PermissionSetARNs(ctx context.Context) iter.Seq2[string, error]
	PermissionSet(ctx context.Context, arn string) (permissions.PermissionSet, error)
	Policies(ctx context.Context, arn string) (permissions.Policies, error)
	AccountsForPermissionSet(ctx context.Context, arn string) iter.Seq2[string, error]
	PermissionSetsForAccount(ctx context.Context, accountID string) iter.Seq2[string, error]
	Assignments(ctx context.Context, accountID, arn string) iter.Seq2[permissions.Assignment, error]
	AssignmentsForPrincipal(ctx context.Context, typ permissions.PrincipalType,
		principalID string) iter.Seq2[permissions.Assignment, error]
}

var (
	_ Directory   = (*identitycenter.Client)(nil)
	_ Permissions = (*permissions.Client)(nil)
)

// PermissionSet is a permission set with, when they were read, its policies.
type PermissionSet struct {
	permissions.PermissionSet
	Policies *permissions.Policies `json:"policies,omitempty"`
}

// Unread records a part of the instance that could not be read because the
// caller's policy denies the action. Its absence from a snapshot is not an
// absence of access.
type Unread struct {
	// Action is the denied IAM action, such as "identitystore:ListUsers".
	Action string `json:"action"`
	// Scope says what was being read, such as "users" or a permission set ARN.
	Scope string `json:"scope"`
}

// Snapshot is everything read from one instance at one time. Slices are
// sorted by id (assignments by account, permission set, principal), so equal
// states give equal snapshots.
type Snapshot struct {
	InstanceARN     string    `json:"instance_arn"`
	IdentityStoreID string    `json:"identity_store_id"`
	TakenAt         time.Time `json:"taken_at"`

	Users          []identitycenter.User       `json:"users"`
	Groups         []identitycenter.Group      `json:"groups"`
	Memberships    []identitycenter.Membership `json:"memberships"`
	Accounts       []permissions.Account       `json:"accounts"`
	PermissionSets []PermissionSet             `json:"permission_sets"`
	Assignments    []permissions.Assignment    `json:"assignments"`

	// Unread lists what the caller's policy did not allow to be read. A
	// snapshot with Unread entries is incomplete: the json export lists them,
	// the table export ends with a warning, and Compare carries them.
	Unread []Unread `json:"unread,omitempty"`
}

// Complete reports whether every part of the instance could be read.
func (s *Snapshot) Complete() bool { return len(s.Unread) == 0 }

// Counts are the sizes of a snapshot's parts.
type Counts struct {
	Users          int `json:"users"`
	Groups         int `json:"groups"`
	Memberships    int `json:"memberships"`
	Accounts       int `json:"accounts"`
	PermissionSets int `json:"permission_sets"`
	Assignments    int `json:"assignments"`
	Access         int `json:"access"`
}

// Counts returns the sizes of s's parts, Access included (which walks the
// effective access once).
func (s *Snapshot) Counts() Counts {
	c := s.partCounts()
	for range s.Access(Filter{}) {
		c.Access++
	}
	return c
}

// partCounts returns the counts of everything but access.
func (s *Snapshot) partCounts() Counts {
	return Counts{
		Users:          len(s.Users),
		Groups:         len(s.Groups),
		Memberships:    len(s.Memberships),
		Accounts:       len(s.Accounts),
		PermissionSets: len(s.PermissionSets),
		Assignments:    len(s.Assignments),
	}
}
