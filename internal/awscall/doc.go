// Package awscall runs AWS API calls for the public packages of awsidc: it
// paces each attempt to the throttle bucket of its action, retries with the
// SDK's standard retry policy, drops cached credentials that AWS reports
// expired, and turns paginated list operations into iterators. Its [Option]
// type is the one the public clients export as their own.
//
// The public clients (identitycenter, permissions) route every call through
// an [Invoker], whether the API underneath is a real SDK client or a fake, so
// pacing, retry and paging behave the same in tests as against AWS.
package awscall
