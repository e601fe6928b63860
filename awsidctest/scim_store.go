package awsidctest

// Store operations the SCIM server needs beyond the shared ones. Each takes
// s.mu itself and calls only *Locked helpers while holding it.

import (
	"errors"

	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// emailTakenLocked reports whether another user than self has one of the
// emails of u. Callers hold mu.
func (s *store) emailTakenLocked(self string, u *idtypes.User) bool {
	for _, e := range u.Emails {
		for _, id := range s.userByEmail[fold(deref(e.Value))] {
			if id != self {
				return true
			}
		}
	}
	return false
}

// scimCreateUser creates u unless its email is taken, in one critical
// section, as SCIM requires the primary email to be unique.
func (s *store) scimCreateUser(u idtypes.User) (idtypes.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.emailTakenLocked("", &u) {
		return idtypes.User{}, conflict(resUser, "a user with this email already exists")
	}
	return s.createUserLocked(u)
}

// scimCreateGroup creates g with the given members in one critical section:
// if a member does not exist, nothing is created.
func (s *store) scimCreateGroup(g idtypes.Group, members []string) (idtypes.Group, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range members {
		if _, ok := s.users[id]; !ok {
			return idtypes.Group{}, notFound(resUser, id, "user not found")
		}
	}
	out, err := s.createGroupLocked(g)
	if err != nil {
		return idtypes.Group{}, err
	}
	for _, id := range members {
		if err := s.scimAddMemberLocked(*out.GroupId, id); err != nil {
			return idtypes.Group{}, err
		}
	}
	return out, nil
}

// scimChangeMembers adds and removes members of the group in one critical
// section. Adding a member twice or removing a non-member changes nothing;
// an unknown user fails the whole change before anything is applied.
func (s *store) scimChangeMembers(groupID string, add, remove []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.groups[groupID]; !ok {
		return notFound(resGroup, groupID, "group not found")
	}
	for _, id := range add {
		if _, ok := s.users[id]; !ok {
			return notFound(resUser, id, "user not found")
		}
	}
	for _, id := range add {
		if err := s.scimAddMemberLocked(groupID, id); err != nil {
			return err
		}
	}
	for _, id := range remove {
		if l := s.memByUser[id]; l != nil {
			for _, m := range l.all() {
				if m.groupID == groupID {
					s.removeMembershipLocked(m)
				}
			}
		}
	}
	return nil
}

// scimAddMemberLocked adds the membership unless it exists. Callers hold mu.
func (s *store) scimAddMemberLocked(groupID, userID string) error {
	_, err := s.addMembershipLocked(groupID, userID)
	var se *storeError
	if errors.As(err, &se) && se.kind == kindConflict {
		return nil // already a member
	}
	return err
}

// userExists reports whether a user with id exists.
func (s *store) userExists(id string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.users[id]
	return ok
}
