package permissions

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/awsidc/awsidc/internal/awscall"
)

// Policies reads what the permission set arn grants: its AWS managed
// policies, inline policy, customer managed policy references, permissions
// boundary and tags. A part whose action is denied is left empty and its
// action is listed in Policies.Unread, so that "denied" is never mistaken for
// "none". Any other error is returned.
func (c *Client) Policies(ctx context.Context, arn string) (Policies, error) {
	var p Policies
	steps := []struct {
		action string
		read   func(context.Context, string, *Policies) error
	}{
		{"sso:ListManagedPoliciesInPermissionSet", c.readManaged},
		{"sso:GetInlinePolicyForPermissionSet", c.readInline},
		{"sso:ListCustomerManagedPolicyReferencesInPermissionSet", c.readCustomerManaged},
		{"sso:GetPermissionsBoundaryForPermissionSet", c.readBoundary},
		{"sso:ListTagsForResource", c.readTags},
	}
	for _, s := range steps {
		err := s.read(ctx, arn, &p)
		switch {
		case err == nil:
		case errors.Is(err, ErrAccessDenied):
			p.Unread = append(p.Unread, s.action)
		default:
			return Policies{}, fmt.Errorf("permissions: policies of %q: %w", arn, err)
		}
	}
	return p, nil
}

func (c *Client) readManaged(ctx context.Context, arn string, p *Policies) error {
	page := func(ctx context.Context, token *string) ([]string, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "sso:ListManagedPoliciesInPermissionSet",
			func(ctx context.Context) (*ssoadmin.ListManagedPoliciesInPermissionSetOutput, error) {
				return c.sso.ListManagedPoliciesInPermissionSet(ctx,
					&ssoadmin.ListManagedPoliciesInPermissionSetInput{
						InstanceArn:      aws.String(c.instance),
						PermissionSetArn: aws.String(arn),
						MaxResults:       aws.Int32(ssoPageSize),
						NextToken:        token,
					})
			})
		if err != nil {
			return nil, nil, err
		}
		arns := make([]string, len(out.AttachedManagedPolicies))
		for i, m := range out.AttachedManagedPolicies {
			arns[i] = aws.ToString(m.Arn)
		}
		return arns, out.NextToken, nil
	}
	for a, err := range awscall.Items(ctx, page, identity) {
		if err != nil {
			return err
		}
		p.ManagedPolicyARNs = append(p.ManagedPolicyARNs, a)
	}
	sort.Strings(p.ManagedPolicyARNs)
	return nil
}

func (c *Client) readInline(ctx context.Context, arn string, p *Policies) error {
	out, err := awscall.Do(ctx, c.inv, "sso:GetInlinePolicyForPermissionSet",
		func(ctx context.Context) (*ssoadmin.GetInlinePolicyForPermissionSetOutput, error) {
			return c.sso.GetInlinePolicyForPermissionSet(ctx,
				&ssoadmin.GetInlinePolicyForPermissionSetInput{
					InstanceArn:      aws.String(c.instance),
					PermissionSetArn: aws.String(arn),
				})
		})
	if err != nil {
		return err
	}
	p.InlinePolicy = aws.ToString(out.InlinePolicy)
	return nil
}

func (c *Client) readCustomerManaged(ctx context.Context, arn string, p *Policies) error {
	page := func(ctx context.Context, token *string) ([]CustomerManagedPolicy, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "sso:ListCustomerManagedPolicyReferencesInPermissionSet",
			func(ctx context.Context) (
				*ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetOutput, error) {
				return c.sso.ListCustomerManagedPolicyReferencesInPermissionSet(ctx,
					&ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput{
						InstanceArn:      aws.String(c.instance),
						PermissionSetArn: aws.String(arn),
						MaxResults:       aws.Int32(ssoPageSize),
						NextToken:        token,
					})
			})
		if err != nil {
			return nil, nil, err
		}
		refs := make([]CustomerManagedPolicy, len(out.CustomerManagedPolicyReferences))
		for i, r := range out.CustomerManagedPolicyReferences {
			refs[i] = customerManagedFrom(r)
		}
		return refs, out.NextToken, nil
	}
	key := func(r CustomerManagedPolicy) string { return r.Path + r.Name }
	for r, err := range awscall.Items(ctx, page, key) {
		if err != nil {
			return err
		}
		p.CustomerManaged = append(p.CustomerManaged, r)
	}
	return nil
}

func customerManagedFrom(r ssotypes.CustomerManagedPolicyReference) CustomerManagedPolicy {
	return CustomerManagedPolicy{Name: aws.ToString(r.Name), Path: aws.ToString(r.Path)}
}

func (c *Client) readBoundary(ctx context.Context, arn string, p *Policies) error {
	out, err := awscall.Do(ctx, c.inv, "sso:GetPermissionsBoundaryForPermissionSet",
		func(ctx context.Context) (*ssoadmin.GetPermissionsBoundaryForPermissionSetOutput, error) {
			return c.sso.GetPermissionsBoundaryForPermissionSet(ctx,
				&ssoadmin.GetPermissionsBoundaryForPermissionSetInput{
					InstanceArn:      aws.String(c.instance),
					PermissionSetArn: aws.String(arn),
				})
		})
	if errors.Is(err, ErrNotFound) {
		// AWS answers ResourceNotFound when the set has no boundary.
		return nil
	}
	if err != nil {
		return err
	}
	if b := out.PermissionsBoundary; b != nil {
		p.Boundary = &Boundary{ManagedPolicyARN: aws.ToString(b.ManagedPolicyArn)}
		if r := b.CustomerManagedPolicyReference; r != nil {
			cm := customerManagedFrom(*r)
			p.Boundary.CustomerManaged = &cm
		}
	}
	return nil
}

func (c *Client) readTags(ctx context.Context, arn string, p *Policies) error {
	page := func(ctx context.Context, token *string) ([]ssotypes.Tag, *string, error) {
		out, err := awscall.Do(ctx, c.inv, "sso:ListTagsForResource",
			func(ctx context.Context) (*ssoadmin.ListTagsForResourceOutput, error) {
				return c.sso.ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{
					InstanceArn: aws.String(c.instance),
					ResourceArn: aws.String(arn),
					NextToken:   token,
				})
			})
		if err != nil {
			return nil, nil, err
		}
		return out.Tags, out.NextToken, nil
	}
	tagKey := func(t ssotypes.Tag) string { return aws.ToString(t.Key) }
	for t, err := range awscall.Items(ctx, page, tagKey) {
		if err != nil {
			return err
		}
		if p.Tags == nil {
			p.Tags = map[string]string{}
		}
		p.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return nil
}
