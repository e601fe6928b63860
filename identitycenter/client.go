package identitycenter

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	"github.com/awsidc/awsidc/internal/awscall"
)

// API is the set of Identity Store operations a [Client] calls. The SDK's
// *identitystore.Client implements it; so do the fakes in awsidctest.
type API interface {
	ListUsers(context.Context, *identitystore.ListUsersInput,
		...func(*identitystore.Options)) (*identitystore.ListUsersOutput, error)
	ListGroups(context.Context, *identitystore.ListGroupsInput,
		...func(*identitystore.Options)) (*identitystore.ListGroupsOutput, error)
	ListGroupMemberships(context.Context, *identitystore.ListGroupMembershipsInput,
		...func(*identitystore.Options)) (*identitystore.ListGroupMembershipsOutput, error)
	ListGroupMembershipsForMember(context.Context,
		*identitystore.ListGroupMembershipsForMemberInput,
		...func(*identitystore.Options)) (*identitystore.ListGroupMembershipsForMemberOutput, error)
	DescribeUser(context.Context, *identitystore.DescribeUserInput,
		...func(*identitystore.Options)) (*identitystore.DescribeUserOutput, error)
	DescribeGroup(context.Context, *identitystore.DescribeGroupInput,
		...func(*identitystore.Options)) (*identitystore.DescribeGroupOutput, error)
	GetUserId(context.Context, *identitystore.GetUserIdInput,
		...func(*identitystore.Options)) (*identitystore.GetUserIdOutput, error)
}

var _ API = (*identitystore.Client)(nil)

// pageSize is the largest page the Identity Store allows.
const pageSize = 100

// Sentinel errors matched with errors.Is on the errors this package returns.
// The SDK's typed exceptions stay reachable with errors.As.
var (
	ErrNotFound     = awscall.ErrNotFound
	ErrAccessDenied = awscall.ErrAccessDenied
	ErrThrottled    = awscall.ErrThrottled
)

// Client reads one identity store. It is safe for concurrent use.
type Client struct {
	api     API
	storeID string
	inv     *awscall.Invoker
}

// New returns a Client reading the identity store identityStoreID through api.
func New(api API, identityStoreID string, opts ...Option) *Client {
	return &Client{api: api, storeID: identityStoreID, inv: awscall.NewInvoker(nil, opts...)}
}

// IdentityStoreID returns the id of the identity store the client reads.
func (c *Client) IdentityStoreID() string { return c.storeID }

// Users returns every user of the identity store, in the store's order. Each
// item comes with a nil error; on failure one zero value comes with the error
// and iteration stops. Ranging again starts from the first page; breaking out
// of the loop makes no further call.
func (c *Client) Users(ctx context.Context) iter.Seq2[User, error] {
	page := func(ctx context.Context, token *string) ([]User, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "identitystore:ListUsers",
			func(ctx context.Context) (*identitystore.ListUsersOutput, error) {
				return c.api.ListUsers(ctx, &identitystore.ListUsersInput{
					IdentityStoreId: aws.String(c.storeID),
					MaxResults:      aws.Int32(pageSize),
					NextToken:       token,
				})
			})
		if err != nil {
			return nil, nil, err
		}
		users := make([]User, len(out.Users))
		for i := range out.Users {
			users[i] = userFrom(&out.Users[i])
		}
		return users, out.NextToken, nil
	}
	return awscall.Items(ctx, page, func(u User) string { return u.ID })
}

// Groups returns every group of the identity store. Each item comes with a nil
// error; on failure one zero value comes with the error and iteration stops.
// Ranging again starts from the first page; breaking out of the loop makes no
// further call.
func (c *Client) Groups(ctx context.Context) iter.Seq2[Group, error] {
	page := func(ctx context.Context, token *string) ([]Group, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "identitystore:ListGroups",
			func(ctx context.Context) (*identitystore.ListGroupsOutput, error) {
				return c.api.ListGroups(ctx, &identitystore.ListGroupsInput{
					IdentityStoreId: aws.String(c.storeID),
					MaxResults:      aws.Int32(pageSize),
					NextToken:       token,
				})
			})
		if err != nil {
			return nil, nil, err
		}
		groups := make([]Group, len(out.Groups))
		for i := range out.Groups {
			groups[i] = groupFrom(&out.Groups[i])
		}
		return groups, out.NextToken, nil
	}
	return awscall.Items(ctx, page, func(g Group) string { return g.ID })
}

// Members returns the memberships of group groupID. Each item comes with a nil
// error; on failure one zero value comes with the error and iteration stops.
// Ranging again starts from the first page; breaking out of the loop makes no
// further call.
func (c *Client) Members(ctx context.Context, groupID string) iter.Seq2[Membership, error] {
	page := func(ctx context.Context, token *string) ([]Membership, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "identitystore:ListGroupMemberships",
			func(ctx context.Context) (*identitystore.ListGroupMembershipsOutput, error) {
				return c.api.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{
					IdentityStoreId: aws.String(c.storeID),
					GroupId:         aws.String(groupID),
					MaxResults:      aws.Int32(pageSize),
					NextToken:       token,
				})
			})
		if err != nil {
			return nil, nil, err
		}
		return membershipsFrom(out.GroupMemberships), out.NextToken, nil
	}
	return awscall.Items(ctx, page, func(m Membership) string { return m.ID })
}

// MembershipsOf returns the memberships of user userID, one per group the user
// belongs to. Each item comes with a nil error; on failure one zero value comes
// with the error and iteration stops. Ranging again starts from the first page;
// breaking out of the loop makes no further call.
func (c *Client) MembershipsOf(ctx context.Context, userID string) iter.Seq2[Membership, error] {
	page := func(ctx context.Context, token *string) ([]Membership, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "identitystore:ListGroupMembershipsForMember",
			func(ctx context.Context) (*identitystore.ListGroupMembershipsForMemberOutput, error) {
				return c.api.ListGroupMembershipsForMember(ctx,
					&identitystore.ListGroupMembershipsForMemberInput{
						IdentityStoreId: aws.String(c.storeID),
						MemberId:        &types.MemberIdMemberUserId{Value: userID},
						MaxResults:      aws.Int32(pageSize),
						NextToken:       token,
					})
			})
		if err != nil {
			return nil, nil, err
		}
		return membershipsFrom(out.GroupMemberships), out.NextToken, nil
	}
	return awscall.Items(ctx, page, func(m Membership) string { return m.ID })
}

// User returns the user with id. A missing user gives an error matching
// [ErrNotFound].
func (c *Client) User(ctx context.Context, id string) (User, error) {
	out, err := awscall.Do(ctx, c.inv, "identitystore:DescribeUser",
		func(ctx context.Context) (*identitystore.DescribeUserOutput, error) {
			return c.api.DescribeUser(ctx, &identitystore.DescribeUserInput{
				IdentityStoreId: aws.String(c.storeID),
				UserId:          aws.String(id),
			})
		})
	if err != nil {
		return User{}, fmt.Errorf("identitycenter: user %q: %w", id, err)
	}
	return userFromDescribe(out), nil
}

// Group returns the group with id. A missing group gives an error matching
// [ErrNotFound].
func (c *Client) Group(ctx context.Context, id string) (Group, error) {
	out, err := awscall.Do(ctx, c.inv, "identitystore:DescribeGroup",
		func(ctx context.Context) (*identitystore.DescribeGroupOutput, error) {
			return c.api.DescribeGroup(ctx, &identitystore.DescribeGroupInput{
				IdentityStoreId: aws.String(c.storeID),
				GroupId:         aws.String(id),
			})
		})
	if err != nil {
		return Group{}, fmt.Errorf("identitycenter: group %q: %w", id, err)
	}
	return Group{
		ID:          aws.ToString(out.GroupId),
		DisplayName: aws.ToString(out.DisplayName),
		Description: aws.ToString(out.Description),
		ExternalIDs: externalIDsFrom(out.ExternalIds),
	}, nil
}

// UserByName returns the user whose user name is userName, looked up with
// GetUserId. Where GetUserId is denied, it falls back to listing users, so a
// policy without that action still finds the user. No such user gives an
// error matching [ErrNotFound].
func (c *Client) UserByName(ctx context.Context, userName string) (User, error) {
	out, err := awscall.Do(ctx, c.inv, "identitystore:GetUserId",
		func(ctx context.Context) (*identitystore.GetUserIdOutput, error) {
			return c.api.GetUserId(ctx, &identitystore.GetUserIdInput{
				IdentityStoreId: aws.String(c.storeID),
				AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{
					Value: types.UniqueAttribute{
						AttributePath:  aws.String("userName"),
						AttributeValue: stringDocument(userName),
					},
				},
			})
		})
	switch {
	case err == nil:
		return c.User(ctx, aws.ToString(out.UserId))
	case errors.Is(err, ErrAccessDenied):
		return c.userByNameListing(ctx, userName)
	default:
		return User{}, fmt.Errorf("identitycenter: user named %q: %w", userName, err)
	}
}

func (c *Client) userByNameListing(ctx context.Context, userName string) (User, error) {
	for u, err := range c.Users(ctx) {
		if err != nil {
			return User{}, fmt.Errorf("identitycenter: user named %q: %w", userName, err)
		}
		if u.UserName == userName {
			return u, nil
		}
	}
	return User{}, fmt.Errorf("identitycenter: user named %q: %w", userName, ErrNotFound)
}
