package awsidctest

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// IdentityStore is the fake identitystore client. Its methods have the
// signatures of *identitystore.Client; the option functions are ignored.
type IdentityStore struct{ o *Org }

var (
	storeIDPattern = regexp.MustCompile(`^d-[0-9a-f]{10}$|` +
		`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	storeARNPattern = regexp.MustCompile(`^arn:aws:identitystore::\d{12}:identitystore/`)
	resourceIDRegex = regexp.MustCompile(`^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-` +
		`[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$`)
)

// enterpriseExtension is the only extension name AWS accepts.
const enterpriseExtension = "aws:identitystore:enterprise"

// checkStoreID accepts the identity store's id or ARN. A malformed value is
// invalid; another well-formed store is not found.
func (s *store) checkStoreID(id *string) error {
	v := deref(id)
	switch {
	case v == "":
		return invalid("identityStoreId is required")
	case v == s.identityStoreID || v == s.identityStoreARN():
		return nil
	case storeIDPattern.MatchString(v) || storeARNPattern.MatchString(v):
		return notFound(resIdentityStore, v, "identity store "+v+" not found")
	}
	return invalid("identityStoreId " + v + " is not a valid identity store id")
}

// resourceID reads a user, group or membership id given as an id or an
// ARN, checking its format.
func resourceID(field, arnPrefix string, v *string) (string, error) {
	id := strings.TrimPrefix(deref(v), arnPrefix)
	if id == "" {
		return "", invalid(field + " is required")
	}
	if !resourceIDRegex.MatchString(id) {
		return "", invalid(field + " " + id + " is not a valid id")
	}
	return id, nil
}

func userID(v *string) (string, error) {
	return resourceID("userId", "arn:aws:identitystore:::user/", v)
}

func groupID(v *string) (string, error) {
	return resourceID("groupId", "arn:aws:identitystore:::group/", v)
}

func memberUserID(m idtypes.MemberId) (string, error) {
	u, ok := m.(*idtypes.MemberIdMemberUserId)
	if !ok || u == nil {
		return "", invalid("memberId must be a UserId")
	}
	return userID(&u.Value)
}

// begin starts a call: interceptors, then the identity store id.
func (c *IdentityStore) begin(ctx context.Context, op string, storeID *string) error {
	if err := c.o.enter(ctx, "identitystore:"+op); err != nil {
		return err
	}
	if err := c.o.s.checkStoreID(storeID); err != nil {
		return c.fail(err)
	}
	return nil
}

func (c *IdentityStore) fail(err error) error { return c.o.identityStoreError(err) }

// extensionsFilter returns u with only the requested extensions.
func extensionsFilter(names []string) (func(*idtypes.User), error) {
	for _, n := range names {
		if n != enterpriseExtension {
			return nil, invalid("unknown extension " + n)
		}
	}
	return func(u *idtypes.User) {
		if len(names) == 0 || u.Extensions == nil {
			u.Extensions = nil
			return
		}
		for k := range u.Extensions {
			if !slices.Contains(names, k) {
				delete(u.Extensions, k)
			}
		}
		if len(u.Extensions) == 0 {
			u.Extensions = nil
		}
	}, nil
}

// filterValue reads the deprecated single Filters entry.
func filterValue(fs []idtypes.Filter, path string) (string, bool, error) {
	switch {
	case len(fs) == 0:
		return "", false, nil
	case len(fs) > 1:
		return "", false, invalid("at most one filter is allowed")
	case !strings.EqualFold(deref(fs[0].AttributePath), path):
		return "", false, invalid("filter attributePath must be " + path)
	case deref(fs[0].AttributeValue) == "":
		return "", false, invalid("filter attributeValue is required")
	}
	return *fs[0].AttributeValue, true, nil
}

// ListUsers lists users in creation order.
func (c *IdentityStore) ListUsers(ctx context.Context, in *identitystore.ListUsersInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.ListUsersOutput, error) {
	if in == nil {
		in = &identitystore.ListUsersInput{}
	}
	if err := c.begin(ctx, "ListUsers", in.IdentityStoreId); err != nil {
		return nil, err
	}

	n, err := c.o.pageSize(in.MaxResults, 100, 100)
	if err != nil {
		return nil, c.fail(err)
	}
	ext, err := extensionsFilter(in.Extensions)
	if err != nil {
		return nil, c.fail(err)
	}
	name, filtered, err := filterValue(in.Filters, "UserName")
	if err != nil {
		return nil, c.fail(err)
	}
	params := []string{name, strings.Join(in.Extensions, ",")}
	cur, err := decodeToken("ListUsers", params, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	var keep func(*idtypes.User) bool
	if filtered {
		keep = func(u *idtypes.User) bool { return strings.EqualFold(*u.UserName, name) }
	}
	users, last, more := c.o.s.pageUsers(cur.After, n, keep)
	for i := range users {
		ext(&users[i])
	}
	return &identitystore.ListUsersOutput{
		Users:     users,
		NextToken: encodeToken("ListUsers", params, cursor{After: last}, more),
	}, nil
}

// ListGroups lists groups in creation order.
func (c *IdentityStore) ListGroups(ctx context.Context, in *identitystore.ListGroupsInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.ListGroupsOutput, error) {
	if in == nil {
		in = &identitystore.ListGroupsInput{}
	}
	if err := c.begin(ctx, "ListGroups", in.IdentityStoreId); err != nil {
		return nil, err
	}

	n, err := c.o.pageSize(in.MaxResults, 100, 100)
	if err != nil {
		return nil, c.fail(err)
	}
	name, filtered, err := filterValue(in.Filters, "DisplayName")
	if err != nil {
		return nil, c.fail(err)
	}
	params := []string{name}
	cur, err := decodeToken("ListGroups", params, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	var keep func(*idtypes.Group) bool
	if filtered {
		keep = func(g *idtypes.Group) bool { return strings.EqualFold(*g.DisplayName, name) }
	}
	groups, last, more := c.o.s.pageGroups(cur.After, n, keep)
	return &identitystore.ListGroupsOutput{
		Groups:    groups,
		NextToken: encodeToken("ListGroups", params, cursor{After: last}, more),
	}, nil
}

func (o *Org) membershipOut(m membership) idtypes.GroupMembership {
	return idtypes.GroupMembership{
		IdentityStoreId: ptr(o.s.identityStoreID),
		MembershipArn:   ptr(membershipARN(m.id)),
		MembershipId:    ptr(m.id),
		GroupId:         ptr(m.groupID),
		MemberId:        &idtypes.MemberIdMemberUserId{Value: m.userID},
		CreatedAt:       ptr(m.createdAt),
		UpdatedAt:       ptr(m.createdAt),
	}
}

// ListGroupMemberships lists the memberships of one group, in the order
// they were made.
func (c *IdentityStore) ListGroupMemberships(ctx context.Context,
	in *identitystore.ListGroupMembershipsInput, optFns ...func(*identitystore.Options),
) (*identitystore.ListGroupMembershipsOutput, error) {
	if in == nil {
		in = &identitystore.ListGroupMembershipsInput{}
	}
	if err := c.begin(ctx, "ListGroupMemberships", in.IdentityStoreId); err != nil {
		return nil, err
	}

	gid, err := groupID(in.GroupId)
	if err != nil {
		return nil, c.fail(err)
	}
	params := []string{gid}
	n, cur, err := c.o.listRequest("ListGroupMemberships", params, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	ms, last, more, err := c.o.s.pageGroupMembers(gid, cur.After, n)
	if err != nil {
		return nil, c.fail(err)
	}
	out := &identitystore.ListGroupMembershipsOutput{
		GroupMemberships: make([]idtypes.GroupMembership, 0, len(ms)),
		NextToken:        encodeToken("ListGroupMemberships", params, cursor{After: last}, more),
	}
	for _, m := range ms {
		out.GroupMemberships = append(out.GroupMemberships, c.o.membershipOut(m))
	}
	return out, nil
}

// ListGroupMembershipsForMember lists the memberships of one user.
func (c *IdentityStore) ListGroupMembershipsForMember(ctx context.Context,
	in *identitystore.ListGroupMembershipsForMemberInput, optFns ...func(*identitystore.Options),
) (*identitystore.ListGroupMembershipsForMemberOutput, error) {
	if in == nil {
		in = &identitystore.ListGroupMembershipsForMemberInput{}
	}
	if err := c.begin(ctx, "ListGroupMembershipsForMember", in.IdentityStoreId); err != nil {
		return nil, err
	}

	uid, err := memberUserID(in.MemberId)
	if err != nil {
		return nil, c.fail(err)
	}
	params := []string{uid}
	n, cur, err := c.o.listRequest("ListGroupMembershipsForMember", params,
		in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	ms, last, more, err := c.o.s.pageUserGroups(uid, cur.After, n)
	if err != nil {
		return nil, c.fail(err)
	}
	out := &identitystore.ListGroupMembershipsForMemberOutput{
		GroupMemberships: make([]idtypes.GroupMembership, 0, len(ms)),
		NextToken: encodeToken("ListGroupMembershipsForMember", params,
			cursor{After: last}, more),
	}
	for _, m := range ms {
		out.GroupMemberships = append(out.GroupMemberships, c.o.membershipOut(m))
	}
	return out, nil
}

// DescribeUser returns one user.
func (c *IdentityStore) DescribeUser(ctx context.Context, in *identitystore.DescribeUserInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.DescribeUserOutput, error) {
	if in == nil {
		in = &identitystore.DescribeUserInput{}
	}
	if err := c.begin(ctx, "DescribeUser", in.IdentityStoreId); err != nil {
		return nil, err
	}

	id, err := userID(in.UserId)
	if err != nil {
		return nil, c.fail(err)
	}
	ext, err := extensionsFilter(in.Extensions)
	if err != nil {
		return nil, c.fail(err)
	}
	u, err := c.o.s.user(id)
	if err != nil {
		return nil, c.fail(err)
	}
	ext(&u)
	return &identitystore.DescribeUserOutput{
		IdentityStoreId:   u.IdentityStoreId,
		Revision:          u.Revision,
		UserArn:           u.UserArn,
		UserId:            u.UserId,
		Addresses:         u.Addresses,
		Birthdate:         u.Birthdate,
		CreatedAt:         u.CreatedAt,
		CreatedBy:         u.CreatedBy,
		DisplayName:       u.DisplayName,
		Emails:            u.Emails,
		Extensions:        u.Extensions,
		ExternalIds:       u.ExternalIds,
		Locale:            u.Locale,
		Name:              u.Name,
		NickName:          u.NickName,
		PhoneNumbers:      u.PhoneNumbers,
		Photos:            u.Photos,
		PreferredLanguage: u.PreferredLanguage,
		ProfileUrl:        u.ProfileUrl,
		Roles:             u.Roles,
		Timezone:          u.Timezone,
		Title:             u.Title,
		UpdatedAt:         u.UpdatedAt,
		UpdatedBy:         u.UpdatedBy,
		UserName:          u.UserName,
		UserStatus:        u.UserStatus,
		UserType:          u.UserType,
		Website:           u.Website,
	}, nil
}

// DescribeGroup returns one group.
func (c *IdentityStore) DescribeGroup(ctx context.Context, in *identitystore.DescribeGroupInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.DescribeGroupOutput, error) {
	if in == nil {
		in = &identitystore.DescribeGroupInput{}
	}
	if err := c.begin(ctx, "DescribeGroup", in.IdentityStoreId); err != nil {
		return nil, err
	}

	id, err := groupID(in.GroupId)
	if err != nil {
		return nil, c.fail(err)
	}
	g, err := c.o.s.group(id)
	if err != nil {
		return nil, c.fail(err)
	}
	return &identitystore.DescribeGroupOutput{
		GroupArn:        g.GroupArn,
		GroupId:         g.GroupId,
		IdentityStoreId: g.IdentityStoreId,
		Revision:        g.Revision,
		CreatedAt:       g.CreatedAt,
		CreatedBy:       g.CreatedBy,
		Description:     g.Description,
		DisplayName:     g.DisplayName,
		ExternalIds:     g.ExternalIds,
		UpdatedAt:       g.UpdatedAt,
		UpdatedBy:       g.UpdatedBy,
	}, nil
}

// uniqueAttribute reads an AlternateIdentifier.
func uniqueAttribute(alt idtypes.AlternateIdentifier) (
	path, value string, ext *idtypes.ExternalId, err error,
) {
	switch a := alt.(type) {
	case *idtypes.AlternateIdentifierMemberUniqueAttribute:
		if a == nil || a.Value.AttributeValue == nil || deref(a.Value.AttributePath) == "" {
			return "", "", nil, invalid("uniqueAttribute needs attributePath and attributeValue")
		}
		// Read the document through its JSON form: UnmarshalSmithyDocument
		// of a lazy document reports an error even when it succeeds.
		raw, err := a.Value.AttributeValue.MarshalSmithyDocument()
		if err != nil || json.Unmarshal(raw, &value) != nil || value == "" {
			return "", "", nil, invalid("uniqueAttribute attributeValue must be a non-empty string")
		}
		return *a.Value.AttributePath, value, nil, nil
	case *idtypes.AlternateIdentifierMemberExternalId:
		if a == nil || deref(a.Value.Issuer) == "" || deref(a.Value.Id) == "" {
			return "", "", nil, invalid("externalId needs issuer and id")
		}
		return "", "", &a.Value, nil
	}
	return "", "", nil, invalid("alternateIdentifier is required")
}

// GetUserId finds a user by userName, emails.value or external id.
func (c *IdentityStore) GetUserId(ctx context.Context, in *identitystore.GetUserIdInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.GetUserIdOutput, error) {
	if in == nil {
		in = &identitystore.GetUserIdInput{}
	}
	if err := c.begin(ctx, "GetUserId", in.IdentityStoreId); err != nil {
		return nil, err
	}

	path, value, ext, err := uniqueAttribute(in.AlternateIdentifier)
	if err != nil {
		return nil, c.fail(err)
	}
	var id string
	var ok bool
	switch {
	case ext != nil:
		id, ok = c.o.s.userIDByExternalID(*ext.Issuer, *ext.Id)
	case strings.EqualFold(path, "userName"):
		id, ok = c.o.s.userIDByName(value)
	case strings.EqualFold(path, "emails.value"):
		ids := c.o.s.userIDsByEmail(value)
		if ok = len(ids) > 0; ok {
			id = ids[0]
		}
	default:
		return nil, c.fail(invalid("attributePath must be userName or emails.value"))
	}
	if !ok {
		return nil, c.fail(notFound(resUser, "", "no user matches the identifier"))
	}
	return &identitystore.GetUserIdOutput{
		IdentityStoreId: ptr(c.o.s.identityStoreID),
		UserArn:         ptr(userARN(id)),
		UserId:          ptr(id),
	}, nil
}

// GetGroupId finds a group by displayName or external id.
func (c *IdentityStore) GetGroupId(ctx context.Context, in *identitystore.GetGroupIdInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.GetGroupIdOutput, error) {
	if in == nil {
		in = &identitystore.GetGroupIdInput{}
	}
	if err := c.begin(ctx, "GetGroupId", in.IdentityStoreId); err != nil {
		return nil, err
	}

	path, value, ext, err := uniqueAttribute(in.AlternateIdentifier)
	if err != nil {
		return nil, c.fail(err)
	}
	var id string
	var ok bool
	switch {
	case ext != nil:
		id, ok = c.o.s.groupIDByExternalID(*ext.Issuer, *ext.Id)
	case strings.EqualFold(path, "displayName"):
		id, ok = c.o.s.groupIDByName(value)
	default:
		return nil, c.fail(invalid("attributePath must be displayName"))
	}
	if !ok {
		return nil, c.fail(notFound(resGroup, "", "no group matches the identifier"))
	}
	return &identitystore.GetGroupIdOutput{
		GroupArn:        ptr(groupARN(id)),
		GroupId:         ptr(id),
		IdentityStoreId: ptr(c.o.s.identityStoreID),
	}, nil
}

// GetGroupMembershipId finds the membership of a user in a group.
func (c *IdentityStore) GetGroupMembershipId(ctx context.Context,
	in *identitystore.GetGroupMembershipIdInput, optFns ...func(*identitystore.Options),
) (*identitystore.GetGroupMembershipIdOutput, error) {
	if in == nil {
		in = &identitystore.GetGroupMembershipIdInput{}
	}
	if err := c.begin(ctx, "GetGroupMembershipId", in.IdentityStoreId); err != nil {
		return nil, err
	}

	gid, err := groupID(in.GroupId)
	if err != nil {
		return nil, c.fail(err)
	}
	uid, err := memberUserID(in.MemberId)
	if err != nil {
		return nil, c.fail(err)
	}
	m, ok := c.o.s.membershipOf(gid, uid)
	if !ok {
		return nil, c.fail(notFound(resMembership, "", "the user is not a member of the group"))
	}
	return &identitystore.GetGroupMembershipIdOutput{
		IdentityStoreId: ptr(c.o.s.identityStoreID),
		MembershipArn:   ptr(membershipARN(m.id)),
		MembershipId:    ptr(m.id),
	}, nil
}

// IsMemberInGroups reports, for each group, whether the user is a member.
func (c *IdentityStore) IsMemberInGroups(
	ctx context.Context, in *identitystore.IsMemberInGroupsInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.IsMemberInGroupsOutput, error) {
	if in == nil {
		in = &identitystore.IsMemberInGroupsInput{}
	}
	if err := c.begin(ctx, "IsMemberInGroups", in.IdentityStoreId); err != nil {
		return nil, err
	}

	uid, err := memberUserID(in.MemberId)
	if err != nil {
		return nil, c.fail(err)
	}
	if len(in.GroupIds) < 1 || len(in.GroupIds) > 100 {
		return nil, c.fail(invalid("groupIds must hold 1 to 100 ids"))
	}
	if _, err := c.o.s.user(uid); err != nil {
		return nil, c.fail(err)
	}

	out := &identitystore.IsMemberInGroupsOutput{}
	for _, g := range in.GroupIds {
		gid, err := groupID(&g)
		if err != nil {
			return nil, c.fail(err)
		}
		_, ok := c.o.s.membershipOf(gid, uid)
		out.Results = append(out.Results, idtypes.GroupMembershipExistenceResult{
			GroupId:          ptr(gid),
			MemberId:         &idtypes.MemberIdMemberUserId{Value: uid},
			MembershipExists: ok,
		})
	}
	return out, nil
}

// checkNonEmpty fails when a given optional string is empty: AWS rejects ""
// and wants the field left out instead.
func checkNonEmpty(fields map[string]*string) error {
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if p := fields[k]; p != nil && strings.TrimSpace(*p) == "" {
			return invalid(k + " must not be empty")
		}
	}
	return nil
}

// CreateUser creates a user. UserName, DisplayName and Name with GivenName
// and FamilyName are required; emails, addresses and phone numbers take one
// value at most.
func (c *IdentityStore) CreateUser(ctx context.Context, in *identitystore.CreateUserInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.CreateUserOutput, error) {
	if in == nil {
		in = &identitystore.CreateUserInput{}
	}
	if err := c.begin(ctx, "CreateUser", in.IdentityStoreId); err != nil {
		return nil, err
	}

	if err := checkCreateUser(in); err != nil {
		return nil, c.fail(err)
	}
	u, err := c.o.s.createUser(idtypes.User{
		Addresses:         in.Addresses,
		Birthdate:         in.Birthdate,
		DisplayName:       in.DisplayName,
		Emails:            in.Emails,
		Extensions:        in.Extensions,
		Locale:            in.Locale,
		Name:              in.Name,
		NickName:          in.NickName,
		PhoneNumbers:      in.PhoneNumbers,
		Photos:            in.Photos,
		PreferredLanguage: in.PreferredLanguage,
		ProfileUrl:        in.ProfileUrl,
		Roles:             in.Roles,
		Timezone:          in.Timezone,
		Title:             in.Title,
		UserName:          in.UserName,
		UserType:          in.UserType,
		Website:           in.Website,
	})
	if err != nil {
		return nil, c.fail(err)
	}
	return &identitystore.CreateUserOutput{
		IdentityStoreId: u.IdentityStoreId,
		Revision:        u.Revision,
		UserArn:         u.UserArn,
		UserId:          u.UserId,
	}, nil
}

func checkCreateUser(in *identitystore.CreateUserInput) error {
	switch {
	case deref(in.UserName) == "":
		return invalid("userName is required")
	case deref(in.DisplayName) == "":
		return invalid("displayName is required")
	case in.Name == nil || deref(in.Name.GivenName) == "" || deref(in.Name.FamilyName) == "":
		return invalid("name with givenName and familyName is required")
	case len(in.Emails) > 1, len(in.Addresses) > 1, len(in.PhoneNumbers) > 1:
		return invalid("emails, addresses and phoneNumbers take at most one value")
	}
	for k := range in.Extensions {
		if k != enterpriseExtension {
			return invalid("unknown extension " + k)
		}
	}
	fields := map[string]*string{
		"displayName": in.DisplayName, "nickName": in.NickName, "title": in.Title,
		"locale": in.Locale, "timezone": in.Timezone, "userType": in.UserType,
		"preferredLanguage": in.PreferredLanguage, "profileUrl": in.ProfileUrl,
		"name.givenName": in.Name.GivenName, "name.familyName": in.Name.FamilyName,
		"name.middleName": in.Name.MiddleName, "name.formatted": in.Name.Formatted,
	}
	for _, e := range in.Emails {
		fields["emails.value"] = e.Value
	}
	return checkNonEmpty(fields)
}

// DeleteUser deletes a user, its memberships and its assignments.
func (c *IdentityStore) DeleteUser(ctx context.Context, in *identitystore.DeleteUserInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.DeleteUserOutput, error) {
	if in == nil {
		in = &identitystore.DeleteUserInput{}
	}
	if err := c.begin(ctx, "DeleteUser", in.IdentityStoreId); err != nil {
		return nil, err
	}

	id, err := userID(in.UserId)
	if err != nil {
		return nil, c.fail(err)
	}
	if err := c.o.s.deleteUser(id, deref(in.Revision)); err != nil {
		return nil, c.fail(err)
	}
	return &identitystore.DeleteUserOutput{}, nil
}

// CreateGroup creates a group. DisplayName is required and unique.
func (c *IdentityStore) CreateGroup(ctx context.Context, in *identitystore.CreateGroupInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.CreateGroupOutput, error) {
	if in == nil {
		in = &identitystore.CreateGroupInput{}
	}
	if err := c.begin(ctx, "CreateGroup", in.IdentityStoreId); err != nil {
		return nil, err
	}

	err := checkNonEmpty(map[string]*string{"description": in.Description})
	if err != nil {
		return nil, c.fail(err)
	}
	g, err := c.o.s.createGroup(idtypes.Group{
		DisplayName: in.DisplayName,
		Description: in.Description,
	})
	if err != nil {
		return nil, c.fail(err)
	}
	return &identitystore.CreateGroupOutput{
		GroupArn:        g.GroupArn,
		GroupId:         g.GroupId,
		IdentityStoreId: g.IdentityStoreId,
		Revision:        g.Revision,
	}, nil
}

// DeleteGroup deletes a group and its memberships; its assignments stay,
// orphaned, as on AWS.
func (c *IdentityStore) DeleteGroup(ctx context.Context, in *identitystore.DeleteGroupInput,
	optFns ...func(*identitystore.Options),
) (*identitystore.DeleteGroupOutput, error) {
	if in == nil {
		in = &identitystore.DeleteGroupInput{}
	}
	if err := c.begin(ctx, "DeleteGroup", in.IdentityStoreId); err != nil {
		return nil, err
	}

	id, err := groupID(in.GroupId)
	if err != nil {
		return nil, c.fail(err)
	}
	if err := c.o.s.deleteGroup(id, deref(in.Revision)); err != nil {
		return nil, c.fail(err)
	}
	return &identitystore.DeleteGroupOutput{}, nil
}

// CreateGroupMembership puts a user in a group.
func (c *IdentityStore) CreateGroupMembership(ctx context.Context,
	in *identitystore.CreateGroupMembershipInput, optFns ...func(*identitystore.Options),
) (*identitystore.CreateGroupMembershipOutput, error) {
	if in == nil {
		in = &identitystore.CreateGroupMembershipInput{}
	}
	if err := c.begin(ctx, "CreateGroupMembership", in.IdentityStoreId); err != nil {
		return nil, err
	}

	gid, err := groupID(in.GroupId)
	if err != nil {
		return nil, c.fail(err)
	}
	uid, err := memberUserID(in.MemberId)
	if err != nil {
		return nil, c.fail(err)
	}
	m, err := c.o.s.addMembership(gid, uid)
	if err != nil {
		return nil, c.fail(err)
	}
	return &identitystore.CreateGroupMembershipOutput{
		IdentityStoreId: ptr(c.o.s.identityStoreID),
		MembershipArn:   ptr(membershipARN(m.id)),
		MembershipId:    ptr(m.id),
	}, nil
}

// DeleteGroupMembership removes a membership.
func (c *IdentityStore) DeleteGroupMembership(ctx context.Context,
	in *identitystore.DeleteGroupMembershipInput, optFns ...func(*identitystore.Options),
) (*identitystore.DeleteGroupMembershipOutput, error) {
	if in == nil {
		in = &identitystore.DeleteGroupMembershipInput{}
	}
	if err := c.begin(ctx, "DeleteGroupMembership", in.IdentityStoreId); err != nil {
		return nil, err
	}

	id, err := resourceID("membershipId", "arn:aws:identitystore:::membership/", in.MembershipId)
	if err != nil {
		return nil, c.fail(err)
	}
	if err := c.o.s.removeMembership(id); err != nil {
		return nil, c.fail(err)
	}
	return &identitystore.DeleteGroupMembershipOutput{}, nil
}

// documentString wraps a string as a document, for GetUserId and GetGroupId
// inputs.
func documentString(s string) document.Interface { return document.NewLazyDocument(s) }
