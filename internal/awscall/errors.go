package awscall

import "errors"

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
func (e *Error) Is(target error) bool {
	code := ErrorCode(e.Err)
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
