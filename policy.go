package awsidc

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// FeatureName names one thing awsidc can do, such as "read-directory". The
// names are stable: they are what the examples' -features flags accept.
type FeatureName string

// The features of awsidc, in the order [Features] lists them.
const (
	FeatureDiscoverInstance   FeatureName = "discover-instance"
	FeatureReadDirectory      FeatureName = "read-directory"
	FeatureReadUserGroups     FeatureName = "read-user-groups"
	FeatureLookUp             FeatureName = "look-up"
	FeatureUserByName         FeatureName = "user-by-name"
	FeatureReadAccounts       FeatureName = "read-accounts"
	FeatureReadPermissionSets FeatureName = "read-permission-sets"
	FeatureReadAssignments    FeatureName = "read-assignments"
	FeatureReadPolicies       FeatureName = "read-policies"
	FeaturePerPrincipal       FeatureName = "per-principal"
	FeatureGrant              FeatureName = "grant"
	FeatureRevoke             FeatureName = "revoke"
	FeatureOperationStatus    FeatureName = "operation-status"
	FeatureDeprovisionUsers   FeatureName = "deprovision-users"
	FeatureAddMemberships     FeatureName = "add-memberships"
	FeatureRemoveMemberships  FeatureName = "remove-memberships"
)

// Fallback says how a feature carries on when one of its actions is denied.
type Fallback struct {
	// Action is the action that may be denied.
	Action string
	// Instead lists the actions used in its place; the fallback works only
	// when all of them are allowed. Empty means the feature carries on
	// without any.
	Instead []string
	// Effect says what the caller gets then.
	Effect string
}

// Dependent is a set of actions that AWS itself checks against the caller's
// policy while serving one of a feature's calls, on resources it names.
type Dependent struct {
	// Actions are IAM actions of another service, such as "iam:CreateRole".
	Actions []string
	// Resource is the ARN pattern the actions are needed on.
	Resource string
	// Why says when AWS checks them.
	Why string
}

// Feature is one thing awsidc can do and the IAM actions it calls.
type Feature struct {
	Name        FeatureName
	Description string
	// Actions are the API actions the feature calls, each an IAM action
	// name such as "sso:ListAccountAssignments".
	Actions []string
	// Writes reports whether the feature changes anything. Preflight never
	// probes the actions of a feature that writes, except its reads.
	Writes bool
	// Fallbacks list the actions of Actions the feature can do without.
	Fallbacks []Fallback
	// Dependents are actions of other services AWS checks on the caller.
	Dependents []Dependent
}

// Actions of the features, one constant per IAM action awsidc calls.
const (
	actListInstances             = "sso:ListInstances"
	actListUsers                 = "identitystore:ListUsers"
	actListGroups                = "identitystore:ListGroups"
	actListGroupMemberships      = "identitystore:ListGroupMemberships"
	actListMembershipsForMember  = "identitystore:ListGroupMembershipsForMember"
	actDescribeUser              = "identitystore:DescribeUser"
	actDescribeGroup             = "identitystore:DescribeGroup"
	actGetUserID                 = "identitystore:GetUserId"
	actGetGroupMembershipID      = "identitystore:GetGroupMembershipId"
	actDeleteUser                = "identitystore:DeleteUser"
	actCreateGroupMembership     = "identitystore:CreateGroupMembership"
	actDeleteGroupMembership     = "identitystore:DeleteGroupMembership"
	actListAccounts              = "organizations:ListAccounts"
	actDescribeAccount           = "organizations:DescribeAccount"
	actListPermissionSets        = "sso:ListPermissionSets"
	actDescribePermissionSet     = "sso:DescribePermissionSet"
	actAccountsForPermissionSet  = "sso:ListAccountsForProvisionedPermissionSet"
	actPermissionSetsForAccount  = "sso:ListPermissionSetsProvisionedToAccount"
	actListAccountAssignments    = "sso:ListAccountAssignments"
	actAssignmentsForPrincipal   = "sso:ListAccountAssignmentsForPrincipal"
	actListManagedPolicies       = "sso:ListManagedPoliciesInPermissionSet"
	actGetInlinePolicy           = "sso:GetInlinePolicyForPermissionSet"
	actListCustomerManaged       = "sso:ListCustomerManagedPolicyReferencesInPermissionSet"
	actGetPermissionsBoundary    = "sso:GetPermissionsBoundaryForPermissionSet"
	actListTagsForResource       = "sso:ListTagsForResource"
	actCreateAccountAssignment   = "sso:CreateAccountAssignment"
	actDeleteAccountAssignment   = "sso:DeleteAccountAssignment"
	actCreationStatus            = "sso:DescribeAccountAssignmentCreationStatus"
	actDeletionStatus            = "sso:DescribeAccountAssignmentDeletionStatus"
	identityCenterRoles          = "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"
	identityCenterSAMLProviders  = "arn:aws:iam::*:saml-provider/AWSSSO_*_DO_NOT_DELETE"
	managementAccountWhy         = "assignments in the organization's management account"
	policyVersion                = "2012-10-17"
	allResources                 = "*"
	effectAllow                  = "Allow"
	managementAccountStatementID = "IdentityCenterRolesInManagementAccount"
)

// assignmentWriteDependents are the IAM actions AWS checks on the caller
// when an assignment write creates, updates or deletes the Identity Center
// role of the organization's management account. In member accounts the
// service-linked role AWSServiceRoleForSSO does that work; its policy
// excludes the management account, where the caller's own policy must allow
// it. The list is AWS's documented example for administering assignments.
var assignmentWriteDependents = []Dependent{
	{
		Actions: []string{"iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole",
			"iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:GetRole",
			"iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:PutRolePolicy",
			"iam:UpdateRole", "iam:UpdateRoleDescription"},
		Resource: identityCenterRoles,
		Why:      managementAccountWhy,
	},
	{
		Actions:  []string{"iam:GetSAMLProvider"},
		Resource: identityCenterSAMLProviders,
		Why:      managementAccountWhy,
	},
}

// features is the table: every IAM action awsidc calls appears in at least
// one feature. A test checks it against the source and against a workload
// run on the fake.
var features = []Feature{
	{
		Name:        FeatureDiscoverInstance,
		Description: "find the Identity Center instance and identity store when not configured",
		Actions:     []string{actListInstances},
	},
	{
		Name:        FeatureReadDirectory,
		Description: "list users, groups and the members of each group",
		Actions:     []string{actListUsers, actListGroups, actListGroupMemberships},
	},
	{
		Name:        FeatureReadUserGroups,
		Description: "list the groups of one user",
		Actions:     []string{actListMembershipsForMember},
	},
	{
		Name:        FeatureLookUp,
		Description: "read one user, group or account by id",
		Actions:     []string{actDescribeUser, actDescribeGroup, actDescribeAccount},
	},
	{
		Name:        FeatureUserByName,
		Description: "find a user by user name",
		Actions:     []string{actGetUserID, actDescribeUser},
		Fallbacks: []Fallback{{Action: actGetUserID, Instead: []string{actListUsers},
			Effect: "users are listed to find the name, one call per 100 users"}},
	},
	{
		Name:        FeatureReadAccounts,
		Description: "list the organization's accounts",
		Actions:     []string{actListAccounts},
	},
	{
		Name:        FeatureReadPermissionSets,
		Description: "list and describe permission sets",
		Actions:     []string{actListPermissionSets, actDescribePermissionSet},
	},
	{
		Name:        FeatureReadAssignments,
		Description: "list the assignments of every provisioned account and permission set",
		Actions: []string{actAccountsForPermissionSet, actPermissionSetsForAccount,
			actListAccountAssignments},
		Fallbacks: []Fallback{
			{Action: actAccountsForPermissionSet, Instead: []string{actListAccounts},
				Effect: "provisioning is read per account, or every account and permission " +
					"set is listed"},
			{Action: actPermissionSetsForAccount, Instead: []string{actListAccounts},
				Effect: "assignments are listed for every account and permission set"},
		},
	},
	{
		Name: FeatureReadPolicies,
		Description: "read each permission set's managed, inline and customer managed " +
			"policies, boundary and tags",
		Actions: []string{actListManagedPolicies, actGetInlinePolicy, actListCustomerManaged,
			actGetPermissionsBoundary, actListTagsForResource},
	},
	{
		Name:        FeaturePerPrincipal,
		Description: "list the assignments reaching one user or group",
		Actions:     []string{actAssignmentsForPrincipal},
		Fallbacks: []Fallback{{Action: actAssignmentsForPrincipal,
			Instead: []string{actListAccountAssignments},
			Effect:  "reviews read assignments per account and permission set instead"}},
	},
	{
		Name:        FeatureGrant,
		Description: "create assignments",
		Actions:     []string{actCreateAccountAssignment},
		Writes:      true,
		Dependents:  assignmentWriteDependents,
	},
	{
		Name:        FeatureRevoke,
		Description: "delete assignments",
		Actions:     []string{actDeleteAccountAssignment},
		Writes:      true,
		Dependents:  assignmentWriteDependents,
	},
	{
		Name:        FeatureOperationStatus,
		Description: "follow grants and revocations until AWS reports them done",
		Actions:     []string{actCreationStatus, actDeletionStatus},
		Fallbacks: []Fallback{
			{Action: actCreationStatus, Effect: "grants stay submitted but unconfirmed"},
			{Action: actDeletionStatus, Effect: "revocations stay submitted but unconfirmed"},
		},
	},
	{
		Name:        FeatureDeprovisionUsers,
		Description: "delete users from the identity store, with their memberships and assignments",
		Actions:     []string{actDeleteUser},
		Writes:      true,
	},
	{
		Name:        FeatureAddMemberships,
		Description: "add users to groups",
		Actions:     []string{actCreateGroupMembership},
		Writes:      true,
	},
	{
		Name:        FeatureRemoveMemberships,
		Description: "take users out of groups",
		Actions:     []string{actGetGroupMembershipID, actDeleteGroupMembership},
		Writes:      true,
	},
}

// Features returns every feature of awsidc with the IAM actions it calls.
// The result is a copy; changing it changes nothing else.
func Features() []Feature {
	out := make([]Feature, len(features))
	for i, f := range features {
		out[i] = f.clone()
	}
	return out
}

func (f Feature) clone() Feature {
	f.Actions = slices.Clone(f.Actions)
	f.Fallbacks = slices.Clone(f.Fallbacks)
	for i := range f.Fallbacks {
		f.Fallbacks[i].Instead = slices.Clone(f.Fallbacks[i].Instead)
	}
	f.Dependents = slices.Clone(f.Dependents)
	for i := range f.Dependents {
		f.Dependents[i].Actions = slices.Clone(f.Dependents[i].Actions)
	}
	return f
}

// LookupFeature returns the feature called name.
func LookupFeature(name FeatureName) (Feature, bool) {
	for _, f := range features {
		if f.Name == name {
			return f.clone(), true
		}
	}
	return Feature{}, false
}

// ReviewFeatures are the features an access review reads with: everything
// review.Collect needs for a complete snapshot with policies. The
// per-principal listing is left out: reviews fall back from it.
func ReviewFeatures() []FeatureName {
	return []FeatureName{FeatureDiscoverInstance, FeatureReadDirectory, FeatureReadAccounts,
		FeatureReadPermissionSets, FeatureReadAssignments, FeatureReadPolicies}
}

// AllFeatures returns the name of every feature, in table order.
func AllFeatures() []FeatureName {
	names := make([]FeatureName, len(features))
	for i, f := range features {
		names[i] = f.Name
	}
	return names
}

// ErrUnknownFeature is matched by errors.Is when a feature name is not in
// the table.
var ErrUnknownFeature = errors.New("awsidc: unknown feature")

// ParseFeatures parses a comma-separated list of feature names. "all" stands
// for every feature and "review" for [ReviewFeatures]. Names are returned
// once each, in table order. An unknown name gives an error matching
// [ErrUnknownFeature].
func ParseFeatures(list string) ([]FeatureName, error) {
	want := map[FeatureName]bool{}
	for _, part := range strings.Split(list, ",") {
		name := FeatureName(strings.TrimSpace(part))
		switch {
		case name == "":
		case name == "all":
			for _, n := range AllFeatures() {
				want[n] = true
			}
		case name == "review":
			for _, n := range ReviewFeatures() {
				want[n] = true
			}
		default:
			if _, ok := LookupFeature(name); !ok {
				return nil, fmt.Errorf("%w %q, want one of all, review, %s",
					ErrUnknownFeature, name, joinNames(AllFeatures()))
			}
			want[name] = true
		}
	}
	var out []FeatureName
	for _, n := range AllFeatures() {
		if want[n] {
			out = append(out, n)
		}
	}
	return out, nil
}

func joinNames(names []FeatureName) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = string(n)
	}
	return strings.Join(s, ", ")
}

// selected returns the features called names, in table order; no names means
// every feature. Names not in the table are ignored.
func selected(names []FeatureName) []Feature {
	if len(names) == 0 {
		return features
	}
	var out []Feature
	for _, f := range features {
		if slices.Contains(names, f.Name) {
			out = append(out, f)
		}
	}
	return out
}

// RequiredActions returns, sorted and once each, every IAM action the named
// features need: the actions they call and the dependent actions AWS checks
// on the caller. No names means every feature; names not in the table are
// ignored.
func RequiredActions(names ...FeatureName) []string {
	var out []string
	for _, f := range selected(names) {
		out = append(out, f.Actions...)
		for _, d := range f.Dependents {
			out = append(out, d.Actions...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// PolicyDocument is an IAM policy document. Marshalled with encoding/json
// it is valid IAM policy JSON.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a [PolicyDocument].
type Statement struct {
	Sid      string   `json:"Sid"`
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource string   `json:"Resource"`
}

// Policy returns the IAM policy that allows the named features (every
// feature when none is named). Statements are grouped by service, one per
// service in a fixed order, each with its actions sorted; the dependent IAM
// actions of assignment writes get their own statements, scoped to the
// Identity Center roles and SAML providers AWS manages. The same names give
// the same document.
//
// Identity Store, SSO Admin and Organizations actions are allowed on every
// resource: ListInstances and ListAccounts support no narrower resource, and
// the instance, identity store and accounts are not known until run time.
func Policy(names ...FeatureName) PolicyDocument {
	services := []struct{ prefix, sid string }{
		{"identitystore:", "IdentityStore"},
		{"sso:", "IdentityCenterAdmin"},
		{"organizations:", "Organizations"},
	}
	doc := PolicyDocument{Version: policyVersion}
	actions := RequiredActions(names...)
	for _, s := range services {
		var in []string
		for _, a := range actions {
			if strings.HasPrefix(a, s.prefix) {
				in = append(in, a)
			}
		}
		if len(in) > 0 {
			doc.Statement = append(doc.Statement, Statement{Sid: s.sid, Effect: effectAllow,
				Action: in, Resource: allResources})
		}
	}

	// Dependent actions, grouped by the resource they apply to.
	byResource := map[string][]string{}
	var resources []string
	for _, f := range selected(names) {
		for _, d := range f.Dependents {
			if _, ok := byResource[d.Resource]; !ok {
				resources = append(resources, d.Resource)
			}
			byResource[d.Resource] = append(byResource[d.Resource], d.Actions...)
		}
	}
	slices.Sort(resources)
	for _, r := range resources {
		acts := byResource[r]
		slices.Sort(acts)
		sid := managementAccountStatementID
		if r == identityCenterSAMLProviders {
			sid = "IdentityCenterSAMLProviderInManagementAccount"
		}
		doc.Statement = append(doc.Statement, Statement{Sid: sid, Effect: effectAllow,
			Action: slices.Compact(acts), Resource: r})
	}
	return doc
}

// JSON returns d as indented JSON, ending in a newline.
func (d PolicyDocument) JSON() []byte {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		// A PolicyDocument holds only strings; it always marshals.
		panic(fmt.Sprintf("awsidc: marshal policy: %v", err))
	}
	return append(b, '\n')
}
