package identitycenter

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	"github.com/awsidc/awsidc/internal/awscall"
)

// WriteAPI is the set of Identity Store operations a [Writer] calls. It is
// kept apart from [API] so that a read-only review never needs write
// permissions. The SDK's *identitystore.Client implements it; so do the
// fakes in awsidctest.
type WriteAPI interface {
	DeleteUser(context.Context, *identitystore.DeleteUserInput,
		...func(*identitystore.Options)) (*identitystore.DeleteUserOutput, error)
	GetGroupMembershipId(context.Context, *identitystore.GetGroupMembershipIdInput,
		...func(*identitystore.Options)) (*identitystore.GetGroupMembershipIdOutput, error)
	CreateGroupMembership(context.Context, *identitystore.CreateGroupMembershipInput,
		...func(*identitystore.Options)) (*identitystore.CreateGroupMembershipOutput, error)
	DeleteGroupMembership(context.Context, *identitystore.DeleteGroupMembershipInput,
		...func(*identitystore.Options)) (*identitystore.DeleteGroupMembershipOutput, error)
}

var _ WriteAPI = (*identitystore.Client)(nil)

// ErrConflict matches the error of adding a membership that already exists.
var ErrConflict = awscall.ErrConflict

// Writer changes one identity store: it deletes users and adds or removes
// group memberships. It is safe for concurrent use.
//
// Where users and groups are provisioned by SCIM from an external identity
// provider, the provider overwrites such changes at its next sync: change
// them there, or through SCIM.
type Writer struct {
	api     WriteAPI
	storeID string
	inv     *awscall.Invoker
}

// NewWriter returns a Writer for the identity store identityStoreID.
func NewWriter(api WriteAPI, identityStoreID string, opts ...Option) *Writer {
	return &Writer{api: api, storeID: identityStoreID, inv: awscall.NewInvoker(nil, opts...)}
}

// DeleteUser deletes the user with id. AWS deletes the user's memberships
// and account assignments with it; it cannot be undone. A missing user gives
// an error matching [ErrNotFound].
func (w *Writer) DeleteUser(ctx context.Context, id string) error {
	_, err := awscall.Do(ctx, w.inv, "identitystore:DeleteUser",
		func(ctx context.Context) (*identitystore.DeleteUserOutput, error) {
			return w.api.DeleteUser(ctx, &identitystore.DeleteUserInput{
				IdentityStoreId: aws.String(w.storeID),
				UserId:          aws.String(id),
			})
		})
	if err != nil {
		return fmt.Errorf("identitycenter: delete user %q: %w", id, err)
	}
	return nil
}

// MembershipID returns the id of user userID's membership of group groupID.
// A user who is not a member gives an error matching [ErrNotFound].
func (w *Writer) MembershipID(ctx context.Context, groupID, userID string) (string, error) {
	out, err := awscall.Do(ctx, w.inv, "identitystore:GetGroupMembershipId",
		func(ctx context.Context) (*identitystore.GetGroupMembershipIdOutput, error) {
			return w.api.GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{
				IdentityStoreId: aws.String(w.storeID),
				GroupId:         aws.String(groupID),
				MemberId:        &types.MemberIdMemberUserId{Value: userID},
			})
		})
	if err != nil {
		return "", fmt.Errorf("identitycenter: membership of user %q in group %q: %w",
			userID, groupID, err)
	}
	return aws.ToString(out.MembershipId), nil
}

// AddMember puts user userID in group groupID and returns the membership
// id. A user already a member gives an error matching [ErrConflict].
func (w *Writer) AddMember(ctx context.Context, groupID, userID string) (string, error) {
	out, err := awscall.Do(ctx, w.inv, "identitystore:CreateGroupMembership",
		func(ctx context.Context) (*identitystore.CreateGroupMembershipOutput, error) {
			return w.api.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{
				IdentityStoreId: aws.String(w.storeID),
				GroupId:         aws.String(groupID),
				MemberId:        &types.MemberIdMemberUserId{Value: userID},
			})
		})
	if err != nil {
		return "", fmt.Errorf("identitycenter: add user %q to group %q: %w", userID, groupID, err)
	}
	return aws.ToString(out.MembershipId), nil
}

// DeleteMembership deletes the membership with id. A missing membership
// gives an error matching [ErrNotFound].
func (w *Writer) DeleteMembership(ctx context.Context, membershipID string) error {
	_, err := awscall.Do(ctx, w.inv, "identitystore:DeleteGroupMembership",
		func(ctx context.Context) (*identitystore.DeleteGroupMembershipOutput, error) {
			return w.api.DeleteGroupMembership(ctx, &identitystore.DeleteGroupMembershipInput{
				IdentityStoreId: aws.String(w.storeID),
				MembershipId:    aws.String(membershipID),
			})
		})
	if err != nil {
		return fmt.Errorf("identitycenter: delete membership %q: %w", membershipID, err)
	}
	return nil
}

// RemoveMember takes user userID out of group groupID: it looks the
// membership up, then deletes it. A user who is not a member gives an error
// matching [ErrNotFound].
func (w *Writer) RemoveMember(ctx context.Context, groupID, userID string) error {
	id, err := w.MembershipID(ctx, groupID, userID)
	if err != nil {
		return err
	}
	return w.DeleteMembership(ctx, id)
}
