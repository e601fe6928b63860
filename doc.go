// Package awsidc runs access reviews of AWS IAM Identity Center from Go:
// who can reach which AWS account with which permission set, directly or
// through which group, and what changed since the last review.
//
// # The packages
//
// This package holds the connector: one [Config] says which instance to
// reach and how (Region, instance, an optional role to assume with its
// external id, an optional SCIM endpoint), and [New] validates it, builds
// credentials that refresh themselves and hands out the clients below.
//
//   - identitycenter reads users (with their status), groups and
//     memberships from the identity store.
//   - permissions reads the organisation's accounts, the permission sets
//     with their policies, and the account assignments; it also grants and
//     revokes assignments.
//   - scim manages user lifecycle through the instance's SCIM endpoint.
//   - review collects a snapshot of all of the above, computes effective
//     access with the path behind each grant, exports it, compares two
//     snapshots, and acts on reviewers' decisions: a plan, a dry run, and an
//     apply that a journal makes resumable.
//   - awsidctest fakes the whole AWS side, and the SCIM endpoint, in memory,
//     for tests that should not need AWS.
//
// Each client takes a small interface listing exactly the SDK operations it
// calls, so the SDK's clients, the fakes, or a user's own implementation can
// be handed in. Listings are iterators (iter.Seq2): each item comes with a
// nil error; on failure a zero value comes with the error and iteration
// stops.
//
// # A first review
//
//	conn, err := awsidc.New(ctx, awsidc.Config{Region: "eu-west-1"})
//	if err != nil {
//		return err
//	}
//	snap, err := review.Collect(ctx, conn.IdentityCenter(), conn.Permissions(),
//		review.Options{InstanceARN: conn.InstanceARN(),
//			IdentityStoreID: conn.IdentityStoreID()})
//	if err != nil {
//		return err
//	}
//	for a := range snap.Access(review.Filter{}) {
//		fmt.Println(a.UserName, a.AccountName, a.PermissionSetName,
//			review.ViaString(a.Via))
//	}
//
// Collect reads each AWS throttle bucket concurrently at AWS's documented
// rates, retries throttling, and never returns a partial snapshot: a read
// the caller's policy denies is listed in Snapshot.Unread, and any other
// failure fails the snapshot. Save the snapshot with Snapshot.Save, and at
// the next review compare with review.Compare.
//
// The program in examples/accessreview does all of this from the command
// line; run it with no flags to review a demo organisation.
package awsidc
