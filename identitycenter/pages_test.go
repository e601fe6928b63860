package identitycenter_test

import (
	"context"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"

	"github.com/awsidc/awsidc/identitycenter"
)

// pagedAPI records the page size the client asks of each Identity Store
// listing. It is safe for concurrent use.
type pagedAPI struct {
	identitycenter.API

	mu    sync.Mutex
	asked map[string][]int32 // action -> MaxResults asked, 0 when unset
}

func (p *pagedAPI) record(action string, n *int32) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.asked == nil {
		p.asked = map[string][]int32{}
	}
	p.asked[action] = append(p.asked[action], aws.ToInt32(n))
}

// sizes returns the distinct page sizes asked for action since reset.
func (p *pagedAPI) sizes(action string) []int32 {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := slices.Clone(p.asked[action])
	slices.Sort(s)
	return slices.Compact(s)
}

func (p *pagedAPI) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.asked)
}

func (p *pagedAPI) ListUsers(ctx context.Context, in *identitystore.ListUsersInput,
	opts ...func(*identitystore.Options)) (*identitystore.ListUsersOutput, error) {
	p.record("identitystore:ListUsers", in.MaxResults)
	return p.API.ListUsers(ctx, in, opts...)
}

func (p *pagedAPI) ListGroups(ctx context.Context, in *identitystore.ListGroupsInput,
	opts ...func(*identitystore.Options)) (*identitystore.ListGroupsOutput, error) {
	p.record("identitystore:ListGroups", in.MaxResults)
	return p.API.ListGroups(ctx, in, opts...)
}

func (p *pagedAPI) ListGroupMemberships(ctx context.Context,
	in *identitystore.ListGroupMembershipsInput,
	opts ...func(*identitystore.Options)) (*identitystore.ListGroupMembershipsOutput, error) {
	p.record("identitystore:ListGroupMemberships", in.MaxResults)
	return p.API.ListGroupMemberships(ctx, in, opts...)
}

func (p *pagedAPI) ListGroupMembershipsForMember(ctx context.Context,
	in *identitystore.ListGroupMembershipsForMemberInput,
	opts ...func(*identitystore.Options)) (*identitystore.ListGroupMembershipsForMemberOutput,
	error) {
	p.record("identitystore:ListGroupMembershipsForMember", in.MaxResults)
	return p.API.ListGroupMembershipsForMember(ctx, in, opts...)
}
