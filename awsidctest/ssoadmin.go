package awsidctest

import (
	"context"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// SSOAdmin is the fake ssoadmin client. Its methods have the signatures of
// *ssoadmin.Client; the option functions are ignored.
type SSOAdmin struct{ o *Org }

var (
	instanceARNPattern = regexp.MustCompile(`^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b)` +
		`:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$`)
	setARNPattern = regexp.MustCompile(`^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b)` +
		`:sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}$`)
	principalIDPattern = resourceIDRegex
	requestIDPattern   = regexp.MustCompile(
		`^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`)
)

func (c *SSOAdmin) fail(err error) error { return ssoAdminError(err) }

// begin starts a call: interceptors, then the instance ARN.
func (c *SSOAdmin) begin(ctx context.Context, op string, instanceARN *string) error {
	if err := c.o.enter(ctx, "sso:"+op); err != nil {
		return err
	}
	if err := c.o.s.checkInstance(instanceARN); err != nil {
		return c.fail(err)
	}
	return nil
}

// checkInstance accepts the instance's ARN. A malformed value is invalid;
// another well-formed instance is not found.
func (s *store) checkInstance(arn *string) error {
	v := deref(arn)
	switch {
	case v == "":
		return invalid("instanceArn is required")
	case v == s.instanceARN:
		return nil
	case instanceARNPattern.MatchString(v):
		return notFound(resInstance, v, "instance "+v+" not found")
	}
	return invalid("instanceArn " + v + " is not a valid instance ARN")
}

// setARN checks the format of a permission set ARN.
func setARN(v *string) (string, error) {
	switch {
	case deref(v) == "":
		return "", invalid("permissionSetArn is required")
	case !setARNPattern.MatchString(*v):
		return "", invalid("permissionSetArn " + *v + " is not a valid permission set ARN")
	}
	return *v, nil
}

func checkAccountID(field string, v *string) (string, error) {
	if !accountIDPattern.MatchString(deref(v)) {
		return "", invalid(field + " must be a 12-digit account id")
	}
	return *v, nil
}

func principal(ptype ssotypes.PrincipalType, id *string) (string, string, error) {
	if ptype != ssotypes.PrincipalTypeUser && ptype != ssotypes.PrincipalTypeGroup {
		return "", "", invalid("principalType must be USER or GROUP")
	}
	if !principalIDPattern.MatchString(deref(id)) {
		return "", "", invalid("principalId is not a valid user or group id")
	}
	return string(ptype), *id, nil
}

// pageSlice pages a small slice by offset.
func pageSlice[T any](xs []T, after uint64, n int) ([]T, uint64, bool) {
	start := min(int(after), len(xs))
	end := min(start+n, len(xs))
	return append([]T(nil), xs[start:end]...), uint64(end), end < len(xs)
}

// ListInstances lists the one instance.
func (c *SSOAdmin) ListInstances(ctx context.Context, in *ssoadmin.ListInstancesInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListInstancesOutput, error) {
	if in == nil {
		in = &ssoadmin.ListInstancesInput{}
	}
	if err := c.o.enter(ctx, "sso:ListInstances"); err != nil {
		return nil, err
	}

	_, cur, err := c.o.listRequest("ListInstances", nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}
	out := &ssoadmin.ListInstancesOutput{}
	if cur.After == 0 {
		s := c.o.s
		out.Instances = []ssotypes.InstanceMetadata{{
			CreatedDate:      ptr(s.instanceCreated),
			IdentityStoreArn: ptr(s.identityStoreARN()),
			IdentityStoreId:  ptr(s.identityStoreID),
			InstanceArn:      ptr(s.instanceARN),
			Name:             ptr(s.instanceName),
			OwnerAccountId:   ptr(s.managementID),
			Status:           ssotypes.InstanceStatusActive,
		}}
	}
	return out, nil
}

// DescribeInstance describes the instance.
func (c *SSOAdmin) DescribeInstance(ctx context.Context, in *ssoadmin.DescribeInstanceInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.DescribeInstanceOutput, error) {
	if in == nil {
		in = &ssoadmin.DescribeInstanceInput{}
	}
	if err := c.begin(ctx, "DescribeInstance", in.InstanceArn); err != nil {
		return nil, err
	}

	s := c.o.s
	return &ssoadmin.DescribeInstanceOutput{
		CreatedDate:           ptr(s.instanceCreated),
		IdentityStoreArn:      ptr(s.identityStoreARN()),
		IdentityStoreId:       ptr(s.identityStoreID),
		InstanceArn:           ptr(s.instanceARN),
		Name:                  ptr(s.instanceName),
		OwnerAccountId:        ptr(s.managementID),
		PermissionSetsEnabled: ptr(true),
		Status:                ssotypes.InstanceStatusActive,
	}, nil
}

// CreatePermissionSet creates a permission set. SessionDuration defaults to
// PT1H and must lie between PT1H and PT12H.
func (c *SSOAdmin) CreatePermissionSet(ctx context.Context, in *ssoadmin.CreatePermissionSetInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.CreatePermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.CreatePermissionSetInput{}
	}
	if err := c.begin(ctx, "CreatePermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	s := c.o.s
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.createPermissionSetLocked(deref(in.Name), deref(in.Description),
		deref(in.RelayState), deref(in.SessionDuration), in.Tags)
	if err != nil {
		return nil, c.fail(err)
	}
	return &ssoadmin.CreatePermissionSetOutput{PermissionSet: clonePermissionSet(p.ps)}, nil
}

// withSet runs f with the permission set named by arn, under the lock
// (write lock if write).
func (c *SSOAdmin) withSet(arnIn *string, write bool, f func(*permissionSet) error) error {
	arn, err := setARN(arnIn)
	if err != nil {
		return c.fail(err)
	}
	s := c.o.s
	if write {
		s.mu.Lock()
		defer s.mu.Unlock()
	} else {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	p, err := s.setLocked(arn)
	if err != nil {
		return c.fail(err)
	}
	if err := f(p); err != nil {
		return c.fail(err)
	}
	return nil
}

// DescribePermissionSet describes a permission set.
func (c *SSOAdmin) DescribePermissionSet(
	ctx context.Context, in *ssoadmin.DescribePermissionSetInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.DescribePermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.DescribePermissionSetInput{}
	}
	if err := c.begin(ctx, "DescribePermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	out := &ssoadmin.DescribePermissionSetOutput{}
	err := c.withSet(in.PermissionSetArn, false, func(p *permissionSet) error {
		out.PermissionSet = clonePermissionSet(p.ps)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeletePermissionSet deletes a permission set that is provisioned nowhere
// (ConflictException otherwise).
func (c *SSOAdmin) DeletePermissionSet(ctx context.Context, in *ssoadmin.DeletePermissionSetInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.DeletePermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.DeletePermissionSetInput{}
	}
	if err := c.begin(ctx, "DeletePermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	err := c.withSet(in.PermissionSetArn, true, func(p *permissionSet) error {
		return c.o.s.deletePermissionSetLocked(*p.ps.PermissionSetArn)
	})
	if err != nil {
		return nil, err
	}
	return &ssoadmin.DeletePermissionSetOutput{}, nil
}

// ListPermissionSets lists permission set ARNs in creation order.
func (c *SSOAdmin) ListPermissionSets(ctx context.Context, in *ssoadmin.ListPermissionSetsInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListPermissionSetsOutput, error) {
	if in == nil {
		in = &ssoadmin.ListPermissionSetsInput{}
	}
	if err := c.begin(ctx, "ListPermissionSets", in.InstanceArn); err != nil {
		return nil, err
	}

	n, cur, err := c.o.listRequest("ListPermissionSets", nil, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	s := c.o.s
	s.mu.RLock()
	page, last, more := s.setOrder.page(cur.After, n, nil)
	s.mu.RUnlock()
	out := &ssoadmin.ListPermissionSetsOutput{
		PermissionSets: make([]string, 0, len(page)),
		NextToken:      encodeToken("ListPermissionSets", nil, cursor{After: last}, more),
	}
	for _, p := range page {
		out.PermissionSets = append(out.PermissionSets, *p.ps.PermissionSetArn)
	}
	return out, nil
}

// ListAccountsForProvisionedPermissionSet lists the accounts a permission
// set is provisioned to.
func (c *SSOAdmin) ListAccountsForProvisionedPermissionSet(ctx context.Context,
	in *ssoadmin.ListAccountsForProvisionedPermissionSetInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListAccountsForProvisionedPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.ListAccountsForProvisionedPermissionSetInput{}
	}
	if err := c.begin(ctx, "ListAccountsForProvisionedPermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	params := []string{deref(in.PermissionSetArn), string(in.ProvisioningStatus)}
	n, cur, err := c.o.listRequest("ListAccountsForProvisionedPermissionSet", params,
		in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	out := &ssoadmin.ListAccountsForProvisionedPermissionSetOutput{AccountIds: []string{}}
	err = c.withSet(in.PermissionSetArn, false, func(p *permissionSet) error {
		page, last, more := c.o.s.provBySet[*p.ps.PermissionSetArn].page(cur.After, n,
			provisionFilter(in.ProvisioningStatus))
		for _, pv := range page {
			out.AccountIds = append(out.AccountIds, pv.accountID)
		}
		out.NextToken = encodeToken("ListAccountsForProvisionedPermissionSet", params,
			cursor{After: last}, more)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListPermissionSetsProvisionedToAccount lists the permission sets
// provisioned to an account.
func (c *SSOAdmin) ListPermissionSetsProvisionedToAccount(ctx context.Context,
	in *ssoadmin.ListPermissionSetsProvisionedToAccountInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListPermissionSetsProvisionedToAccountOutput, error) {
	if in == nil {
		in = &ssoadmin.ListPermissionSetsProvisionedToAccountInput{}
	}
	if err := c.begin(ctx, "ListPermissionSetsProvisionedToAccount", in.InstanceArn); err != nil {
		return nil, err
	}

	acct, err := checkAccountID("accountId", in.AccountId)
	if err != nil {
		return nil, c.fail(err)
	}
	params := []string{acct, string(in.ProvisioningStatus)}
	n, cur, err := c.o.listRequest("ListPermissionSetsProvisionedToAccount", params,
		in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	s := c.o.s
	s.mu.RLock()
	keep := provisionFilter(in.ProvisioningStatus)
	page, last, more := s.provByAccount[acct].page(cur.After, n, keep)
	s.mu.RUnlock()
	out := &ssoadmin.ListPermissionSetsProvisionedToAccountOutput{
		PermissionSets: make([]string, 0, len(page)),
		NextToken: encodeToken("ListPermissionSetsProvisionedToAccount", params,
			cursor{After: last}, more),
	}
	for _, pv := range page {
		out.PermissionSets = append(out.PermissionSets, pv.setARN)
	}
	return out, nil
}

// ProvisionPermissionSet provisions a permission set to one account, or
// refreshes it on every account it is provisioned to. The fake finishes at
// once and answers SUCCEEDED.
func (c *SSOAdmin) ProvisionPermissionSet(
	ctx context.Context, in *ssoadmin.ProvisionPermissionSetInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ProvisionPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.ProvisionPermissionSetInput{}
	}
	if err := c.begin(ctx, "ProvisionPermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	s := c.o.s
	out := &ssoadmin.ProvisionPermissionSetOutput{}
	err := c.withSet(in.PermissionSetArn, true, func(p *permissionSet) error {
		arn := *p.ps.PermissionSetArn
		st := &ssotypes.PermissionSetProvisioningStatus{
			CreatedDate:      ptr(s.clock()),
			PermissionSetArn: ptr(arn),
			RequestId:        ptr(s.ids.uuid("request")),
			Status:           ssotypes.StatusValuesSucceeded,
		}
		switch in.TargetType {
		case ssotypes.ProvisionTargetTypeAwsAccount:
			acct, err := checkAccountID("targetId", in.TargetId)
			if err != nil {
				return err
			}
			if _, err := s.accountLocked(acct); err != nil {
				return invalid("account " + acct + " is not in the organization")
			}
			s.provisionLocked(acct, arn)
			st.AccountId = ptr(acct)
		case ssotypes.ProvisionTargetTypeAllProvisionedAccounts:
			if in.TargetId != nil {
				return invalid("targetId must be left out for ALL_PROVISIONED_ACCOUNTS")
			}
			for _, pv := range s.provBySet[arn].all() {
				pv.stale = false
			}
		default:
			return invalid("targetType must be AWS_ACCOUNT or ALL_PROVISIONED_ACCOUNTS")
		}
		out.PermissionSetProvisioningStatus = st
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListAccountAssignments lists the principals assigned a permission set on
// an account. Both AccountId and PermissionSetArn are required, as on AWS.
func (c *SSOAdmin) ListAccountAssignments(
	ctx context.Context, in *ssoadmin.ListAccountAssignmentsInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListAccountAssignmentsOutput, error) {
	if in == nil {
		in = &ssoadmin.ListAccountAssignmentsInput{}
	}
	if err := c.begin(ctx, "ListAccountAssignments", in.InstanceArn); err != nil {
		return nil, err
	}

	acct, err := checkAccountID("accountId", in.AccountId)
	if err != nil {
		return nil, c.fail(err)
	}
	params := []string{acct, deref(in.PermissionSetArn)}
	n, cur, err := c.o.listRequest("ListAccountAssignments", params, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	out := &ssoadmin.ListAccountAssignmentsOutput{
		AccountAssignments: []ssotypes.AccountAssignment{},
	}
	err = c.withSet(in.PermissionSetArn, false, func(p *permissionSet) error {
		l := c.o.s.asgByTarget[pair{acct, *p.ps.PermissionSetArn}]
		page, last, more := l.page(cur.After, n, nil)
		for _, a := range page {
			out.AccountAssignments = append(out.AccountAssignments, ssotypes.AccountAssignment{
				AccountId:        ptr(a.AccountID),
				PermissionSetArn: ptr(a.PermissionSetARN),
				PrincipalId:      ptr(a.PrincipalID),
				PrincipalType:    ssotypes.PrincipalType(a.PrincipalType),
			})
		}
		out.NextToken = encodeToken("ListAccountAssignments", params, cursor{After: last}, more)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListAccountAssignmentsForPrincipal lists a principal's assignments. For a
// user it also returns the assignments of the user's groups, as rows with
// PrincipalType GROUP and the group's id, as AWS does.
func (c *SSOAdmin) ListAccountAssignmentsForPrincipal(ctx context.Context,
	in *ssoadmin.ListAccountAssignmentsForPrincipalInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error) {
	if in == nil {
		in = &ssoadmin.ListAccountAssignmentsForPrincipalInput{}
	}
	if err := c.begin(ctx, "ListAccountAssignmentsForPrincipal", in.InstanceArn); err != nil {
		return nil, err
	}

	ptype, pid, err := principal(in.PrincipalType, in.PrincipalId)
	if err != nil {
		return nil, c.fail(err)
	}
	acct := ""
	if in.Filter != nil && in.Filter.AccountId != nil {
		if acct, err = checkAccountID("filter.accountId", in.Filter.AccountId); err != nil {
			return nil, c.fail(err)
		}
	}
	params := []string{ptype, pid, acct}
	n, cur, err := c.o.listRequest("ListAccountAssignmentsForPrincipal", params,
		in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	s := c.o.s
	s.mu.RLock()
	rows, seg, after, more := s.pageForPrincipalLocked(ptype, pid, acct, cur.Seg, cur.After, n)
	s.mu.RUnlock()
	out := &ssoadmin.ListAccountAssignmentsForPrincipalOutput{
		AccountAssignments: make([]ssotypes.AccountAssignmentForPrincipal, 0, len(rows)),
		NextToken: encodeToken("ListAccountAssignmentsForPrincipal", params,
			cursor{Seg: seg, After: after}, more),
	}
	for _, a := range rows {
		out.AccountAssignments = append(out.AccountAssignments,
			ssotypes.AccountAssignmentForPrincipal{
				AccountId:        ptr(a.AccountID),
				PermissionSetArn: ptr(a.PermissionSetARN),
				PrincipalId:      ptr(a.PrincipalID),
				PrincipalType:    ssotypes.PrincipalType(a.PrincipalType),
			})
	}
	return out, nil
}

// assignmentInput checks the fields shared by Create and Delete.
func assignmentInput(target *string, targetType ssotypes.TargetType, set *string,
	ptype ssotypes.PrincipalType, pid *string,
) (Assignment, error) {
	if targetType != ssotypes.TargetTypeAwsAccount {
		return Assignment{}, invalid("targetType must be AWS_ACCOUNT")
	}
	acct, err := checkAccountID("targetId", target)
	if err != nil {
		return Assignment{}, err
	}
	arn, err := setARN(set)
	if err != nil {
		return Assignment{}, err
	}
	pt, id, err := principal(ptype, pid)
	if err != nil {
		return Assignment{}, err
	}
	return Assignment{
		AccountID:        acct,
		PermissionSetARN: arn,
		PrincipalType:    pt,
		PrincipalID:      id,
	}, nil
}

// CreateAccountAssignment starts creating an assignment. The assignment is
// visible at once; the returned request reports IN_PROGRESS. At most 15
// creations may be in progress (ServiceQuotaExceededException beyond). An
// existing assignment is not duplicated: the request succeeds at once.
func (c *SSOAdmin) CreateAccountAssignment(ctx context.Context,
	in *ssoadmin.CreateAccountAssignmentInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.CreateAccountAssignmentOutput, error) {
	if in == nil {
		in = &ssoadmin.CreateAccountAssignmentInput{}
	}
	if err := c.begin(ctx, "CreateAccountAssignment", in.InstanceArn); err != nil {
		return nil, err
	}

	a, err := assignmentInput(in.TargetId, in.TargetType, in.PermissionSetArn, in.PrincipalType,
		in.PrincipalId)
	if err != nil {
		return nil, c.fail(err)
	}
	st, err := c.o.s.createAssignment(a)
	if err != nil {
		return nil, c.fail(err)
	}
	return &ssoadmin.CreateAccountAssignmentOutput{AccountAssignmentCreationStatus: &st}, nil
}

// DeleteAccountAssignment starts deleting an assignment; an absent one gives
// ResourceNotFoundException.
func (c *SSOAdmin) DeleteAccountAssignment(ctx context.Context,
	in *ssoadmin.DeleteAccountAssignmentInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.DeleteAccountAssignmentOutput, error) {
	if in == nil {
		in = &ssoadmin.DeleteAccountAssignmentInput{}
	}
	if err := c.begin(ctx, "DeleteAccountAssignment", in.InstanceArn); err != nil {
		return nil, err
	}

	a, err := assignmentInput(in.TargetId, in.TargetType, in.PermissionSetArn, in.PrincipalType,
		in.PrincipalId)
	if err != nil {
		return nil, c.fail(err)
	}
	st, err := c.o.s.deleteAssignment(a)
	if err != nil {
		return nil, c.fail(err)
	}
	return &ssoadmin.DeleteAccountAssignmentOutput{AccountAssignmentDeletionStatus: &st}, nil
}

// describeOperation observes one request of the given kind.
func (c *SSOAdmin) describeOperation(id *string, creation bool) (
	*ssotypes.AccountAssignmentOperationStatus, error,
) {
	if !requestIDPattern.MatchString(deref(id)) {
		return nil, c.fail(invalid("the request id must be a UUID"))
	}
	s := c.o.s
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.operations[*id]
	if !ok || op.creation != creation {
		return nil, c.fail(notFound(resRequest, *id, "request "+*id+" not found"))
	}
	st := s.observeLocked(op)
	return &st, nil
}

// DescribeAccountAssignmentCreationStatus reports a creation request: it is
// IN_PROGRESS for the first reads (see WithCompletionPolls), then SUCCEEDED
// or FAILED.
func (c *SSOAdmin) DescribeAccountAssignmentCreationStatus(ctx context.Context,
	in *ssoadmin.DescribeAccountAssignmentCreationStatusInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.DescribeAccountAssignmentCreationStatusOutput, error) {
	if in == nil {
		in = &ssoadmin.DescribeAccountAssignmentCreationStatusInput{}
	}
	if err := c.begin(ctx, "DescribeAccountAssignmentCreationStatus", in.InstanceArn); err != nil {
		return nil, err
	}

	st, err := c.describeOperation(in.AccountAssignmentCreationRequestId, true)
	if err != nil {
		return nil, err
	}
	return &ssoadmin.DescribeAccountAssignmentCreationStatusOutput{
		AccountAssignmentCreationStatus: st,
	}, nil
}

// DescribeAccountAssignmentDeletionStatus reports a deletion request.
func (c *SSOAdmin) DescribeAccountAssignmentDeletionStatus(ctx context.Context,
	in *ssoadmin.DescribeAccountAssignmentDeletionStatusInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.DescribeAccountAssignmentDeletionStatusOutput, error) {
	if in == nil {
		in = &ssoadmin.DescribeAccountAssignmentDeletionStatusInput{}
	}
	if err := c.begin(ctx, "DescribeAccountAssignmentDeletionStatus", in.InstanceArn); err != nil {
		return nil, err
	}

	st, err := c.describeOperation(in.AccountAssignmentDeletionRequestId, false)
	if err != nil {
		return nil, err
	}
	return &ssoadmin.DescribeAccountAssignmentDeletionStatusOutput{
		AccountAssignmentDeletionStatus: st,
	}, nil
}

// listOperations pages requests of one kind, observing each one listed.
func (c *SSOAdmin) listOperations(op string, creation bool, filter *ssotypes.OperationStatusFilter,
	maxResults *int32, token *string,
) ([]ssotypes.AccountAssignmentOperationStatusMetadata, *string, error) {
	var status ssotypes.StatusValues
	if filter != nil {
		status = filter.Status
	}
	params := []string{string(status)}
	n, cur, err := c.o.listRequest(op, params, maxResults, token)
	if err != nil {
		return nil, nil, c.fail(err)
	}

	s := c.o.s
	s.mu.Lock()
	defer s.mu.Unlock()
	l := &s.deletionOrder
	if creation {
		l = &s.creationOrder
	}
	// Each request looked at is read once, and filtered on what that read
	// saw.
	keep := func(o *operation) bool {
		st := s.observeLocked(o)
		return status == "" || st.Status == status
	}
	page, last, more := l.pageLazy(cur.After, n, keep)
	out := make([]ssotypes.AccountAssignmentOperationStatusMetadata, 0, len(page))
	for _, o := range page {
		st := cloneOperation(o.status)
		out = append(out, ssotypes.AccountAssignmentOperationStatusMetadata{
			CreatedDate: st.CreatedDate, RequestId: st.RequestId, Status: st.Status,
		})
	}
	return out, encodeToken(op, params, cursor{After: last}, more), nil
}

// ListAccountAssignmentCreationStatus lists creation requests, optionally
// only those with one status. Each request listed counts as one read of it.
func (c *SSOAdmin) ListAccountAssignmentCreationStatus(ctx context.Context,
	in *ssoadmin.ListAccountAssignmentCreationStatusInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListAccountAssignmentCreationStatusOutput, error) {
	if in == nil {
		in = &ssoadmin.ListAccountAssignmentCreationStatusInput{}
	}
	if err := c.begin(ctx, "ListAccountAssignmentCreationStatus", in.InstanceArn); err != nil {
		return nil, err
	}

	items, next, err := c.listOperations("ListAccountAssignmentCreationStatus", true, in.Filter,
		in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ssoadmin.ListAccountAssignmentCreationStatusOutput{
		AccountAssignmentsCreationStatus: items, NextToken: next,
	}, nil
}

// ListAccountAssignmentDeletionStatus lists deletion requests.
func (c *SSOAdmin) ListAccountAssignmentDeletionStatus(ctx context.Context,
	in *ssoadmin.ListAccountAssignmentDeletionStatusInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListAccountAssignmentDeletionStatusOutput, error) {
	if in == nil {
		in = &ssoadmin.ListAccountAssignmentDeletionStatusInput{}
	}
	if err := c.begin(ctx, "ListAccountAssignmentDeletionStatus", in.InstanceArn); err != nil {
		return nil, err
	}

	items, next, err := c.listOperations("ListAccountAssignmentDeletionStatus", false, in.Filter,
		in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &ssoadmin.ListAccountAssignmentDeletionStatusOutput{
		AccountAssignmentsDeletionStatus: items, NextToken: next,
	}, nil
}

// AttachManagedPolicyToPermissionSet attaches an AWS managed policy.
func (c *SSOAdmin) AttachManagedPolicyToPermissionSet(ctx context.Context,
	in *ssoadmin.AttachManagedPolicyToPermissionSetInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.AttachManagedPolicyToPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.AttachManagedPolicyToPermissionSetInput{}
	}
	if err := c.begin(ctx, "AttachManagedPolicyToPermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	err := c.withSet(in.PermissionSetArn, true, func(p *permissionSet) error {
		return c.o.s.attachManagedLocked(*p.ps.PermissionSetArn, deref(in.ManagedPolicyArn))
	})
	if err != nil {
		return nil, err
	}
	return &ssoadmin.AttachManagedPolicyToPermissionSetOutput{}, nil
}

// ListManagedPoliciesInPermissionSet lists the attached AWS managed
// policies in the order they were attached.
func (c *SSOAdmin) ListManagedPoliciesInPermissionSet(ctx context.Context,
	in *ssoadmin.ListManagedPoliciesInPermissionSetInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListManagedPoliciesInPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.ListManagedPoliciesInPermissionSetInput{}
	}
	if err := c.begin(ctx, "ListManagedPoliciesInPermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	params := []string{deref(in.PermissionSetArn)}
	n, cur, err := c.o.listRequest("ListManagedPoliciesInPermissionSet", params,
		in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	out := &ssoadmin.ListManagedPoliciesInPermissionSetOutput{}
	err = c.withSet(in.PermissionSetArn, false, func(p *permissionSet) error {
		page, last, more := pageSlice(p.managed, cur.After, n)
		for _, m := range page {
			out.AttachedManagedPolicies = append(out.AttachedManagedPolicies,
				ssotypes.AttachedManagedPolicy{Arn: cp(m.Arn), Name: cp(m.Name)})
		}
		out.NextToken = encodeToken("ListManagedPoliciesInPermissionSet", params,
			cursor{After: last}, more)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PutInlinePolicyToPermissionSet sets the inline policy.
func (c *SSOAdmin) PutInlinePolicyToPermissionSet(ctx context.Context,
	in *ssoadmin.PutInlinePolicyToPermissionSetInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.PutInlinePolicyToPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.PutInlinePolicyToPermissionSetInput{}
	}
	if err := c.begin(ctx, "PutInlinePolicyToPermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	err := c.withSet(in.PermissionSetArn, true, func(p *permissionSet) error {
		return c.o.s.putInlineLocked(*p.ps.PermissionSetArn, deref(in.InlinePolicy))
	})
	if err != nil {
		return nil, err
	}
	return &ssoadmin.PutInlinePolicyToPermissionSetOutput{}, nil
}

// GetInlinePolicyForPermissionSet returns the inline policy, or an empty
// string when there is none.
func (c *SSOAdmin) GetInlinePolicyForPermissionSet(ctx context.Context,
	in *ssoadmin.GetInlinePolicyForPermissionSetInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.GetInlinePolicyForPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.GetInlinePolicyForPermissionSetInput{}
	}
	if err := c.begin(ctx, "GetInlinePolicyForPermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	out := &ssoadmin.GetInlinePolicyForPermissionSetOutput{}
	err := c.withSet(in.PermissionSetArn, false, func(p *permissionSet) error {
		out.InlinePolicy = ptr(p.inline)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AttachCustomerManagedPolicyReferenceToPermissionSet attaches a reference
// to a customer managed policy (Path defaults to "/").
func (c *SSOAdmin) AttachCustomerManagedPolicyReferenceToPermissionSet(ctx context.Context,
	in *ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetInput{}
	}
	err := c.begin(ctx, "AttachCustomerManagedPolicyReferenceToPermissionSet", in.InstanceArn)
	if err != nil {
		return nil, err
	}

	if in.CustomerManagedPolicyReference == nil {
		return nil, c.fail(invalid("customerManagedPolicyReference is required"))
	}
	err = c.withSet(in.PermissionSetArn, true, func(p *permissionSet) error {
		return c.o.s.attachCustomerLocked(*p.ps.PermissionSetArn,
			*in.CustomerManagedPolicyReference)
	})
	if err != nil {
		return nil, err
	}
	return &ssoadmin.AttachCustomerManagedPolicyReferenceToPermissionSetOutput{}, nil
}

// ListCustomerManagedPolicyReferencesInPermissionSet lists the attached
// customer managed policy references.
func (c *SSOAdmin) ListCustomerManagedPolicyReferencesInPermissionSet(ctx context.Context,
	in *ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput{}
	}
	err := c.begin(ctx, "ListCustomerManagedPolicyReferencesInPermissionSet", in.InstanceArn)
	if err != nil {
		return nil, err
	}

	params := []string{deref(in.PermissionSetArn)}
	op := "ListCustomerManagedPolicyReferencesInPermissionSet"
	n, cur, err := c.o.listRequest(op, params, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, c.fail(err)
	}

	out := &ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetOutput{}
	err = c.withSet(in.PermissionSetArn, false, func(p *permissionSet) error {
		page, last, more := pageSlice(p.customer, cur.After, n)
		for _, r := range page {
			out.CustomerManagedPolicyReferences = append(out.CustomerManagedPolicyReferences,
				ssotypes.CustomerManagedPolicyReference{Name: cp(r.Name), Path: cp(r.Path)})
		}
		out.NextToken = encodeToken(op, params, cursor{After: last}, more)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PutPermissionsBoundaryToPermissionSet sets the permissions boundary.
func (c *SSOAdmin) PutPermissionsBoundaryToPermissionSet(ctx context.Context,
	in *ssoadmin.PutPermissionsBoundaryToPermissionSetInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.PutPermissionsBoundaryToPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.PutPermissionsBoundaryToPermissionSetInput{}
	}
	if err := c.begin(ctx, "PutPermissionsBoundaryToPermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	if in.PermissionsBoundary == nil {
		return nil, c.fail(invalid("permissionsBoundary is required"))
	}
	err := c.withSet(in.PermissionSetArn, true, func(p *permissionSet) error {
		return c.o.s.putBoundaryLocked(*p.ps.PermissionSetArn, *in.PermissionsBoundary)
	})
	if err != nil {
		return nil, err
	}
	return &ssoadmin.PutPermissionsBoundaryToPermissionSetOutput{}, nil
}

// GetPermissionsBoundaryForPermissionSet returns the permissions boundary;
// a set without one gives ResourceNotFoundException.
func (c *SSOAdmin) GetPermissionsBoundaryForPermissionSet(ctx context.Context,
	in *ssoadmin.GetPermissionsBoundaryForPermissionSetInput, optFns ...func(*ssoadmin.Options),
) (*ssoadmin.GetPermissionsBoundaryForPermissionSetOutput, error) {
	if in == nil {
		in = &ssoadmin.GetPermissionsBoundaryForPermissionSetInput{}
	}
	if err := c.begin(ctx, "GetPermissionsBoundaryForPermissionSet", in.InstanceArn); err != nil {
		return nil, err
	}

	out := &ssoadmin.GetPermissionsBoundaryForPermissionSetOutput{}
	err := c.withSet(in.PermissionSetArn, false, func(p *permissionSet) error {
		if p.boundary == nil {
			return notFound(resBoundary, "", "the permission set has no permissions boundary")
		}
		out.PermissionsBoundary = cloneBoundary(p.boundary)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListTagsForResource lists the tags of a permission set, in one page.
func (c *SSOAdmin) ListTagsForResource(ctx context.Context, in *ssoadmin.ListTagsForResourceInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.ListTagsForResourceOutput, error) {
	if in == nil {
		in = &ssoadmin.ListTagsForResourceInput{}
	}
	if err := c.begin(ctx, "ListTagsForResource", in.InstanceArn); err != nil {
		return nil, err
	}

	params := []string{deref(in.ResourceArn)}
	if _, err := decodeToken("ListTagsForResource", params, in.NextToken); err != nil {
		return nil, c.fail(err)
	}
	out := &ssoadmin.ListTagsForResourceOutput{Tags: []ssotypes.Tag{}}
	err := c.withSet(in.ResourceArn, false, func(p *permissionSet) error {
		for _, t := range p.tags {
			out.Tags = append(out.Tags, ssotypes.Tag{Key: cp(t.Key), Value: cp(t.Value)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TagResource adds or replaces tags on a permission set.
func (c *SSOAdmin) TagResource(ctx context.Context, in *ssoadmin.TagResourceInput,
	optFns ...func(*ssoadmin.Options),
) (*ssoadmin.TagResourceOutput, error) {
	if in == nil {
		in = &ssoadmin.TagResourceInput{}
	}
	if err := c.begin(ctx, "TagResource", in.InstanceArn); err != nil {
		return nil, err
	}

	if len(in.Tags) == 0 {
		return nil, c.fail(invalid("tags must hold at least one tag"))
	}
	err := c.withSet(in.ResourceArn, true, func(p *permissionSet) error { return p.tag(in.Tags) })
	if err != nil {
		return nil, err
	}
	return &ssoadmin.TagResourceOutput{}, nil
}
