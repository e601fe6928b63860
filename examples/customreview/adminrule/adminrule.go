// Package adminrule is a review rule of one's own, built on the review
// package: a permission set, such as AdministratorAccess, may be held only by
// the members of one group. Copy it as a template for your own rules.
package adminrule

import (
	"errors"
	"fmt"
	"slices"

	"github.com/awsidc/awsidc/review"
)

// ErrCannotDecide is matched by errors.Is when the snapshot cannot answer
// the rule: the permission set or the group is unknown, or some reads were
// denied.
var ErrCannotDecide = errors.New("adminrule: cannot decide")

// Offenders returns every access to the permission set named permissionSet
// held by a user who is not a member of the group named allowedGroup, in the
// order of [review.Snapshot.Access]. Each access lists in Via every path that
// grants it: the user's own assignment and each group's.
func Offenders(s *review.Snapshot, permissionSet, allowedGroup string) ([]review.Access, error) {
	// A snapshot missing users, groups or memberships could make a member
	// look like an outsider, or hide an outsider: refuse rather than guess.
	if !s.Complete() {
		return nil, fmt.Errorf("%w: the snapshot is incomplete (%d reads denied)",
			ErrCannotDecide, len(s.Unread))
	}

	// A misspelt permission set would find nobody: refuse rather than pass.
	if !slices.ContainsFunc(s.PermissionSets, func(p review.PermissionSet) bool {
		return p.Name == permissionSet
	}) {
		return nil, fmt.Errorf("%w: no permission set named %q", ErrCannotDecide,
			permissionSet)
	}

	// Group names are unique in an identity store; look the id up by name.
	groupID := ""
	for _, g := range s.Groups {
		if g.DisplayName == allowedGroup {
			groupID = g.ID
		}
	}
	if groupID == "" {
		return nil, fmt.Errorf("%w: no group named %q", ErrCannotDecide, allowedGroup)
	}
	allowed := map[string]bool{}
	for _, m := range s.Memberships {
		if m.GroupID == groupID {
			allowed[m.UserID] = true
		}
	}

	// Effective access already resolves groups to users, with provenance.
	var out []review.Access
	for a := range s.Access(review.Filter{}) {
		if a.PermissionSetName == permissionSet && !allowed[a.UserID] {
			out = append(out, a)
		}
	}
	return out, nil
}
