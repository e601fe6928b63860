package permissions

import (
	"errors"
	"fmt"
	"strings"

	"github.com/awsidc/awsidc/internal/validate"
)

// InputError is an argument refused before any call to AWS: Field names the
// argument ("AccountID", "PermissionSetARN", "PrincipalType",
// "PrincipalID") and Err says what is wrong with it.
type InputError struct {
	Field string
	Err   error
}

// Error names the field and the problem.
func (e *InputError) Error() string { return "permissions: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the problem.
func (e *InputError) Unwrap() error { return e.Err }

// check returns an *InputError for the first malformed field of a, in the
// order AccountID, PermissionSetARN, PrincipalType, PrincipalID, or nil.
// The permission set ARN is checked loosely (see permissionSetARN).
func (a Assignment) check() error {
	if err := validate.AccountID(a.AccountID); err != nil {
		return &InputError{Field: "AccountID", Err: err}
	}
	if err := permissionSetARN(a.PermissionSetARN); err != nil {
		return &InputError{Field: "PermissionSetARN", Err: err}
	}
	if a.PrincipalType != PrincipalUser && a.PrincipalType != PrincipalGroup {
		return &InputError{Field: "PrincipalType",
			Err: fmt.Errorf("want %s or %s", PrincipalUser, PrincipalGroup)}
	}
	if err := validate.PrincipalID(a.PrincipalID); err != nil {
		return &InputError{Field: "PrincipalID", Err: err}
	}
	return nil
}

// permissionSetARN checks the parts of a permission set ARN that every
// emulator agrees with AWS on: an sso ARN naming a ps- resource. moto names
// them arn:aws:sso:::instance/ssoins-<id>/ps-<id> where AWS writes
// permissionSet/ instead of instance/, so the full pattern
// (validate.PermissionSetARN) would refuse the integration tests' sets.
func permissionSetARN(s string) error {
	if validate.PermissionSetARN(s) == nil {
		return nil
	}
	_, rest, ok := strings.Cut(s, ":sso:::")
	if !strings.HasPrefix(s, "arn:") || !ok || !strings.Contains(rest, "/ps-") ||
		strings.ContainsAny(s, " \t\n") {
		return errors.New("malformed: want arn:<partition>:sso:::permissionSet/ssoins-<id>/ps-<id>")
	}
	return nil
}
