package identitycenter

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

func stringDocument(s string) document.Interface { return document.NewLazyDocument(s) }

func userFrom(u *types.User) User {
	return newUser(u.UserId, u.UserName, u.DisplayName, u.Name, u.Emails, u.UserStatus,
		u.ExternalIds)
}

func userFromDescribe(u *identitystore.DescribeUserOutput) User {
	return newUser(u.UserId, u.UserName, u.DisplayName, u.Name, u.Emails, u.UserStatus,
		u.ExternalIds)
}

func newUser(id, userName, displayName *string, name *types.Name, emails []types.Email,
	status types.UserStatus, ext []types.ExternalId) User {
	u := User{
		ID:           aws.ToString(id),
		UserName:     aws.ToString(userName),
		DisplayName:  aws.ToString(displayName),
		PrimaryEmail: primaryEmail(emails),
		Status:       statusFrom(status),
		ExternalIDs:  externalIDsFrom(ext),
	}
	if name != nil {
		u.GivenName = aws.ToString(name.GivenName)
		u.FamilyName = aws.ToString(name.FamilyName)
	}
	return u
}

// statusFrom maps the Identity Store's status; an absent or unrecognised one
// is unknown, never enabled.
func statusFrom(s types.UserStatus) UserStatus {
	switch s {
	case types.UserStatusEnabled:
		return StatusEnabled
	case types.UserStatusDisabled:
		return StatusDisabled
	}
	return StatusUnknown
}

// primaryEmail returns the email marked primary, else the first one with a
// value. Users created outside SCIM may have no email, or no primary flag.
func primaryEmail(emails []types.Email) string {
	for _, e := range emails {
		if e.Primary && aws.ToString(e.Value) != "" {
			return aws.ToString(e.Value)
		}
	}
	for _, e := range emails {
		if v := aws.ToString(e.Value); v != "" {
			return v
		}
	}
	return ""
}

func externalIDsFrom(ids []types.ExternalId) []ExternalID {
	if len(ids) == 0 {
		return nil
	}
	out := make([]ExternalID, len(ids))
	for i, id := range ids {
		out[i] = ExternalID{Issuer: aws.ToString(id.Issuer), ID: aws.ToString(id.Id)}
	}
	return out
}

func groupFrom(g *types.Group) Group {
	return Group{
		ID:          aws.ToString(g.GroupId),
		DisplayName: aws.ToString(g.DisplayName),
		Description: aws.ToString(g.Description),
		ExternalIDs: externalIDsFrom(g.ExternalIds),
	}
}

func membershipsFrom(ms []types.GroupMembership) []Membership {
	out := make([]Membership, 0, len(ms))
	for _, m := range ms {
		var userID string
		if u, ok := m.MemberId.(*types.MemberIdMemberUserId); ok {
			userID = u.Value
		}
		out = append(out, Membership{
			ID:      aws.ToString(m.MembershipId),
			GroupID: aws.ToString(m.GroupId),
			UserID:  userID,
		})
	}
	return out
}
