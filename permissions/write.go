package permissions

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/awsidc/awsidc/internal/awscall"
)

// Grant asks AWS to create assignment a. AWS works asynchronously: the
// returned Operation is usually IN_PROGRESS; follow it with
// [Client.OperationStatus]. Creating an assignment also provisions the
// permission set to the account. A malformed assignment gives an
// *InputError naming the field, before any call.
func (c *Client) Grant(ctx context.Context, a Assignment) (Operation, error) {
	if err := a.check(); err != nil {
		return Operation{}, err
	}
	out, err := awscall.Do(ctx, c.inv, "sso:CreateAccountAssignment",
		func(ctx context.Context) (*ssoadmin.CreateAccountAssignmentOutput, error) {
			return c.sso.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{
				InstanceArn:      aws.String(c.instance),
				TargetId:         aws.String(a.AccountID),
				TargetType:       ssotypes.TargetTypeAwsAccount,
				PermissionSetArn: aws.String(a.PermissionSetARN),
				PrincipalType:    ssotypes.PrincipalType(a.PrincipalType),
				PrincipalId:      aws.String(a.PrincipalID),
			})
		})
	if err != nil {
		return Operation{}, fmt.Errorf("permissions: grant %s: %w", a, err)
	}
	return operationFrom(KindCreate, a, out.AccountAssignmentCreationStatus), nil
}

// Revoke asks AWS to delete assignment a. AWS works asynchronously: the
// returned Operation is usually IN_PROGRESS; follow it with
// [Client.OperationStatus]. Revoking an assignment that does not exist gives
// an error matching [ErrNotFound]. A malformed assignment gives an
// *InputError naming the field, before any call.
func (c *Client) Revoke(ctx context.Context, a Assignment) (Operation, error) {
	if err := a.check(); err != nil {
		return Operation{}, err
	}
	out, err := awscall.Do(ctx, c.inv, "sso:DeleteAccountAssignment",
		func(ctx context.Context) (*ssoadmin.DeleteAccountAssignmentOutput, error) {
			return c.sso.DeleteAccountAssignment(ctx, &ssoadmin.DeleteAccountAssignmentInput{
				InstanceArn:      aws.String(c.instance),
				TargetId:         aws.String(a.AccountID),
				TargetType:       ssotypes.TargetTypeAwsAccount,
				PermissionSetArn: aws.String(a.PermissionSetARN),
				PrincipalType:    ssotypes.PrincipalType(a.PrincipalType),
				PrincipalId:      aws.String(a.PrincipalID),
			})
		})
	if err != nil {
		return Operation{}, fmt.Errorf("permissions: revoke %s: %w", a, err)
	}
	return operationFrom(KindDelete, a, out.AccountAssignmentDeletionStatus), nil
}

// OperationStatus reads the current state of the operation op started by
// [Client.Grant] or [Client.Revoke].
func (c *Client) OperationStatus(ctx context.Context, op Operation) (Operation, error) {
	var st *ssotypes.AccountAssignmentOperationStatus
	var err error
	switch op.Kind {
	case KindCreate:
		var out *ssoadmin.DescribeAccountAssignmentCreationStatusOutput
		out, err = awscall.Do(ctx, c.inv, "sso:DescribeAccountAssignmentCreationStatus",
			func(ctx context.Context) (
				*ssoadmin.DescribeAccountAssignmentCreationStatusOutput, error,
			) {
				return c.sso.DescribeAccountAssignmentCreationStatus(ctx,
					&ssoadmin.DescribeAccountAssignmentCreationStatusInput{
						InstanceArn:                        aws.String(c.instance),
						AccountAssignmentCreationRequestId: aws.String(op.RequestID),
					})
			})
		if err == nil {
			st = out.AccountAssignmentCreationStatus
		}
	case KindDelete:
		var out *ssoadmin.DescribeAccountAssignmentDeletionStatusOutput
		out, err = awscall.Do(ctx, c.inv, "sso:DescribeAccountAssignmentDeletionStatus",
			func(ctx context.Context) (
				*ssoadmin.DescribeAccountAssignmentDeletionStatusOutput, error,
			) {
				return c.sso.DescribeAccountAssignmentDeletionStatus(ctx,
					&ssoadmin.DescribeAccountAssignmentDeletionStatusInput{
						InstanceArn:                        aws.String(c.instance),
						AccountAssignmentDeletionRequestId: aws.String(op.RequestID),
					})
			})
		if err == nil {
			st = out.AccountAssignmentDeletionStatus
		}
	default:
		return Operation{}, fmt.Errorf("permissions: unknown operation kind %q", op.Kind)
	}
	if err != nil {
		return Operation{}, fmt.Errorf("permissions: status of %s request %s: %w",
			op.Kind, op.RequestID, err)
	}
	return operationFrom(op.Kind, op.Assignment, st), nil
}

func operationFrom(
	kind string, a Assignment, st *ssotypes.AccountAssignmentOperationStatus,
) Operation {
	op := Operation{Kind: kind, Assignment: a, Status: OperationInProgress}
	if st != nil {
		op.RequestID = aws.ToString(st.RequestId)
		op.FailureReason = aws.ToString(st.FailureReason)
		if st.Status != "" {
			op.Status = OperationStatus(st.Status)
		}
	}
	return op
}

// String returns a readable form of the assignment.
func (a Assignment) String() string {
	return fmt.Sprintf("%s %s on account %s with %s", a.PrincipalType, a.PrincipalID,
		a.AccountID, a.PermissionSetARN)
}
