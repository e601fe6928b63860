package awscall

import (
	"errors"

	"github.com/aws/smithy-go"
)

// Sentinel errors that a failed call's *Error matches with errors.Is, so that
// callers tell cases apart without knowing each service's exception types.
var (
	ErrNotFound     = errors.New("not found")
	ErrAccessDenied = errors.New("access denied")
	ErrConflict     = errors.New("conflict")
	ErrThrottled    = errors.New("throttled")
	ErrValidation   = errors.New("invalid request")
)

// Error is a failed AWS call: the IAM action that was called and the error
// the service (or the transport) returned. errors.As still reaches the SDK's
// typed exception underneath.
type Error struct {
	// Action is the IAM action of the call, such as "sso:ListAccountAssignments".
	Action string
	// Err is the last attempt's error.
	Err error
}

// Error returns the action followed by the underlying error.
func (e *Error) Error() string { return e.Action + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether e is of the kind named by one of the sentinel errors.
// Only the called service's own answer counts: an error of a call made on
// its behalf (STS refusing AssumeRole while credentials were fetched, say)
// matches none, so that a credential failure is never read as this action
// being denied, absent or throttled.
func (e *Error) Is(target error) bool {
	code := serviceCode(e.Err)
	switch target {
	case ErrNotFound:
		return code == "ResourceNotFoundException" || code == "AccountNotFoundException"
	case ErrAccessDenied:
		return code == "AccessDeniedException" || code == "AccessDenied"
	case ErrConflict:
		return code == "ConflictException"
	case ErrThrottled:
		return code == "ThrottlingException" || code == "TooManyRequestsException"
	case ErrValidation:
		return code == "ValidationException" || code == "InvalidInputException"
	}
	return false
}

// serviceCode returns the error code the called service answered with, or ""
// when err carries none. An API error found beneath a second operation error
// is another call's, such as the STS AssumeRole that fetched credentials
// for this one: it is not the service's answer.
func serviceCode(err error) string {
	code, _ := ownCode(err, 0)
	return code
}

// ownCode walks err's chain, counting operation errors on the way, and
// stops at the first API error; ok is false when there is none, or when it
// lies beneath a nested operation.
func ownCode(err error, ops int) (code string, ok bool) {
	for err != nil {
		if _, isOp := err.(*smithy.OperationError); isOp {
			if ops++; ops > 1 {
				return "", false
			}
		}
		if ae, isAPI := err.(smithy.APIError); isAPI {
			return ae.ErrorCode(), true
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if code, ok := ownCode(e, ops); ok {
					return code, true
				}
			}
			return "", false
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		default:
			return "", false
		}
	}
	return "", false
}
