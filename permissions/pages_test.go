package permissions_test

import (
	"context"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/awsidc/awsidc/permissions"
)

// largestPage is the largest page AWS allows for a list action, which the
// client must ask for.
func largestPage(action string) int32 {
	if action == "organizations:ListAccounts" {
		return 20
	}
	return 100
}

// pageSizes records the page size the client asks of each list action.
// With shrink set it asks the backend for pages of shrink instead: the
// scenario holds fewer than 100 of anything, and moto then pages as AWS does,
// with its own tokens, over several pages. It is safe for concurrent use.
type pageSizes struct {
	shrink int32

	mu    sync.Mutex
	asked map[string][]int32 // action -> MaxResults asked, 0 when unset
}

// record notes the page size n asked for action and returns the one to ask
// the backend.
func (p *pageSizes) record(action string, n *int32, shrink bool) *int32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.asked == nil {
		p.asked = map[string][]int32{}
	}
	p.asked[action] = append(p.asked[action], aws.ToInt32(n))
	if shrink && p.shrink > 0 {
		return aws.Int32(p.shrink)
	}
	return n
}

// sizes returns the distinct page sizes asked for action since reset.
func (p *pageSizes) sizes(action string) []int32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := slices.Clone(p.asked[action])
	slices.Sort(s)
	return slices.Compact(s)
}

func (p *pageSizes) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.asked)
}

// pagedSSO records the page sizes of the SSO Admin listings.
type pagedSSO struct {
	permissions.SSOAdminAPI
	p *pageSizes
}

func (s pagedSSO) ListPermissionSets(ctx context.Context, in *ssoadmin.ListPermissionSetsInput,
	opts ...func(*ssoadmin.Options)) (*ssoadmin.ListPermissionSetsOutput, error) {
	c := *in
	c.MaxResults = s.p.record("sso:ListPermissionSets", in.MaxResults, true)
	return s.SSOAdminAPI.ListPermissionSets(ctx, &c, opts...)
}

func (s pagedSSO) ListAccountsForProvisionedPermissionSet(ctx context.Context,
	in *ssoadmin.ListAccountsForProvisionedPermissionSetInput,
	opts ...func(*ssoadmin.Options)) (*ssoadmin.ListAccountsForProvisionedPermissionSetOutput,
	error) {
	c := *in
	c.MaxResults = s.p.record("sso:ListAccountsForProvisionedPermissionSet", in.MaxResults,
		true)
	return s.SSOAdminAPI.ListAccountsForProvisionedPermissionSet(ctx, &c, opts...)
}

func (s pagedSSO) ListPermissionSetsProvisionedToAccount(ctx context.Context,
	in *ssoadmin.ListPermissionSetsProvisionedToAccountInput,
	opts ...func(*ssoadmin.Options)) (*ssoadmin.ListPermissionSetsProvisionedToAccountOutput,
	error) {
	c := *in
	c.MaxResults = s.p.record("sso:ListPermissionSetsProvisionedToAccount", in.MaxResults,
		true)
	return s.SSOAdminAPI.ListPermissionSetsProvisionedToAccount(ctx, &c, opts...)
}

func (s pagedSSO) ListAccountAssignments(ctx context.Context,
	in *ssoadmin.ListAccountAssignmentsInput,
	opts ...func(*ssoadmin.Options)) (*ssoadmin.ListAccountAssignmentsOutput, error) {
	c := *in
	c.MaxResults = s.p.record("sso:ListAccountAssignments", in.MaxResults, true)
	return s.SSOAdminAPI.ListAccountAssignments(ctx, &c, opts...)
}

func (s pagedSSO) ListAccountAssignmentsForPrincipal(ctx context.Context,
	in *ssoadmin.ListAccountAssignmentsForPrincipalInput,
	opts ...func(*ssoadmin.Options)) (*ssoadmin.ListAccountAssignmentsForPrincipalOutput,
	error) {
	c := *in
	c.MaxResults = s.p.record("sso:ListAccountAssignmentsForPrincipal", in.MaxResults, true)
	return s.SSOAdminAPI.ListAccountAssignmentsForPrincipal(ctx, &c, opts...)
}

// pagedOrg records the page sizes of ListAccounts; the scenario's accounts
// span several pages of 20 on every backend.
type pagedOrg struct {
	permissions.OrganizationsAPI
	p *pageSizes
}

func (o pagedOrg) ListAccounts(ctx context.Context, in *organizations.ListAccountsInput,
	opts ...func(*organizations.Options)) (*organizations.ListAccountsOutput, error) {
	c := *in
	c.MaxResults = o.p.record("organizations:ListAccounts", in.MaxResults, false)
	return o.OrganizationsAPI.ListAccounts(ctx, &c, opts...)
}
