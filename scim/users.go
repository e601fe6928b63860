package scim

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
)

// Users iterates over every user, following AWS's cursor or an RFC server's startIndex.
//
// Each user comes with a nil error. On failure one zero User is yielded with the error
// and iteration stops. Ranging again starts over with new requests; breaking out early
// makes no further request.
func (c *Client) Users(ctx context.Context) iter.Seq2[User, error] {
	return c.UsersWhere(ctx, Filter{})
}

// UsersWhere iterates over the users that match f. AWS accepts userName, externalId,
// groups.value, and id with manager; any other filter yields a 400 *Error.
//
// Each user comes with a nil error. On failure one zero User is yielded with the error
// and iteration stops. Ranging again starts over with new requests; breaking out early
// makes no further request.
func (c *Client) UsersWhere(ctx context.Context, f Filter) iter.Seq2[User, error] {
	return list(ctx, c, "Users", f, func(u User) string { return u.ID })
}

// GroupMembers iterates over the users who are members of the group, with the filter
// groups.value eq groupID, since AWS never lists a group's members on the group.
//
// Each user comes with a nil error. On failure one zero User is yielded with the error
// and iteration stops. Ranging again starts over with new requests; breaking out early
// makes no further request.
func (c *Client) GroupMembers(ctx context.Context, groupID string) iter.Seq2[User, error] {
	if groupID == "" {
		return failSeq[User](errors.New("scim: empty group id"))
	}
	return c.UsersWhere(ctx, Eq(AttrGroupsValue, groupID))
}

// User returns the user with the given id; an *Error matching ErrNotFound if there is
// none.
func (c *Client) User(ctx context.Context, id string) (User, error) {
	path, err := resourcePath("Users", id)
	if err != nil {
		return User{}, err
	}
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path})
	if err != nil {
		return User{}, err
	}
	var u User
	return u, decode(http.MethodGet, "/"+path, resp.body, &u)
}

// UserByUserName returns the one user with the given user name. It returns an error
// matching ErrNotFound when there is none and ErrAmbiguous when there are several.
// After a rename in the identity provider, look the user up by external id first:
// AWS still holds the old user name.
func (c *Client) UserByUserName(ctx context.Context, userName string) (User, error) {
	return findOne(c.UsersWhere(ctx, Eq(AttrUserName, userName)), "user", AttrUserName)
}

// UserByExternalID returns the one user with the given external id. It returns an
// error matching ErrNotFound when there is none and ErrAmbiguous when there are several.
func (c *Client) UserByExternalID(ctx context.Context, externalID string) (User, error) {
	return findOne(c.UsersWhere(ctx, Eq(AttrExternalID, externalID)), "user", AttrExternalID)
}

// CreateUser creates u and returns the user as stored, with its id. The create is
// retried like any request, but a 409 that answers a retry means the first attempt
// may have succeeded: the user is then looked up by user name and returned.
func (c *Client) CreateUser(ctx context.Context, u User) (User, error) {
	u.ID, u.Meta = "", nil
	if len(u.Schemas) == 0 {
		u.Schemas = userSchemas(u)
	}
	resp, err := c.do(ctx, request{method: http.MethodPost, path: "Users", body: u})
	if err != nil {
		if resp.attempts > 1 && errors.Is(err, ErrConflict) {
			if found, ferr := c.UserByUserName(ctx, u.UserName); ferr == nil {
				return found, nil
			}
		}
		return User{}, err
	}
	var out User
	return out, decode(http.MethodPost, "/Users", resp.body, &out)
}

// ReplaceUser replaces the user u.ID with u (PUT) and returns the user as stored. The
// whole user is sent: attributes left empty are cleared.
func (c *Client) ReplaceUser(ctx context.Context, u User) (User, error) {
	path, err := resourcePath("Users", u.ID)
	if err != nil {
		return User{}, err
	}
	u.Meta = nil
	if len(u.Schemas) == 0 {
		u.Schemas = userSchemas(u)
	}
	resp, err := c.do(ctx, request{method: http.MethodPut, path: path, body: u})
	if err != nil {
		return User{}, err
	}
	if len(resp.body) == 0 {
		return c.User(ctx, u.ID)
	}
	var out User
	return out, decode(http.MethodPut, "/"+path, resp.body, &out)
}

// PatchUser applies ops to the user with the given id. It accepts both a 200 with the
// user and a 204. AWS allows one operation on active and one on userName per request.
func (c *Client) PatchUser(ctx context.Context, id string, ops ...PatchOperation) error {
	path, err := resourcePath("Users", id)
	if err != nil {
		return err
	}
	if len(ops) == 0 {
		return errors.New("scim: patch with no operations")
	}
	body := patchRequest{Schemas: []string{SchemaPatchOp}, Operations: ops}
	_, err = c.do(ctx, request{method: http.MethodPatch, path: path, body: body})
	return err
}

// Suspend sets the user inactive with one replace of active, so that the user can no
// longer sign in. Sessions that already exist run until they expire. Reactivate undoes
// it.
func (c *Client) Suspend(ctx context.Context, id string) error {
	return c.PatchUser(ctx, id, PatchOperation{Op: "replace", Path: "active", Value: false})
}

// Reactivate sets a suspended user active again.
func (c *Client) Reactivate(ctx context.Context, id string) error {
	return c.PatchUser(ctx, id, PatchOperation{Op: "replace", Path: "active", Value: true})
}

// DeleteUser deletes the user; an *Error matching ErrNotFound if there is none.
// In AWS this cannot be undone: the user's assignments are deleted with it.
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	path, err := resourcePath("Users", id)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, request{method: http.MethodDelete, path: path})
	return err
}

// Deprovision deletes the user, treating a user already gone as done. Like DeleteUser
// it cannot be undone.
func (c *Client) Deprovision(ctx context.Context, id string) error {
	err := c.DeleteUser(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func userSchemas(u User) []string {
	if u.Enterprise != nil {
		return []string{SchemaUser, SchemaEnterpriseUser}
	}
	return []string{SchemaUser}
}

// resourcePath returns collection/escaped-id.
func resourcePath(collection, id string) (string, error) {
	if id == "" {
		return "", fmt.Errorf("scim: empty %s id", collection)
	}
	return collection + "/" + url.PathEscape(id), nil
}

// findOne returns the single item of seq.
func findOne[T any](seq iter.Seq2[T, error], kind, attr string) (T, error) {
	var found []T
	for item, err := range seq {
		if err != nil {
			var zero T
			return zero, err
		}
		found = append(found, item)
		if len(found) > 1 {
			break
		}
	}
	switch len(found) {
	case 0:
		var zero T
		return zero, fmt.Errorf("scim: no %s with that %s: %w", kind, attr, ErrNotFound)
	case 1:
		return found[0], nil
	default:
		var zero T
		return zero, fmt.Errorf("scim: several %ss with that %s: %w", kind, attr, ErrAmbiguous)
	}
}

// failSeq yields one zero value with err.
func failSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
