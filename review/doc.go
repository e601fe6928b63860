// Package review runs access reviews of one IAM Identity Center instance:
// it reads a snapshot, works out who can reach what and why, exports and
// compares the result, and carries out reviewers' decisions.
//
// # Snapshots
//
// [Collect] reads everything a review needs (users, groups, memberships,
// accounts, permission sets and their assignments) into a [Snapshot], at
// the pace AWS's throttle quotas allow and with the cheapest [Plan] for the
// assignments. It reads through the small interfaces [Directory] and
// [Permissions], which the identitycenter and permissions clients, the
// awsidctest fakes or a caller's own sources implement. A read the caller's
// policy denies is recorded in Snapshot.Unread rather than taken for an
// empty answer; any other failure fails the snapshot. [Snapshot.Save] and
// [Load] keep a snapshot in a checksummed file.
//
// # Effective access
//
// [Snapshot.Access] streams one [Access] row per (user, account, permission
// set) the user can reach, with every [Path] that grants it: the user's own
// assignment or a group's. [Snapshot.AccessByUser] and
// [Snapshot.AccessByAccount] group the rows. [Snapshot.Anomalies] lists the
// assignments worth a look: orphaned ones, those of empty groups, and those
// into accounts that are not active.
//
// # Exports and diffs
//
// [Export] writes the rows as a table, CSV, JSON or JSONL (see [Format]).
// [Compare] returns the [Diff] between two snapshots and [ExportDiff] writes
// it; [AccessChanges] streams only the access rows added and removed, with
// memory that does not grow with the number of rows.
//
// # Decisions, plan, apply
//
// [ExportDecisionTemplate] writes a file for reviewers to fill in, and
// [ReadDecisions] reads it back, refusing one edited outside its decision
// and reason columns. [NewActionPlan] checks the [Decisions] against a
// fresh snapshot and turns them into an [ActionPlan]: the actions to take,
// and the access they take away that no decision asked for. [Apply] carries
// the plan out through [Writers], recording each step in a [Journal], so
// that running it again after a stop resumes where it stopped. [Verify]
// checks the result on a later snapshot, and [Undo] plans the reverse of
// what a journal records as done.
package review
