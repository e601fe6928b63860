// Package awscall runs AWS API calls for the public packages of awsidc: it
// paces each attempt to the throttle bucket of its action, retries with the
// SDK's standard retry policy, and turns paginated list operations into
// iterators.
//
// The public clients (identitycenter, permissions) route every call through
// an [Invoker], whether the API underneath is a real SDK client or a fake, so
// pacing, retry and paging behave the same in tests as against AWS.
package awscall
