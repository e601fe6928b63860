// Package awsidctest is an in-memory fake of the AWS services awsidc talks
// to: IAM Identity Center's identity store (identitystore), its admin API
// (ssoadmin) and AWS Organizations. It is meant for tests: awsidc's own, and
// the unit tests of programs built on awsidc.
//
// An Org holds one Identity Center instance, its identity store and one
// organization. Its three clients, returned by Org.IdentityStore,
// Org.SSOAdmin and Org.Organizations, have exactly the method signatures of
// the aws-sdk-go-v2 clients, so they satisfy any interface that lists SDK
// methods, including the SDK's own paginator interfaces:
//
//	type userLister interface {
//		ListUsers(context.Context, *identitystore.ListUsersInput,
//			...func(*identitystore.Options)) (*identitystore.ListUsersOutput, error)
//	}
//
//	var _ userLister = (*identitystore.Client)(nil)       // in production
//	var _ userLister = (*awsidctest.IdentityStore)(nil)   // in tests
//
// The fake behaves like AWS rather than answering canned values:
//
//   - Lists page with opaque NextTokens, in creation order, within AWS's page
//     limits (1-100, or 1-20 for ListAccounts). A token used with other
//     parameters, or made up, is refused with a ValidationException.
//     WithPageLimit makes pages shorter to exercise paging code.
//   - Errors are the services' own typed errors (ResourceNotFoundException,
//     ConflictException, ValidationException, AccessDeniedException,
//     AccountNotFoundException, ...), so errors.As works as against AWS.
//   - Deleting a user deletes its memberships and its assignments; deleting a
//     group deletes its memberships but leaves its assignments behind,
//     orphaned, as AWS does.
//   - CreateAccountAssignment and DeleteAccountAssignment are asynchronous:
//     they answer IN_PROGRESS and the request finishes after it has been
//     read (see WithCompletionPolls); at most 15 creations may be in
//     progress. Assignments provision their permission set to the account,
//     which is what ListAccountsForProvisionedPermissionSet reports.
//   - ListAccountAssignmentsForPrincipal for a user also returns the
//     assignments of the user's groups, as GROUP rows.
//
// Every SDK-shaped call first checks its context, then runs the
// interceptors (WithInterceptor, Org.AddInterceptor) with the call's IAM
// action name, such as "sso:ListAccountAssignments"; an interceptor's error
// fails the call before it reads or changes anything. AllowOnly builds an
// interceptor that denies every action outside a list, as a narrow IAM
// policy would. Org.Calls counts the calls per action.
//
// Seeding helpers (AddUser, AddGroup, AddMember, AddAccount,
// AddPermissionSet, Assign) build state directly, without interceptors or
// asynchronous requests. Demo returns a ready-made organisation.
//
// Ids, ARNs and timestamps are deterministic: the same calls on two Orgs
// made with the same seed (WithSeed) give the same values, so output can be
// compared with golden files. Timestamps come from a clock that starts at
// 2026-01-15T09:00:00Z and moves one second per reading (see WithClock).
//
// The same store also backs the package's SCIM server, so users written
// over SCIM are visible through the identitystore client and the reverse.
package awsidctest
