package scim

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
)

// MaxMembersPerPatch is the most member changes AWS accepts in one PATCH of a group.
const MaxMembersPerPatch = 100

// Groups iterates over every group. AWS returns each group with no members.
//
// Each group comes with a nil error. On failure one zero Group is yielded with the
// error and iteration stops. Ranging again starts over with new requests; breaking out
// early makes no further request.
func (c *Client) Groups(ctx context.Context) iter.Seq2[Group, error] {
	return c.GroupsWhere(ctx, Filter{})
}

// GroupsWhere iterates over the groups that match f. AWS accepts displayName,
// externalId, members.value, and id with member; any other filter yields a 400 *Error.
//
// Each group comes with a nil error. On failure one zero Group is yielded with the
// error and iteration stops. Ranging again starts over with new requests; breaking out
// early makes no further request.
func (c *Client) GroupsWhere(ctx context.Context, f Filter) iter.Seq2[Group, error] {
	return list(ctx, c, "Groups", f, func(g Group) string { return g.ID })
}

// UserGroups iterates over the groups the user belongs to, with the filter
// members.value eq userID. AWS answers a user that does not exist with a 404, which is
// yielded as an *Error matching ErrNotFound.
//
// Each group comes with a nil error. On failure one zero Group is yielded with the
// error and iteration stops. Ranging again starts over with new requests; breaking out
// early makes no further request.
func (c *Client) UserGroups(ctx context.Context, userID string) iter.Seq2[Group, error] {
	if userID == "" {
		return failSeq[Group](errors.New("scim: empty user id"))
	}
	return c.GroupsWhere(ctx, Eq(AttrMemberValue, userID))
}

// Group returns the group with the given id; an *Error matching ErrNotFound if there
// is none.
func (c *Client) Group(ctx context.Context, id string) (Group, error) {
	path, err := resourcePath("Groups", id)
	if err != nil {
		return Group{}, err
	}
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path})
	if err != nil {
		return Group{}, err
	}
	var g Group
	return g, decode(http.MethodGet, "/"+path, resp.body, &g)
}

// GroupByDisplayName returns the one group with the given display name. It returns an
// error matching ErrNotFound when there is none and ErrAmbiguous when there are several.
func (c *Client) GroupByDisplayName(ctx context.Context, name string) (Group, error) {
	return findOne(c.GroupsWhere(ctx, Eq(AttrDisplayName, name)), "group", AttrDisplayName)
}

// CreateGroup creates g and returns the group as stored, with its id. As with
// CreateUser, a 409 that answers a retry looks the group up by display name.
func (c *Client) CreateGroup(ctx context.Context, g Group) (Group, error) {
	g.ID, g.Meta = "", nil
	if len(g.Schemas) == 0 {
		g.Schemas = []string{SchemaGroup}
	}
	resp, err := c.do(ctx, request{method: http.MethodPost, path: "Groups", body: g})
	if err != nil {
		if resp.attempts > 1 && errors.Is(err, ErrConflict) {
			if found, ferr := c.GroupByDisplayName(ctx, g.DisplayName); ferr == nil {
				return found, nil
			}
		}
		return Group{}, err
	}
	var out Group
	return out, decode(http.MethodPost, "/Groups", resp.body, &out)
}

// DeleteGroup deletes the group; an *Error matching ErrNotFound if there is none.
func (c *Client) DeleteGroup(ctx context.Context, id string) error {
	path, err := resourcePath("Groups", id)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, request{method: http.MethodDelete, path: path})
	return err
}

// AddMembers adds the users to the group, in PATCH requests of at most
// MaxMembersPerPatch members. Duplicate ids are sent once; no ids sends nothing.
func (c *Client) AddMembers(ctx context.Context, groupID string, userIDs ...string) error {
	return c.changeMembers(ctx, "add", groupID, userIDs)
}

// RemoveMembers removes the users from the group, in PATCH requests of at most
// MaxMembersPerPatch members, each naming the members to remove: never an empty list,
// never a replace of all members, both of which AWS rejects. Duplicate ids are sent
// once; no ids sends nothing.
func (c *Client) RemoveMembers(ctx context.Context, groupID string, userIDs ...string) error {
	return c.changeMembers(ctx, "remove", groupID, userIDs)
}

// changeMembers sends op on members in chunks. If a chunk fails, the error says how
// many changes were sent before it.
func (c *Client) changeMembers(ctx context.Context, op, groupID string, ids []string) error {
	path, err := resourcePath("Groups", groupID)
	if err != nil {
		return err
	}
	values := make([]memberValue, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if id == "" {
			return errors.New("scim: empty user id in member change")
		}
		if !seen[id] {
			seen[id] = true
			values = append(values, memberValue{Value: id})
		}
	}

	for done := 0; done < len(values); done += MaxMembersPerPatch {
		chunk := values[done:min(done+MaxMembersPerPatch, len(values))]
		body := patchRequest{
			Schemas:    []string{SchemaPatchOp},
			Operations: []PatchOperation{{Op: op, Path: "members", Value: chunk}},
		}
		_, err := c.do(ctx, request{method: http.MethodPatch, path: path, body: body})
		if err != nil {
			return fmt.Errorf("scim: %s members: %d of %d changes made: %w", op, done,
				len(values), err)
		}
	}
	return nil
}
