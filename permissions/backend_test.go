package permissions_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/internal/faultproxy"
	"github.com/awsidc/awsidc/internal/mototest"
	"github.com/awsidc/awsidc/internal/testkit"
	"github.com/awsidc/awsidc/permissions"
)

// Sizes of the scenario every backend seeds.
const (
	nAccounts = 45 // member accounts, besides the management account
	nSets     = 24
	nUsers    = 25
	nGroups   = 3
	// fakePage is the page limit of the fake, so that every listing spans
	// several pages there, and the page size asked of moto for SSO Admin
	// listings (the client asks for 100; see pageSizes).
	fakePage = 10
)

// sessions are the session durations the permission sets cycle through.
var sessions = []struct {
	iso  string
	want time.Duration
}{
	{"PT8H", 8 * time.Hour},
	{"PT1H", time.Hour},
	{"PT2H30M", 2*time.Hour + 30*time.Minute},
	{"PT12H", 12 * time.Hour},
}

// setSpec describes a permission set to seed.
type setSpec struct {
	name, description, session, relayState string
	managed                                []string
	inline                                 string
	customer                               []permissions.CustomerManagedPolicy
	boundary                               *permissions.Boundary
	tags                                   map[string]string // seeded on the fake only
}

// seeder adds the objects of the scenario to one backend and returns their
// ids. Every method fails the test on error.
type seeder interface {
	addUser(t testing.TB, userName string) string
	addGroup(t testing.TB, displayName string) string
	addMember(t testing.TB, groupID, userID string)
	addAccount(t testing.TB, name string) string
	addPermissionSet(t testing.TB, s setSpec) string
	assign(t testing.TB, a permissions.Assignment)
}

type fakeSeeder struct{ org *awsidctest.Org }

func (s fakeSeeder) addUser(t testing.TB, userName string) string {
	t.Helper()
	id, err := s.org.AddUser(awsidctest.UserSeed{UserName: userName})
	require.NoError(t, err)
	return id
}

func (s fakeSeeder) addGroup(t testing.TB, displayName string) string {
	t.Helper()
	id, err := s.org.AddGroup(displayName, "")
	require.NoError(t, err)
	return id
}

func (s fakeSeeder) addMember(t testing.TB, groupID, userID string) {
	t.Helper()
	_, err := s.org.AddMember(groupID, userID)
	require.NoError(t, err)
}

func (s fakeSeeder) addAccount(t testing.TB, name string) string {
	t.Helper()
	id, err := s.org.AddAccount(awsidctest.AccountSeed{Name: name, Email: name + "@example.com"})
	require.NoError(t, err)
	return id
}

func (s fakeSeeder) addPermissionSet(t testing.TB, p setSpec) string {
	t.Helper()
	seed := awsidctest.PermissionSetSeed{
		Name: p.name, Description: p.description, SessionDuration: p.session,
		RelayState: p.relayState, ManagedPolicies: p.managed, InlinePolicy: p.inline,
		Tags: p.tags,
	}
	for _, c := range p.customer {
		seed.CustomerManaged = append(seed.CustomerManaged,
			awsidctest.CustomerManagedRef{Name: c.Name, Path: c.Path})
	}
	if b := p.boundary; b != nil {
		seed.Boundary = &awsidctest.BoundarySeed{ManagedPolicyARN: b.ManagedPolicyARN}
		if c := b.CustomerManaged; c != nil {
			ref := awsidctest.CustomerManagedRef{Name: c.Name, Path: c.Path}
			seed.Boundary.CustomerManaged = &ref
		}
	}
	arn, err := s.org.AddPermissionSet(seed)
	require.NoError(t, err)
	return arn
}

func (s fakeSeeder) assign(t testing.TB, a permissions.Assignment) {
	t.Helper()
	err := s.org.Assign(a.AccountID, a.PermissionSetARN, string(a.PrincipalType), a.PrincipalID)
	require.NoError(t, err)
}

type motoSeeder struct{ f *mototest.Fixture }

func (s motoSeeder) addUser(t testing.TB, userName string) string {
	t.Helper()
	return s.f.CreateUser(t, userName)
}

func (s motoSeeder) addGroup(t testing.TB, displayName string) string {
	t.Helper()
	return s.f.CreateGroup(t, displayName)
}

func (s motoSeeder) addMember(t testing.TB, groupID, userID string) {
	t.Helper()
	s.f.AddMember(t, groupID, userID)
}

func (s motoSeeder) addAccount(t testing.TB, name string) string {
	t.Helper()
	return s.f.CreateAccount(t, name)
}

func (s motoSeeder) addPermissionSet(t testing.TB, p setSpec) string {
	t.Helper()
	// Fixture.CreatePermissionSet always asks for one hour; the scenario
	// needs other durations and a relay state.
	in := &ssoadmin.CreatePermissionSetInput{
		InstanceArn:     aws.String(s.f.InstanceARN),
		Name:            aws.String(p.name),
		SessionDuration: aws.String(p.session),
	}
	if p.description != "" {
		in.Description = aws.String(p.description)
	}
	if p.relayState != "" {
		in.RelayState = aws.String(p.relayState)
	}
	out, err := s.f.SSOAdmin.CreatePermissionSet(t.Context(), in)
	require.NoError(t, err)
	arn := aws.ToString(out.PermissionSet.PermissionSetArn)

	for _, m := range p.managed {
		s.f.AttachManagedPolicy(t, arn, m)
	}
	for _, c := range p.customer {
		s.f.AttachCustomerManagedPolicy(t, arn, c.Name, c.Path)
	}
	if p.inline != "" {
		s.f.PutInlinePolicy(t, arn, p.inline)
	}
	if b := p.boundary; b != nil {
		var in ssotypes.PermissionsBoundary
		if b.ManagedPolicyARN != "" {
			in.ManagedPolicyArn = aws.String(b.ManagedPolicyARN)
		}
		if c := b.CustomerManaged; c != nil {
			in.CustomerManagedPolicyReference = &ssotypes.CustomerManagedPolicyReference{
				Name: aws.String(c.Name), Path: aws.String(c.Path),
			}
		}
		s.f.PutPermissionsBoundary(t, arn, in)
	}
	return arn
}

func (s motoSeeder) assign(t testing.TB, a permissions.Assignment) {
	t.Helper()
	s.f.Assign(t, a.AccountID, a.PermissionSetARN, ssotypes.PrincipalType(a.PrincipalType),
		a.PrincipalID)
}

// scenario is what was seeded, as the client should read it back (times
// left zero).
type scenario struct {
	accounts []permissions.Account // the management account first
	sets     []permissions.PermissionSet
	specs    map[string]setSpec // by ARN
	users    []string
	groups   []string
	// memberOf lists the groups of each user.
	memberOf    map[string][]string
	assignments []permissions.Assignment
}

// The inline policy and the permission set that carries every kind of policy.
const (
	inlinePolicy = `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	richSet = 2
)

// seedScenario seeds, through s, 45 accounts, 24 permission sets, 25 users
// in 3 groups and these assignments: every user and group holds the first
// set on the first account; the first group holds every set on the second
// account; the second group holds the second set on every account. The
// first user is in the first two groups.
func seedScenario(t testing.TB, s seeder, management permissions.Account) scenario {
	t.Helper()
	sc := scenario{
		accounts: []permissions.Account{management},
		specs:    map[string]setSpec{},
		memberOf: map[string][]string{},
	}
	for i := range nAccounts {
		name := fmt.Sprintf("acct-%02d", i)
		sc.accounts = append(sc.accounts, permissions.Account{
			ID: s.addAccount(t, name), Name: name, Email: name + "@example.com",
			State: permissions.AccountActive,
		})
	}

	for i := range nSets {
		d := sessions[i%len(sessions)]
		spec := setSpec{
			name:        fmt.Sprintf("ps-%02d", i),
			description: fmt.Sprintf("permission set %d", i),
			session:     d.iso,
		}
		switch i {
		case 1:
			spec.relayState = "https://console.aws.amazon.com/s3/"
			spec.boundary = &permissions.Boundary{
				ManagedPolicyARN: "arn:aws:iam::aws:policy/PowerUserAccess",
			}
		case richSet:
			spec.managed = []string{
				"arn:aws:iam::aws:policy/ReadOnlyAccess",
				"arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess",
			}
			spec.inline = inlinePolicy
			spec.customer = []permissions.CustomerManagedPolicy{
				{Name: "DataLakeReader", Path: "/teams/data/"},
				{Name: "Audit", Path: "/"},
			}
			spec.boundary = &permissions.Boundary{
				CustomerManaged: &permissions.CustomerManagedPolicy{
					Name: "DataBoundary", Path: "/",
				},
			}
			spec.tags = map[string]string{"risk": "high", "owner": "platform"}
		}
		arn := s.addPermissionSet(t, spec)
		sc.specs[arn] = spec
		sc.sets = append(sc.sets, permissions.PermissionSet{
			ARN: arn, Name: spec.name, Description: spec.description,
			SessionDuration: d.want, RelayState: spec.relayState,
		})
	}

	for i := range nGroups {
		sc.groups = append(sc.groups, s.addGroup(t, fmt.Sprintf("group-%d", i)))
	}
	for i := range nUsers {
		sc.users = append(sc.users, s.addUser(t, fmt.Sprintf("user-%02d", i)))
	}
	for _, g := range sc.groups[:2] {
		s.addMember(t, g, sc.users[0])
		sc.memberOf[sc.users[0]] = append(sc.memberOf[sc.users[0]], g)
	}

	assign := func(acct, arn string, typ permissions.PrincipalType, id string) {
		a := permissions.Assignment{AccountID: acct, PermissionSetARN: arn,
			PrincipalType: typ, PrincipalID: id}
		s.assign(t, a)
		sc.assignments = append(sc.assignments, a)
	}
	first, second := sc.accounts[1].ID, sc.accounts[2].ID
	for _, u := range sc.users {
		assign(first, sc.sets[0].ARN, permissions.PrincipalUser, u)
	}
	for _, g := range sc.groups {
		assign(first, sc.sets[0].ARN, permissions.PrincipalGroup, g)
	}
	for _, p := range sc.sets {
		assign(second, p.ARN, permissions.PrincipalGroup, sc.groups[0])
	}
	for _, a := range sc.accounts[1:] {
		assign(a.ID, sc.sets[1].ARN, permissions.PrincipalGroup, sc.groups[1])
	}
	return sc
}

// assignmentsWhere returns the seeded assignments keep accepts.
func (sc *scenario) assignmentsWhere(
	keep func(permissions.Assignment) bool) []permissions.Assignment {
	var out []permissions.Assignment
	for _, a := range sc.assignments {
		if keep(a) {
			out = append(out, a)
		}
	}
	return out
}

// distinct returns the distinct values of f over as, in first-seen order.
func distinct(as []permissions.Assignment, f func(permissions.Assignment) string) []string {
	var out []string
	for _, a := range as {
		if v := f(a); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// env is one seeded backend.
type env struct {
	scenario
	sso      permissions.SSOAdminAPI
	org      permissions.OrganizationsAPI
	instance string
	// page is the most items a page of action holds on the backend.
	page func(action string) int
	// pages records the page sizes the clients ask for.
	pages *pageSizes
	calls *testkit.CallCounter
	// fake and faults are set on the fake only; proxy and wire on moto only,
	// whose clients reach moto through proxy.
	fake   *awsidctest.Org
	faults *testkit.Faults
	proxy  *faultproxy.Proxy
	wire   *testkit.WireFaults
}

// fault is an error a backend is told to answer one call with.
type fault int

const (
	denied    fault = iota // AccessDeniedException
	throttled              // ThrottlingException, which clients retry
)

// failNth makes the nth call of action from now fail once with f: the fake
// returns AWS's error, and moto's answer is rewritten on the wire.
func (e *env) failNth(action string, n int, f fault) {
	if e.wire != nil {
		code := "AccessDeniedException"
		if f == throttled {
			code = "ThrottlingException"
		}
		e.wire.FailNth(action, n, http.StatusBadRequest, code)
		return
	}
	var err error = &smithy.GenericAPIError{Code: "ThrottlingException", Message: "slow down"}
	if f == denied {
		err = awsidctest.AllowOnly()(context.Background(), action)
	}
	e.faults.FailNth(action, n, err)
}

// served returns how many calls of action the backend has received.
func (e *env) served(action string) int {
	if e.proxy != nil {
		return e.proxy.Requests()[action]
	}
	return e.fake.Calls()[action]
}

// client returns a client on the backend that counts its calls in e.calls
// and retries at once.
func (e *env) client(opts ...permissions.Option) *permissions.Client {
	opts = append([]permissions.Option{
		permissions.WithRetryer(testkit.FastRetryer()),
		permissions.WithObserver(e.calls.Observe),
	}, opts...)
	return permissions.New(e.sso, e.org, e.instance, opts...)
}

type backend struct {
	name  string
	setup func(t *testing.T) *env
}

var backends = []backend{
	{name: "fake", setup: setupFake},
	{name: "moto", setup: setupMoto},
}

func setupFake(t *testing.T) *env {
	f := &testkit.Faults{}
	org := awsidctest.NewOrg(awsidctest.WithPageLimit(fakePage),
		awsidctest.WithInterceptor(f.Intercept))
	management := managementAccount(t, org.Organizations(), awsidctest.ManagementAccountID)
	pages := &pageSizes{}
	return &env{
		scenario: seedScenario(t, fakeSeeder{org}, management),
		sso:      pagedSSO{org.SSOAdmin(), pages},
		org:      pagedOrg{org.Organizations(), pages},
		instance: org.InstanceARN(),
		page:     func(string) int { return fakePage },
		pages:    pages,
		calls:    &testkit.CallCounter{},
		fake:     org,
		faults:   f,
	}
}

// motoSSO is moto's SSO Admin client with ListTagsForResource, which moto
// lacks (HTTP 500), denied as an IAM policy would.
type motoSSO struct{ *ssoadmin.Client }

func (motoSSO) ListTagsForResource(context.Context, *ssoadmin.ListTagsForResourceInput,
	...func(*ssoadmin.Options)) (*ssoadmin.ListTagsForResourceOutput, error) {
	return nil, &ssotypes.AccessDeniedException{Message: aws.String("moto lacks tags")}
}

func setupMoto(t *testing.T) *env {
	f := mototest.NewFixture(t)
	management := managementAccount(t, f.Organizations, f.AccountID)

	// The clients reach moto through a proxy that can fail a chosen call.
	// They retry through awscall only, as the connector's clients do.
	wire := &testkit.WireFaults{}
	p, err := faultproxy.New(mototest.Endpoint(t), faultproxy.Schedule{},
		faultproxy.WithModifyResponse(wire.Modify))
	require.NoError(t, err)
	t.Cleanup(p.Close)
	cfg := f.Config.Copy()
	cfg.BaseEndpoint = aws.String(p.URL())
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }

	// SSO Admin listings are asked of moto in pages of fakePage, so that
	// they span several pages there too.
	pages := &pageSizes{shrink: fakePage}
	return &env{
		scenario: seedScenario(t, motoSeeder{f}, management),
		sso:      pagedSSO{motoSSO{ssoadmin.NewFromConfig(cfg)}, pages},
		org:      pagedOrg{organizations.NewFromConfig(cfg), pages},
		instance: f.InstanceARN,
		page: func(action string) int {
			if action == "organizations:ListAccounts" {
				return 20
			}
			return fakePage
		},
		pages: pages,
		calls: &testkit.CallCounter{},
		proxy: p,
		wire:  wire,
	}
}

// managementAccount reads the management account as the backend describes
// it: the seeding helpers do not name it.
func managementAccount(t testing.TB, api permissions.OrganizationsAPI,
	id string) permissions.Account {
	t.Helper()
	out, err := api.DescribeAccount(t.Context(), &organizations.DescribeAccountInput{
		AccountId: aws.String(id),
	})
	require.NoError(t, err)
	return permissions.Account{
		ID: id, Name: aws.ToString(out.Account.Name), Email: aws.ToString(out.Account.Email),
		State: permissions.AccountState(out.Account.State),
	}
}
