package awsidctest

import (
	"context"
	"errors"
	"slices"
	"strings"

	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// Sentinels matched, with errors.Is, by the errors of the seeding helpers
// (AddUser, Assign, ...). The SDK-shaped methods return the services' own
// typed errors instead.
var (
	ErrNotFound = errors.New("awsidctest: not found")
	ErrConflict = errors.New("awsidctest: already exists or conflicts")
	ErrInvalid  = errors.New("awsidctest: invalid input")
	ErrQuota    = errors.New("awsidctest: quota exceeded")
)

// identityStoreError turns a store error into the identitystore typed error.
func (o *Org) identityStoreError(err error) error {
	var se *storeError
	if !errors.As(err, &se) {
		return err
	}

	msg, rid := ptr(se.msg), ptr(o.ids.requestID())
	switch se.kind {
	case kindNotFound:
		e := &idtypes.ResourceNotFoundException{Message: msg, RequestId: rid}
		if se.id != "" {
			e.ResourceId = ptr(se.id)
		}
		switch se.resource {
		case resUser:
			e.ResourceType = idtypes.ResourceTypeUser
		case resGroup:
			e.ResourceType = idtypes.ResourceTypeGroup
		case resMembership:
			e.ResourceType = idtypes.ResourceTypeGroupMembership
		case resIdentityStore:
			e.ResourceType = idtypes.ResourceTypeIdentityStore
		}
		return e
	case kindConflict:
		reason := idtypes.ConflictExceptionReasonUniquenessConstraintViolation
		if se.concurrent {
			reason = idtypes.ConflictExceptionReasonConcurrentModification
		}
		return &idtypes.ConflictException{Message: msg, RequestId: rid, Reason: reason}
	case kindQuota:
		return &idtypes.ServiceQuotaExceededException{Message: msg, RequestId: rid}
	}
	return &idtypes.ValidationException{Message: msg, RequestId: rid}
}

// ssoAdminError turns a store error into the ssoadmin typed error.
func ssoAdminError(err error) error {
	var se *storeError
	if !errors.As(err, &se) {
		return err
	}

	msg := ptr(se.msg)
	switch se.kind {
	case kindNotFound:
		return &ssotypes.ResourceNotFoundException{Message: msg}
	case kindConflict:
		return &ssotypes.ConflictException{Message: msg}
	case kindQuota:
		return &ssotypes.ServiceQuotaExceededException{Message: msg}
	}
	return &ssotypes.ValidationException{Message: msg}
}

// organizationsError turns a store error into the organizations typed error.
func organizationsError(err error) error {
	var se *storeError
	if !errors.As(err, &se) {
		return err
	}

	msg := ptr(se.msg)
	switch {
	case se.kind == kindNotFound && se.resource == resCreateStatus:
		return &orgtypes.CreateAccountStatusNotFoundException{Message: msg}
	case se.kind == kindNotFound:
		return &orgtypes.AccountNotFoundException{Message: msg}
	case se.kind == kindConflict:
		return &orgtypes.DuplicateAccountException{Message: msg}
	case se.kind == kindQuota:
		return &orgtypes.ConstraintViolationException{Message: msg}
	}
	return &orgtypes.InvalidInputException{Message: msg}
}

// accessDenied returns the AccessDeniedException of the service that owns
// action ("identitystore:...", "sso:..." or "organizations:...").
func accessDenied(action string) error {
	msg := ptr("User is not authorized to perform: " + action)
	switch {
	case strings.HasPrefix(action, "identitystore:"):
		return &idtypes.AccessDeniedException{Message: msg, RequestId: ptr(deniedIDs.requestID())}
	case strings.HasPrefix(action, "organizations:"):
		return &orgtypes.AccessDeniedException{Message: msg}
	}
	return &ssotypes.AccessDeniedException{Message: msg}
}

// AllowOnly returns an interceptor that lets the listed actions through and
// fails every other call with the AccessDeniedException of the action's
// service, as AWS does for an IAM policy granting only those actions.
// Actions are IAM action names such as "identitystore:ListUsers" or
// "sso:ListAccountAssignments"; a trailing "*" matches a prefix
// ("identitystore:List*").
func AllowOnly(actions ...string) Interceptor {
	allowed := slices.Clone(actions)
	return func(_ context.Context, action string) error {
		for _, a := range allowed {
			prefix, wild := strings.CutSuffix(a, "*")
			if a == action || (wild && strings.HasPrefix(action, prefix)) {
				return nil
			}
		}
		return accessDenied(action)
	}
}

// deniedIDs gives the request ids of AllowOnly's errors.
var deniedIDs = newIDGen("access-denied")
