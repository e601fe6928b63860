package awsidc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/awscall"
	"github.com/awsidc/awsidc/permissions"
)

// PreflightIdentityStoreAPI is the set of Identity Store operations
// [Preflight] probes. The SDK's *identitystore.Client implements it.
type PreflightIdentityStoreAPI interface {
	identitycenter.API
	GetGroupMembershipId(context.Context, *identitystore.GetGroupMembershipIdInput,
		...func(*identitystore.Options)) (*identitystore.GetGroupMembershipIdOutput, error)
}

// PreflightSSOAdminAPI is the set of SSO Admin operations [Preflight]
// probes, a subset of what the SDK's *ssoadmin.Client offers. Preflight never
// calls its writes.
type PreflightSSOAdminAPI interface {
	permissions.SSOAdminAPI
	identitycenter.InstancesAPI
}

var (
	_ PreflightIdentityStoreAPI = (*identitystore.Client)(nil)
	_ PreflightSSOAdminAPI      = (*ssoadmin.Client)(nil)
)

// PreflightTarget is what [Preflight] probes: the SDK-shaped clients of one
// instance. A nil client leaves its actions not probed.
type PreflightTarget struct {
	IdentityStore   PreflightIdentityStoreAPI
	SSOAdmin        PreflightSSOAdminAPI
	Organizations   permissions.OrganizationsAPI
	InstanceARN     string
	IdentityStoreID string

	// Pacer, when set, is waited on before every probe, as the clients of a
	// [Connector] do.
	Pacer interface {
		Wait(ctx context.Context, action string) error
	}
}

// Access is what a probe learnt of one IAM action.
type Access string

// Access values.
const (
	// AccessAllowed: the service answered the probe, with a result or with a
	// not-found error, which it gives only after the caller was authorized.
	AccessAllowed Access = "allowed"
	// AccessDenied: the service answered AccessDeniedException.
	AccessDenied Access = "denied"
	// AccessNotProbed: the action was not called, because it writes or
	// because no client was given for its service.
	AccessNotProbed Access = "not probed"
)

// ActionCheck is the result of probing one IAM action.
type ActionCheck struct {
	Action string `json:"action"`
	Access Access `json:"access"`
	// Probe says how the action was probed, or why it was not.
	Probe string `json:"probe"`
}

// FeatureStatus is whether a feature works under the caller's policy.
type FeatureStatus string

// Feature statuses.
const (
	// FeatureWorks: every action of the feature is allowed.
	FeatureWorks FeatureStatus = "works"
	// FeatureDegraded: some actions are denied but the feature falls back
	// (see [Feature.Fallbacks]); FeatureCheck.Effects says how.
	FeatureDegraded FeatureStatus = "degraded"
	// FeatureDenied: an action the feature cannot do without is denied.
	FeatureDenied FeatureStatus = "denied"
	// FeatureUnchecked: nothing probed is denied, but some actions were not
	// probed, such as the writes of a feature that changes things.
	FeatureUnchecked FeatureStatus = "unchecked"
)

// FeatureCheck says whether one feature works under the caller's policy.
type FeatureCheck struct {
	Name   FeatureName   `json:"name"`
	Status FeatureStatus `json:"status"`
	// Denied lists the feature's actions that were denied.
	Denied []string `json:"denied,omitempty"`
	// NotProbed lists the feature's actions that were not probed.
	NotProbed []string `json:"not_probed,omitempty"`
	// Effects says, for each denied action the feature falls back from,
	// what the caller gets instead.
	Effects []string `json:"effects,omitempty"`
}

// PreflightReport is the outcome of [Preflight].
type PreflightReport struct {
	// Actions holds one check per action probed or not, sorted by action.
	Actions []ActionCheck `json:"actions"`
	// Features holds one check per feature asked for, in table order.
	Features []FeatureCheck `json:"features"`
}

// Access returns what the report learnt of action, and whether it lists it.
func (r *PreflightReport) Access(action string) (Access, bool) {
	for _, a := range r.Actions {
		if a.Action == action {
			return a.Access, true
		}
	}
	return "", false
}

// Feature returns the check of feature name, and whether the report has it.
func (r *PreflightReport) Feature(name FeatureName) (FeatureCheck, bool) {
	for _, f := range r.Features {
		if f.Name == name {
			return f, true
		}
	}
	return FeatureCheck{}, false
}

// Denied returns the features of the report whose status is
// [FeatureDenied], in table order.
func (r *PreflightReport) Denied() []FeatureName {
	var out []FeatureName
	for _, f := range r.Features {
		if f.Status == FeatureDenied {
			out = append(out, f.Name)
		}
	}
	return out
}

// WriteTable writes the report as two aligned tables: the actions with
// their access and probe, then the features with their status.
func (r *PreflightReport) WriteTable(w io.Writer) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tACCESS\tPROBE")
	for _, a := range r.Actions {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Action, a.Access, a.Probe)
	}
	fmt.Fprintln(tw, "\t\t")
	fmt.Fprintln(tw, "FEATURE\tSTATUS\tDETAIL")
	for _, f := range r.Features {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Status, f.detail())
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	// One column layout for both tables; no line ends in blanks.
	var out strings.Builder
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		out.WriteString(strings.TrimRight(line, " \n"))
		if strings.HasSuffix(line, "\n") {
			out.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, out.String())
	return err
}

func (f FeatureCheck) detail() string {
	var parts []string
	if f.Status == FeatureDenied && len(f.Denied) > 0 {
		parts = append(parts, "denied: "+strings.Join(f.Denied, ", "))
	}
	parts = append(parts, f.Effects...)
	if len(f.NotProbed) > 0 {
		parts = append(parts, "not probed: "+strings.Join(f.NotProbed, ", "))
	}
	return strings.Join(parts, "; ")
}

// Ids used when no listing gave a real one. Each is well-formed, so the
// service authorizes the call and then answers not found; that answer proves
// the permission as well as a result would.
const (
	noSuchID        = "00000000-0000-4000-8000-000000000000"
	noSuchUserName  = "awsidc-preflight-no-such-user"
	noSuchAccountID = "000000000000"
	noSuchSetSuffix = "/ps-0000000000000000"
)

// Preflight probes the read actions of the named features (every feature
// when none is named) with their cheapest calls, and reports per action
// whether it is allowed, and per feature whether it works, degrades or is
// denied. It never calls an action that changes anything: the actions of
// writes are reported as not probed.
//
// Probes:
//   - list actions ask for one item (MaxResults 1); ListTagsForResource,
//     which takes no MaxResults, reads one page;
//   - per-item reads (Describe*, Get*, the lists of one group, user,
//     account or permission set) use an item a listing probe returned, or,
//     when there is none or its listing was not probed, a well-formed id
//     that does not exist (a user id of zeros, account 000000000000, a
//     permission set ps-0000000000000000 of the instance, user name
//     "awsidc-preflight-no-such-user"): AWS authorizes a call before it looks
//     the item up, so a not-found answer still proves the permission;
//   - DescribeAccountAssignmentCreationStatus and ...DeletionStatus use a
//     request id of zeros, which answers not found.
//
// An access denial is a result, not an error. Any other failure (invalid
// credentials, an STS error, throttling past the retries, a cancelled ctx)
// fails the preflight and is returned, wrapped.
func Preflight(ctx context.Context, t PreflightTarget, names ...FeatureName) (*PreflightReport,
	error) {
	inv := &awscall.Invoker{Pacer: t.Pacer}
	return preflight(ctx, t, inv, selected(names))
}

// Preflight probes the connector's instance, through the connector's
// pacing, as the package-level [Preflight] does.
func (c *Connector) Preflight(ctx context.Context, names ...FeatureName) (*PreflightReport,
	error) {
	t := PreflightTarget{
		IdentityStore:   c.identityStore,
		SSOAdmin:        c.ssoAdmin,
		Organizations:   c.organizations,
		InstanceARN:     c.instanceARN,
		IdentityStoreID: c.identityStoreID,
	}
	inv := &awscall.Invoker{Pacer: c.pacer}
	return preflight(ctx, t, inv, selected(names))
}

func preflight(ctx context.Context, t PreflightTarget, inv *awscall.Invoker,
	feats []Feature) (*PreflightReport, error) {
	// Reads to probe: the read actions of the features, and the actions
	// their fallbacks use instead.
	want := map[string]bool{}
	writes := map[string]bool{}
	for _, f := range feats {
		for _, a := range f.Actions {
			if isWrite(f, a) {
				writes[a] = true
			} else {
				want[a] = true
			}
		}
		for _, fb := range f.Fallbacks {
			for _, a := range fb.Instead {
				want[a] = true
			}
		}
	}

	p := &prober{t: t, inv: inv, results: map[string]ActionCheck{}}
	for _, pr := range p.probes() {
		if !want[pr.action] {
			continue
		}
		if err := p.run(ctx, pr); err != nil {
			return nil, fmt.Errorf("awsidc: preflight: %w", err)
		}
	}
	for a := range writes {
		p.results[a] = ActionCheck{Action: a, Access: AccessNotProbed,
			Probe: "changes things, never probed"}
	}
	for a := range want {
		if _, ok := p.results[a]; !ok {
			p.results[a] = ActionCheck{Action: a, Access: AccessNotProbed,
				Probe: "no probe for this action"}
		}
	}

	r := &PreflightReport{}
	for _, a := range p.results {
		r.Actions = append(r.Actions, a)
	}
	slices.SortFunc(r.Actions, func(a, b ActionCheck) int {
		return strings.Compare(a.Action, b.Action)
	})
	for _, f := range feats {
		r.Features = append(r.Features, checkFeature(f, p.results))
	}
	return r, nil
}

// isWrite reports whether action a of feature f changes anything. Reads
// within a writing feature, such as GetGroupMembershipId, are probed.
func isWrite(f Feature, a string) bool {
	if !f.Writes {
		return false
	}
	name := a[strings.IndexByte(a, ':')+1:]
	return !strings.HasPrefix(name, "Get") && !strings.HasPrefix(name, "List") &&
		!strings.HasPrefix(name, "Describe")
}

func checkFeature(f Feature, results map[string]ActionCheck) FeatureCheck {
	fc := FeatureCheck{Name: f.Name}
	hard := false
	for _, a := range f.Actions {
		switch results[a].Access {
		case AccessDenied:
			fc.Denied = append(fc.Denied, a)
			effect, ok := fallback(f, a, results)
			if ok {
				fc.Effects = append(fc.Effects, a+" denied: "+effect)
			} else {
				hard = true
			}
		case AccessNotProbed:
			fc.NotProbed = append(fc.NotProbed, a)
		}
	}
	switch {
	case hard:
		fc.Status = FeatureDenied
	case len(fc.Effects) > 0:
		fc.Status = FeatureDegraded
	case len(fc.NotProbed) > 0:
		fc.Status = FeatureUnchecked
	default:
		fc.Status = FeatureWorks
	}
	return fc
}

// fallback returns the effect of f falling back from denied action a, and
// whether it can: every action used instead must be allowed.
func fallback(f Feature, a string, results map[string]ActionCheck) (string, bool) {
	for _, fb := range f.Fallbacks {
		if fb.Action != a {
			continue
		}
		for _, alt := range fb.Instead {
			if results[alt].Access != AccessAllowed {
				return "", false
			}
		}
		return fb.Effect, true
	}
	return "", false
}

// prober runs probes in order, keeping the first item each listing returns
// for the per-item probes after it.
type prober struct {
	t       PreflightTarget
	inv     *awscall.Invoker
	results map[string]ActionCheck

	userID, userName, groupID, accountID, setARN string
}

// probe calls one action and says how.
type probe struct {
	action string
	call   func(ctx context.Context) (string, error)
}

func (p *prober) run(ctx context.Context, pr probe) error {
	if !p.hasClient(pr.action) {
		p.results[pr.action] = ActionCheck{Action: pr.action, Access: AccessNotProbed,
			Probe: "no client for this service"}
		return nil
	}
	how, err := pr.call(ctx)
	check := ActionCheck{Action: pr.action, Access: AccessAllowed, Probe: how}
	switch {
	case err == nil:
	case errors.Is(err, awscall.ErrAccessDenied):
		check.Access = AccessDenied
	case errors.Is(err, awscall.ErrNotFound):
		check.Probe += ", answered not found"
	default:
		return err
	}
	p.results[pr.action] = check
	return nil
}

func (p *prober) hasClient(action string) bool {
	switch {
	case strings.HasPrefix(action, "identitystore:"):
		return p.t.IdentityStore != nil
	case strings.HasPrefix(action, "organizations:"):
		return p.t.Organizations != nil
	}
	return p.t.SSOAdmin != nil
}

// pick returns got when a listing found an item, else the made-up id, with
// words that say which for the item's kind.
func pick(got, madeUp, kind string) (string, string) {
	if got != "" {
		return got, "a listed " + kind
	}
	return madeUp, "a made-up " + kind
}

func do[T any](ctx context.Context, p *prober, action string,
	fn func(context.Context) (T, error)) (T, error) {
	return awscall.Do(ctx, p.inv, action, fn)
}

// probes returns every probe, listings before the per-item reads that use
// their items.
func (p *prober) probes() []probe {
	ids, sso, org := &p.t.IdentityStore, &p.t.SSOAdmin, &p.t.Organizations
	store := func() *string { return aws.String(p.t.IdentityStoreID) }
	inst := func() *string { return aws.String(p.t.InstanceARN) }
	one := aws.Int32(1)
	setARN := func() (string, string) {
		return pick(p.setARN, strings.Replace(p.t.InstanceARN, ":instance/",
			":permissionSet/", 1)+noSuchSetSuffix, "permission set")
	}
	return []probe{
		{actListInstances, func(ctx context.Context) (string, error) {
			_, err := do(ctx, p, actListInstances, func(ctx context.Context) (
				*ssoadmin.ListInstancesOutput, error) {
				return (*sso).ListInstances(ctx, &ssoadmin.ListInstancesInput{MaxResults: one})
			})
			return "ListInstances, MaxResults 1", err
		}},
		{actListUsers, func(ctx context.Context) (string, error) {
			out, err := do(ctx, p, actListUsers, func(ctx context.Context) (
				*identitystore.ListUsersOutput, error) {
				return (*ids).ListUsers(ctx, &identitystore.ListUsersInput{
					IdentityStoreId: store(), MaxResults: one})
			})
			if err == nil && len(out.Users) > 0 {
				p.userID = aws.ToString(out.Users[0].UserId)
				p.userName = aws.ToString(out.Users[0].UserName)
			}
			return "ListUsers, MaxResults 1", err
		}},
		{actListGroups, func(ctx context.Context) (string, error) {
			out, err := do(ctx, p, actListGroups, func(ctx context.Context) (
				*identitystore.ListGroupsOutput, error) {
				return (*ids).ListGroups(ctx, &identitystore.ListGroupsInput{
					IdentityStoreId: store(), MaxResults: one})
			})
			if err == nil && len(out.Groups) > 0 {
				p.groupID = aws.ToString(out.Groups[0].GroupId)
			}
			return "ListGroups, MaxResults 1", err
		}},
		{actListGroupMemberships, func(ctx context.Context) (string, error) {
			g, of := pick(p.groupID, noSuchID, "group")
			_, err := do(ctx, p, actListGroupMemberships, func(ctx context.Context) (
				*identitystore.ListGroupMembershipsOutput, error) {
				return (*ids).ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{
					IdentityStoreId: store(), GroupId: aws.String(g), MaxResults: one})
			})
			return "ListGroupMemberships of " + of + ", MaxResults 1", err
		}},
		{actListMembershipsForMember, func(ctx context.Context) (string, error) {
			u, of := pick(p.userID, noSuchID, "user")
			_, err := do(ctx, p, actListMembershipsForMember, func(ctx context.Context) (
				*identitystore.ListGroupMembershipsForMemberOutput, error) {
				return (*ids).ListGroupMembershipsForMember(ctx,
					&identitystore.ListGroupMembershipsForMemberInput{IdentityStoreId: store(),
						MemberId: &idstypes.MemberIdMemberUserId{Value: u}, MaxResults: one})
			})
			return "ListGroupMembershipsForMember of " + of + ", MaxResults 1", err
		}},
		{actDescribeUser, func(ctx context.Context) (string, error) {
			u, of := pick(p.userID, noSuchID, "user")
			_, err := do(ctx, p, actDescribeUser, func(ctx context.Context) (
				*identitystore.DescribeUserOutput, error) {
				return (*ids).DescribeUser(ctx, &identitystore.DescribeUserInput{
					IdentityStoreId: store(), UserId: aws.String(u)})
			})
			return "DescribeUser of " + of, err
		}},
		{actDescribeGroup, func(ctx context.Context) (string, error) {
			g, of := pick(p.groupID, noSuchID, "group")
			_, err := do(ctx, p, actDescribeGroup, func(ctx context.Context) (
				*identitystore.DescribeGroupOutput, error) {
				return (*ids).DescribeGroup(ctx, &identitystore.DescribeGroupInput{
					IdentityStoreId: store(), GroupId: aws.String(g)})
			})
			return "DescribeGroup of " + of, err
		}},
		{actGetUserID, func(ctx context.Context) (string, error) {
			name, of := pick(p.userName, noSuchUserName, "user name")
			_, err := do(ctx, p, actGetUserID, func(ctx context.Context) (
				*identitystore.GetUserIdOutput, error) {
				return (*ids).GetUserId(ctx, &identitystore.GetUserIdInput{
					IdentityStoreId: store(),
					AlternateIdentifier: &idstypes.AlternateIdentifierMemberUniqueAttribute{
						Value: idstypes.UniqueAttribute{AttributePath: aws.String("userName"),
							AttributeValue: document.NewLazyDocument(name)}}})
			})
			return "GetUserId of " + of, err
		}},
		{actGetGroupMembershipID, func(ctx context.Context) (string, error) {
			g, ofG := pick(p.groupID, noSuchID, "group")
			u, ofU := pick(p.userID, noSuchID, "user")
			_, err := do(ctx, p, actGetGroupMembershipID, func(ctx context.Context) (
				*identitystore.GetGroupMembershipIdOutput, error) {
				return (*ids).GetGroupMembershipId(ctx, &identitystore.GetGroupMembershipIdInput{
					IdentityStoreId: store(), GroupId: aws.String(g),
					MemberId: &idstypes.MemberIdMemberUserId{Value: u}})
			})
			return "GetGroupMembershipId of " + ofU + " in " + ofG, err
		}},
		{actListAccounts, func(ctx context.Context) (string, error) {
			out, err := do(ctx, p, actListAccounts, func(ctx context.Context) (
				*organizations.ListAccountsOutput, error) {
				return (*org).ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: one})
			})
			if err == nil && len(out.Accounts) > 0 {
				p.accountID = aws.ToString(out.Accounts[0].Id)
			}
			return "ListAccounts, MaxResults 1", err
		}},
		{actDescribeAccount, func(ctx context.Context) (string, error) {
			a, of := pick(p.accountID, noSuchAccountID, "account")
			_, err := do(ctx, p, actDescribeAccount, func(ctx context.Context) (
				*organizations.DescribeAccountOutput, error) {
				return (*org).DescribeAccount(ctx, &organizations.DescribeAccountInput{
					AccountId: aws.String(a)})
			})
			return "DescribeAccount of " + of, err
		}},
		{actListPermissionSets, func(ctx context.Context) (string, error) {
			out, err := do(ctx, p, actListPermissionSets, func(ctx context.Context) (
				*ssoadmin.ListPermissionSetsOutput, error) {
				return (*sso).ListPermissionSets(ctx, &ssoadmin.ListPermissionSetsInput{
					InstanceArn: inst(), MaxResults: one})
			})
			if err == nil && len(out.PermissionSets) > 0 {
				p.setARN = out.PermissionSets[0]
			}
			return "ListPermissionSets, MaxResults 1", err
		}},
		{actDescribePermissionSet, func(ctx context.Context) (string, error) {
			s, of := setARN()
			_, err := do(ctx, p, actDescribePermissionSet, func(ctx context.Context) (
				*ssoadmin.DescribePermissionSetOutput, error) {
				return (*sso).DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{
					InstanceArn: inst(), PermissionSetArn: aws.String(s)})
			})
			return "DescribePermissionSet of " + of, err
		}},
		{actAccountsForPermissionSet, func(ctx context.Context) (string, error) {
			s, of := setARN()
			_, err := do(ctx, p, actAccountsForPermissionSet, func(ctx context.Context) (
				*ssoadmin.ListAccountsForProvisionedPermissionSetOutput, error) {
				return (*sso).ListAccountsForProvisionedPermissionSet(ctx,
					&ssoadmin.ListAccountsForProvisionedPermissionSetInput{InstanceArn: inst(),
						PermissionSetArn: aws.String(s), MaxResults: one})
			})
			return "ListAccountsForProvisionedPermissionSet of " + of + ", MaxResults 1", err
		}},
		{actPermissionSetsForAccount, func(ctx context.Context) (string, error) {
			a, of := pick(p.accountID, noSuchAccountID, "account")
			_, err := do(ctx, p, actPermissionSetsForAccount, func(ctx context.Context) (
				*ssoadmin.ListPermissionSetsProvisionedToAccountOutput, error) {
				return (*sso).ListPermissionSetsProvisionedToAccount(ctx,
					&ssoadmin.ListPermissionSetsProvisionedToAccountInput{InstanceArn: inst(),
						AccountId: aws.String(a), MaxResults: one})
			})
			return "ListPermissionSetsProvisionedToAccount of " + of + ", MaxResults 1", err
		}},
		{actListAccountAssignments, func(ctx context.Context) (string, error) {
			a, ofA := pick(p.accountID, noSuchAccountID, "account")
			s, ofS := setARN()
			_, err := do(ctx, p, actListAccountAssignments, func(ctx context.Context) (
				*ssoadmin.ListAccountAssignmentsOutput, error) {
				return (*sso).ListAccountAssignments(ctx, &ssoadmin.ListAccountAssignmentsInput{
					InstanceArn: inst(), AccountId: aws.String(a),
					PermissionSetArn: aws.String(s), MaxResults: one})
			})
			return "ListAccountAssignments of " + ofS + " on " + ofA + ", MaxResults 1", err
		}},
		{actAssignmentsForPrincipal, func(ctx context.Context) (string, error) {
			u, of := pick(p.userID, noSuchID, "user")
			_, err := do(ctx, p, actAssignmentsForPrincipal, func(ctx context.Context) (
				*ssoadmin.ListAccountAssignmentsForPrincipalOutput, error) {
				return (*sso).ListAccountAssignmentsForPrincipal(ctx,
					&ssoadmin.ListAccountAssignmentsForPrincipalInput{InstanceArn: inst(),
						PrincipalType: ssotypes.PrincipalTypeUser, PrincipalId: aws.String(u),
						MaxResults: one})
			})
			return "ListAccountAssignmentsForPrincipal of " + of + ", MaxResults 1", err
		}},
		{actListManagedPolicies, func(ctx context.Context) (string, error) {
			s, of := setARN()
			_, err := do(ctx, p, actListManagedPolicies, func(ctx context.Context) (
				*ssoadmin.ListManagedPoliciesInPermissionSetOutput, error) {
				return (*sso).ListManagedPoliciesInPermissionSet(ctx,
					&ssoadmin.ListManagedPoliciesInPermissionSetInput{InstanceArn: inst(),
						PermissionSetArn: aws.String(s), MaxResults: one})
			})
			return "ListManagedPoliciesInPermissionSet of " + of + ", MaxResults 1", err
		}},
		{actGetInlinePolicy, func(ctx context.Context) (string, error) {
			s, of := setARN()
			_, err := do(ctx, p, actGetInlinePolicy, func(ctx context.Context) (
				*ssoadmin.GetInlinePolicyForPermissionSetOutput, error) {
				return (*sso).GetInlinePolicyForPermissionSet(ctx,
					&ssoadmin.GetInlinePolicyForPermissionSetInput{InstanceArn: inst(),
						PermissionSetArn: aws.String(s)})
			})
			return "GetInlinePolicyForPermissionSet of " + of, err
		}},
		{actListCustomerManaged, func(ctx context.Context) (string, error) {
			s, of := setARN()
			_, err := do(ctx, p, actListCustomerManaged, func(ctx context.Context) (
				*ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetOutput, error) {
				return (*sso).ListCustomerManagedPolicyReferencesInPermissionSet(ctx,
					&ssoadmin.ListCustomerManagedPolicyReferencesInPermissionSetInput{
						InstanceArn: inst(), PermissionSetArn: aws.String(s), MaxResults: one})
			})
			return "ListCustomerManagedPolicyReferencesInPermissionSet of " + of +
				", MaxResults 1", err
		}},
		{actGetPermissionsBoundary, func(ctx context.Context) (string, error) {
			s, of := setARN()
			_, err := do(ctx, p, actGetPermissionsBoundary, func(ctx context.Context) (
				*ssoadmin.GetPermissionsBoundaryForPermissionSetOutput, error) {
				return (*sso).GetPermissionsBoundaryForPermissionSet(ctx,
					&ssoadmin.GetPermissionsBoundaryForPermissionSetInput{InstanceArn: inst(),
						PermissionSetArn: aws.String(s)})
			})
			return "GetPermissionsBoundaryForPermissionSet of " + of, err
		}},
		{actListTagsForResource, func(ctx context.Context) (string, error) {
			s, of := setARN()
			_, err := do(ctx, p, actListTagsForResource, func(ctx context.Context) (
				*ssoadmin.ListTagsForResourceOutput, error) {
				return (*sso).ListTagsForResource(ctx, &ssoadmin.ListTagsForResourceInput{
					InstanceArn: inst(), ResourceArn: aws.String(s)})
			})
			return "ListTagsForResource of " + of + ", one page", err
		}},
		{actCreationStatus, func(ctx context.Context) (string, error) {
			_, err := do(ctx, p, actCreationStatus, func(ctx context.Context) (
				*ssoadmin.DescribeAccountAssignmentCreationStatusOutput, error) {
				return (*sso).DescribeAccountAssignmentCreationStatus(ctx,
					&ssoadmin.DescribeAccountAssignmentCreationStatusInput{InstanceArn: inst(),
						AccountAssignmentCreationRequestId: aws.String(noSuchID)})
			})
			return "DescribeAccountAssignmentCreationStatus of a made-up request id", err
		}},
		{actDeletionStatus, func(ctx context.Context) (string, error) {
			_, err := do(ctx, p, actDeletionStatus, func(ctx context.Context) (
				*ssoadmin.DescribeAccountAssignmentDeletionStatusOutput, error) {
				return (*sso).DescribeAccountAssignmentDeletionStatus(ctx,
					&ssoadmin.DescribeAccountAssignmentDeletionStatusInput{InstanceArn: inst(),
						AccountAssignmentDeletionRequestId: aws.String(noSuchID)})
			})
			return "DescribeAccountAssignmentDeletionStatus of a made-up request id", err
		}},
	}
}
