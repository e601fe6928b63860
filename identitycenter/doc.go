// Package identitycenter reads the users, groups and memberships of an IAM
// Identity Center identity store, and the Identity Center instances of an
// organisation.
//
// A [Client] wraps anything that implements [API], the few Identity Store
// operations it calls: the SDK's *identitystore.Client, or a fake such as the
// one in package awsidctest. Listings are iterators (iter.Seq2) that page
// through AWS's results with the largest page size AWS allows.
//
// # Iterators
//
// Every iterator in this package follows one contract: each item is yielded
// with a nil error; on failure one zero value is yielded with the error and
// iteration stops; ranging over the same iterator twice starts again from the
// first page; breaking out of the loop makes no further call.
package identitycenter
