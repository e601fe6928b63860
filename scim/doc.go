// Package scim is a SCIM 2.0 client for the user lifecycle in AWS IAM Identity Center:
// finding, suspending, reactivating and deprovisioning users, and reading and changing
// group memberships.
//
// The client speaks to AWS's SCIM endpoint,
// https://scim.<region>.amazonaws.com/<tenant>/scim/v2/, with a bearer token, and follows
// what that endpoint really does rather than only what RFC 7644 says:
//
//   - Lists page with a cursor: the first request carries a bare cursor parameter and the
//     client follows nextCursor. Servers that ignore the cursor and page with startIndex
//     and totalResults, as RFC servers do, work as well.
//   - Filters use only eq, joined with and; values are quoted as JSON strings.
//   - Groups never list their members; members are read with a groups.value filter on
//     users, and a user's groups with a members.value filter on groups.
//   - Member changes go in PATCH requests of at most 100 members each, and never replace
//     the whole member list.
//   - Errors are decoded from AWS's body shapes into *Error, which works with errors.Is
//     and the sentinels [ErrNotFound], [ErrConflict], [ErrUnauthorized],
//     [ErrForbidden] and [ErrThrottled].
//
// Requests are paced by a client-side rate limiter and retried on 429, on 5xx other than
// 501 and on network errors, with exponential backoff and full jitter, honouring
// Retry-After. A Client is safe for concurrent use. It never logs by default, and the
// token never appears in an error, a log record or a formatted Client.
//
// Deleting a user is irreversible in AWS: the user's account and application assignments
// go with it, and a user created again with the same user name gets a new id. Suspend a
// user when the decision may be undone.
package scim
