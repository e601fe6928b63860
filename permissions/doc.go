// Package permissions reads the accounts of an AWS Organization and the
// permission sets and account assignments of an IAM Identity Center instance,
// and grants or revokes assignments.
//
// A [Client] wraps two small interfaces, [SSOAdminAPI] and [OrganizationsAPI],
// listing exactly the SDK operations it calls. The SDK's clients implement
// them, and so do the fakes in package awsidctest.
//
// # Iterators
//
// Every iterator in this package follows one contract: each item is yielded
// with a nil error; on failure one zero value is yielded with the error and
// iteration stops; ranging over the same iterator twice starts again from the
// first page; breaking out of the loop makes no further call. Each uses the
// largest page size AWS allows: 100 for SSO Admin, 20 for Organizations.
package permissions
