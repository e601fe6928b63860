package awsidctest_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
)

func TestListUsersPages(t *testing.T) {
	tests := []struct {
		name      string
		opts      []awsidctest.Option
		max       *int32
		wantPages int
	}{
		{"default page of 100", nil, nil, 1},
		{"MaxResults 10", nil, i32(10), 3},
		{"page limit 7", []awsidctest.Option{awsidctest.WithPageLimit(7)}, i32(100), 4},
		{"MaxResults below page limit",
			[]awsidctest.Option{awsidctest.WithPageLimit(7)}, i32(5), 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := awsidctest.NewOrg(tt.opts...)
			want := addUsers(t, o, 25)

			p := identitystore.NewListUsersPaginator(o.IdentityStore(),
				&identitystore.ListUsersInput{
					IdentityStoreId: str(o.IdentityStoreID()), MaxResults: tt.max,
				})
			var got []string
			pages := 0
			for p.HasMorePages() {
				page, err := p.NextPage(context.Background())
				require.NoError(t, err)
				pages++
				for _, u := range page.Users {
					got = append(got, *u.UserId)
				}
			}
			assert.Equal(t, want, got)
			assert.Equal(t, tt.wantPages, pages)
		})
	}
}

func TestListUsersSurvivesDeletionBetweenPages(t *testing.T) {
	o := awsidctest.NewOrg()
	ids := addUsers(t, o, 6)
	c := o.IdentityStore()
	in := &identitystore.ListUsersInput{
		IdentityStoreId: str(o.IdentityStoreID()), MaxResults: i32(3),
	}

	first, err := c.ListUsers(context.Background(), in)
	require.NoError(t, err)
	require.NoError(t, o.DeleteUser(ids[2]))
	require.NoError(t, o.DeleteUser(ids[3]))
	in.NextToken = first.NextToken
	second, err := c.ListUsers(context.Background(), in)
	require.NoError(t, err)

	var got []string
	for _, u := range second.Users {
		got = append(got, *u.UserId)
	}
	assert.Equal(t, ids[4:], got)
	assert.Nil(t, second.NextToken)
}

func TestTokensAreCheckedAgainstTheirRequest(t *testing.T) {
	o := awsidctest.NewOrg(awsidctest.WithPageLimit(1))
	users := addUsers(t, o, 3)
	g1, g2 := mustGroup(t, o, "one"), mustGroup(t, o, "two")
	for _, u := range users {
		_, err := o.AddMember(g1, u)
		require.NoError(t, err)
		_, err = o.AddMember(g2, u)
		require.NoError(t, err)
	}
	c, sid := o.IdentityStore(), str(o.IdentityStoreID())
	ctx := context.Background()
	page, err := c.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{
		IdentityStoreId: sid, GroupId: str(g1),
	})
	require.NoError(t, err)
	require.NotNil(t, page.NextToken)

	tests := []struct {
		name  string
		token *string
		group string
	}{
		{"token of another group", page.NextToken, g2},
		{"garbage", str("not-a-token"), g1},
		{"tampered", str(*page.NextToken + "x"), g1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{
				IdentityStoreId: sid, GroupId: str(tt.group), NextToken: tt.token,
			})
			ve := errorAs[*idtypes.ValidationException](t, err)
			assert.NotEmpty(t, ve.ErrorMessage())
			assert.NotNil(t, ve.RequestId)
		})
	}

	t.Run("token of another operation", func(t *testing.T) {
		_, err := c.ListUsers(ctx,
			&identitystore.ListUsersInput{IdentityStoreId: sid, NextToken: page.NextToken})
		errorAs[*idtypes.ValidationException](t, err)
	})
}

func TestIdentityStoreInputChecks(t *testing.T) {
	o := awsidctest.NewOrg()
	c := o.IdentityStore()
	ctx := context.Background()
	arn := "arn:aws:identitystore::111111111111:identitystore/" + o.IdentityStoreID()

	tests := []struct {
		name    string
		storeID *string
		max     *int32
		check   func(t *testing.T, err error)
	}{
		{"by id", str(o.IdentityStoreID()), nil, noError},
		{"by ARN", str(arn), nil, noError},
		{"missing", nil, nil, isValidation},
		{"malformed", str("store-1"), nil, isValidation},
		{"another store", str("d-0000000000"), nil, func(t *testing.T, err error) {
			e := errorAs[*idtypes.ResourceNotFoundException](t, err)
			assert.Equal(t, idtypes.ResourceTypeIdentityStore, e.ResourceType)
		}},
		{"MaxResults 0", str(o.IdentityStoreID()), i32(0), isValidation},
		{"MaxResults 101", str(o.IdentityStoreID()), i32(101), isValidation},
		{"MaxResults 100", str(o.IdentityStoreID()), i32(100), noError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ListGroups(ctx,
				&identitystore.ListGroupsInput{IdentityStoreId: tt.storeID, MaxResults: tt.max})
			tt.check(t, err)
		})
	}
}

func noError(t *testing.T, err error) { require.NoError(t, err) }

func isValidation(t *testing.T, err error) { errorAs[*idtypes.ValidationException](t, err) }

func TestCreateUser(t *testing.T) {
	o := awsidctest.NewOrg()
	c, sid := o.IdentityStore(), str(o.IdentityStoreID())
	ctx := context.Background()
	valid := func() *identitystore.CreateUserInput {
		return &identitystore.CreateUserInput{
			IdentityStoreId: sid, UserName: str("jane"), DisplayName: str("Jane Doe"),
			Name:   &idtypes.Name{GivenName: str("Jane"), FamilyName: str("Doe")},
			Emails: []idtypes.Email{{Value: str("jane@example.com"), Primary: true}},
		}
	}

	created, err := c.CreateUser(ctx, valid())
	require.NoError(t, err)
	assert.Regexp(t, `^\d{10}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`,
		*created.UserId)
	assert.Equal(t, "arn:aws:identitystore:::user/"+*created.UserId, *created.UserArn)
	assert.Equal(t, o.IdentityStoreID()[2:], (*created.UserId)[:10])

	got, err := c.DescribeUser(ctx,
		&identitystore.DescribeUserInput{IdentityStoreId: sid, UserId: created.UserId})
	require.NoError(t, err)
	assert.Equal(t, "Jane Doe", *got.DisplayName)
	assert.Equal(t, idtypes.UserStatusEnabled, got.UserStatus)
	assert.Equal(t, *created.Revision, *got.Revision)

	tests := []struct {
		name   string
		change func(*identitystore.CreateUserInput)
		check  func(*testing.T, error)
	}{
		{"same userName, other case", func(in *identitystore.CreateUserInput) {
			in.UserName = str("JANE")
		}, func(t *testing.T, err error) {
			e := errorAs[*idtypes.ConflictException](t, err)
			assert.Equal(t, idtypes.ConflictExceptionReasonUniquenessConstraintViolation,
				e.Reason)
		}},
		{"no userName", func(in *identitystore.CreateUserInput) {
			in.UserName = nil
		}, isValidation},
		{"no displayName", func(in *identitystore.CreateUserInput) {
			in.UserName, in.DisplayName = str("x1"), nil
		}, isValidation},
		{"no family name", func(in *identitystore.CreateUserInput) {
			in.UserName, in.Name.FamilyName = str("x2"), nil
		}, isValidation},
		{"empty nickName", func(in *identitystore.CreateUserInput) {
			in.UserName, in.NickName = str("x3"), str("")
		}, isValidation},
		{"two emails", func(in *identitystore.CreateUserInput) {
			in.UserName = str("x4")
			in.Emails = append(in.Emails, idtypes.Email{Value: str("b@example.com")})
		}, isValidation},
		{"reserved userName", func(in *identitystore.CreateUserInput) {
			in.UserName = str("Administrator")
		}, isValidation},
		{"forbidden character", func(in *identitystore.CreateUserInput) {
			in.UserName = str("a:b")
		}, isValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.change(in)
			_, err := c.CreateUser(ctx, in)
			tt.check(t, err)
		})
	}
}

func TestDescribeReturnsCopies(t *testing.T) {
	o := awsidctest.NewOrg()
	id := addUsers(t, o, 1)[0]
	c, sid := o.IdentityStore(), str(o.IdentityStoreID())
	ctx := context.Background()

	got, err := c.DescribeUser(ctx,
		&identitystore.DescribeUserInput{IdentityStoreId: sid, UserId: str(id)})
	require.NoError(t, err)
	*got.UserName = "changed"
	*got.Emails[0].Value = "changed"

	again, err := c.DescribeUser(ctx,
		&identitystore.DescribeUserInput{IdentityStoreId: sid, UserId: str(id)})
	require.NoError(t, err)
	assert.Equal(t, "user000", *again.UserName)
	assert.Equal(t, "user000@example.com", *again.Emails[0].Value)
}

func TestDescribeChecksIDs(t *testing.T) {
	o := awsidctest.NewOrg()
	c, sid := o.IdentityStore(), str(o.IdentityStoreID())
	ctx := context.Background()

	_, err := c.DescribeUser(ctx,
		&identitystore.DescribeUserInput{IdentityStoreId: sid, UserId: str("")})
	isValidation(t, err)
	_, err = c.DescribeUser(ctx,
		&identitystore.DescribeUserInput{IdentityStoreId: sid, UserId: str("bob")})
	isValidation(t, err)
	_, err = c.DescribeGroup(ctx, &identitystore.DescribeGroupInput{
		IdentityStoreId: sid, GroupId: str("1234567890-8a1c1cbe-2a2b-4c7f-9a31-6f0c1d2e3f40"),
	})
	e := errorAs[*idtypes.ResourceNotFoundException](t, err)
	assert.Equal(t, idtypes.ResourceTypeGroup, e.ResourceType)
}

func TestGetIds(t *testing.T) {
	o := awsidctest.NewOrg()
	users := addUsers(t, o, 3)
	g := mustGroup(t, o, "Admins")
	mid, err := o.AddMember(g, users[1])
	require.NoError(t, err)
	c, sid := o.IdentityStore(), str(o.IdentityStoreID())
	ctx := context.Background()
	attr := func(path, value string) idtypes.AlternateIdentifier {
		return &idtypes.AlternateIdentifierMemberUniqueAttribute{Value: idtypes.UniqueAttribute{
			AttributePath: str(path), AttributeValue: document.NewLazyDocument(value),
		}}
	}

	userTests := []struct {
		name string
		alt  idtypes.AlternateIdentifier
		want string
	}{
		{"userName", attr("userName", "user001"), users[1]},
		{"userName, other case", attr("userName", "USER002"), users[2]},
		{"email", attr("emails.value", "user000@example.com"), users[0]},
		{"external id", &idtypes.AlternateIdentifierMemberExternalId{Value: idtypes.ExternalId{
			Issuer: str(awsidctest.ExternalIDIssuer), Id: str("ext-user002"),
		}}, users[2]},
	}
	for _, tt := range userTests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := c.GetUserId(ctx,
				&identitystore.GetUserIdInput{IdentityStoreId: sid, AlternateIdentifier: tt.alt})
			require.NoError(t, err)
			assert.Equal(t, tt.want, *out.UserId)
		})
	}

	_, err = c.GetUserId(ctx, &identitystore.GetUserIdInput{
		IdentityStoreId: sid, AlternateIdentifier: attr("userName", "nobody"),
	})
	errorAs[*idtypes.ResourceNotFoundException](t, err)
	_, err = c.GetUserId(ctx, &identitystore.GetUserIdInput{
		IdentityStoreId: sid, AlternateIdentifier: attr("title", "x"),
	})
	isValidation(t, err)

	gout, err := c.GetGroupId(ctx, &identitystore.GetGroupIdInput{
		IdentityStoreId: sid, AlternateIdentifier: attr("displayName", "admins"),
	})
	require.NoError(t, err)
	assert.Equal(t, g, *gout.GroupId)

	mout, err := c.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{
		IdentityStoreId: sid, GroupId: str(g), MemberId: member(users[1]),
	})
	require.NoError(t, err)
	assert.Equal(t, mid, *mout.MembershipId)
	_, err = c.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{
		IdentityStoreId: sid, GroupId: str(g), MemberId: member(users[0]),
	})
	errorAs[*idtypes.ResourceNotFoundException](t, err)

	other := mustGroup(t, o, "Other")
	res, err := c.IsMemberInGroups(ctx, &identitystore.IsMemberInGroupsInput{
		IdentityStoreId: sid, MemberId: member(users[1]), GroupIds: []string{g, other},
	})
	require.NoError(t, err)
	require.Len(t, res.Results, 2)
	assert.True(t, res.Results[0].MembershipExists)
	assert.False(t, res.Results[1].MembershipExists)
}

func TestMemberships(t *testing.T) {
	o := awsidctest.NewOrg(awsidctest.WithPageLimit(2))
	users := addUsers(t, o, 5)
	c, sid := o.IdentityStore(), str(o.IdentityStoreID())
	ctx := context.Background()
	g, err := c.CreateGroup(ctx,
		&identitystore.CreateGroupInput{IdentityStoreId: sid, DisplayName: str("Team")})
	require.NoError(t, err)
	_, err = c.CreateGroup(ctx,
		&identitystore.CreateGroupInput{IdentityStoreId: sid, DisplayName: str("TEAM")})
	errorAs[*idtypes.ConflictException](t, err)

	for _, u := range users {
		_, err := c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{
			IdentityStoreId: sid, GroupId: g.GroupId, MemberId: member(u),
		})
		require.NoError(t, err)
	}
	_, err = c.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{
		IdentityStoreId: sid, GroupId: g.GroupId, MemberId: member(users[0]),
	})
	e := errorAs[*idtypes.ConflictException](t, err)
	assert.Equal(t, idtypes.ConflictExceptionReasonUniquenessConstraintViolation, e.Reason)

	p := identitystore.NewListGroupMembershipsPaginator(c, &identitystore.ListGroupMembershipsInput{
		IdentityStoreId: sid, GroupId: g.GroupId,
	})
	var got []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, m := range page.GroupMemberships {
			got = append(got, m.MemberId.(*idtypes.MemberIdMemberUserId).Value)
			assert.Equal(t, *g.GroupId, *m.GroupId)
		}
	}
	assert.Equal(t, users, got)

	forMember, err := c.ListGroupMembershipsForMember(ctx,
		&identitystore.ListGroupMembershipsForMemberInput{
			IdentityStoreId: sid, MemberId: member(users[3]),
		})
	require.NoError(t, err)
	require.Len(t, forMember.GroupMemberships, 1)

	_, err = c.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{
		IdentityStoreId: sid, MembershipId: forMember.GroupMemberships[0].MembershipId,
	})
	require.NoError(t, err)
	_, err = c.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{
		IdentityStoreId: sid, MembershipId: forMember.GroupMemberships[0].MembershipId,
	})
	errorAs[*idtypes.ResourceNotFoundException](t, err)
}

func TestDeleteRevision(t *testing.T) {
	o := awsidctest.NewOrg()
	c, sid := o.IdentityStore(), str(o.IdentityStoreID())
	ctx := context.Background()
	g, err := c.CreateGroup(ctx,
		&identitystore.CreateGroupInput{IdentityStoreId: sid, DisplayName: str("G")})
	require.NoError(t, err)

	_, err = c.DeleteGroup(ctx, &identitystore.DeleteGroupInput{
		IdentityStoreId: sid, GroupId: g.GroupId, Revision: str("stale"),
	})
	e := errorAs[*idtypes.ConflictException](t, err)
	assert.Equal(t, idtypes.ConflictExceptionReasonConcurrentModification, e.Reason)

	_, err = c.DeleteGroup(ctx, &identitystore.DeleteGroupInput{
		IdentityStoreId: sid, GroupId: g.GroupId, Revision: g.Revision,
	})
	require.NoError(t, err)
}

func TestSeededUsersMayLackNamesAndEmails(t *testing.T) {
	o := awsidctest.NewOrg()
	id, err := o.AddUser(awsidctest.UserSeed{UserName: "console-made", Status: "DISABLED"})
	require.NoError(t, err)

	out, err := o.IdentityStore().DescribeUser(context.Background(),
		&identitystore.DescribeUserInput{
			IdentityStoreId: str(o.IdentityStoreID()), UserId: str(id),
		})
	require.NoError(t, err)
	assert.Nil(t, out.Name)
	assert.Nil(t, out.DisplayName)
	assert.Empty(t, out.Emails)
	assert.Equal(t, idtypes.UserStatusDisabled, out.UserStatus)

	_, err = o.AddUser(awsidctest.UserSeed{UserName: "Console-Made"})
	assert.ErrorIs(t, err, awsidctest.ErrConflict)
}

// uuidPattern matches a random (version 4) UUID in lower case.
var uuidPattern = regexp.MustCompile(
	`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
