package identitycenter_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idtypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/awsidctest"
	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/faultproxy"
	"github.com/awsidc/awsidc/internal/mototest"
	"github.com/awsidc/awsidc/internal/testkit"
)

// Sizes of the scenario every backend seeds. Each listing spans more than
// one page of 100, the page size the client asks for.
const (
	pageSize  = 100
	nUsers    = 230
	nGroups   = 105
	nBigGroup = 150 // members of the first group
)

// seeder adds the objects of the scenario to one backend and returns their
// ids. Every method fails the test on error.
type seeder interface {
	addUser(t testing.TB, userName string) string
	addGroup(t testing.TB, displayName string) string
	addMember(t testing.TB, groupID, userID string) string
}

// fakeSeeder seeds an awsidctest.Org, with the same attributes as
// mototest.Fixture.CreateUser gives.
type fakeSeeder struct{ org *awsidctest.Org }

func (s fakeSeeder) addUser(t testing.TB, userName string) string {
	t.Helper()
	id, err := s.org.AddUser(awsidctest.UserSeed{
		UserName:    userName,
		DisplayName: userName + " display",
		GivenName:   userName + " given",
		FamilyName:  userName + " family",
		Email:       userName + "@example.com",
	})
	require.NoError(t, err)
	return id
}

func (s fakeSeeder) addGroup(t testing.TB, displayName string) string {
	t.Helper()
	id, err := s.org.AddGroup(displayName, "")
	require.NoError(t, err)
	return id
}

func (s fakeSeeder) addMember(t testing.TB, groupID, userID string) string {
	t.Helper()
	id, err := s.org.AddMember(groupID, userID)
	require.NoError(t, err)
	return id
}

// motoSeeder seeds a moto account through mototest.
type motoSeeder struct{ f *mototest.Fixture }

func (s motoSeeder) addUser(t testing.TB, userName string) string {
	t.Helper()
	return s.f.CreateUser(t, userName)
}

func (s motoSeeder) addGroup(t testing.TB, displayName string) string {
	t.Helper()
	return s.f.CreateGroup(t, displayName)
}

func (s motoSeeder) addMember(t testing.TB, groupID, userID string) string {
	t.Helper()
	return s.f.AddMember(t, groupID, userID)
}

// scenario is what was seeded, as the client should read it back.
type scenario struct {
	users  []identitycenter.User
	groups []identitycenter.Group
	// bigGroup has the first nBigGroup users as members, and busyUser.
	bigGroup        string
	bigGroupMembers []identitycenter.Membership
	// busyUser is a member of every group.
	busyUser            string
	busyUserMemberships []identitycenter.Membership
}

// seedScenario seeds the scenario through s. Users read back with status.
func seedScenario(t testing.TB, s seeder, status identitycenter.UserStatus) scenario {
	t.Helper()
	var sc scenario
	for i := range nUsers {
		name := fmt.Sprintf("user-%03d", i)
		id := s.addUser(t, name)
		sc.users = append(sc.users, identitycenter.User{
			ID:           id,
			UserName:     name,
			DisplayName:  name + " display",
			GivenName:    name + " given",
			FamilyName:   name + " family",
			PrimaryEmail: name + "@example.com",
			Status:       status,
		})
	}
	for i := range nGroups {
		name := fmt.Sprintf("group-%03d", i)
		g := identitycenter.Group{ID: s.addGroup(t, name), DisplayName: name}
		sc.groups = append(sc.groups, g)
	}

	sc.bigGroup = sc.groups[0].ID
	for _, u := range sc.users[:nBigGroup] {
		m := identitycenter.Membership{GroupID: sc.bigGroup, UserID: u.ID}
		m.ID = s.addMember(t, m.GroupID, m.UserID)
		sc.bigGroupMembers = append(sc.bigGroupMembers, m)
	}

	// The last user, outside the big group, joins every group.
	sc.busyUser = sc.users[nUsers-1].ID
	for _, g := range sc.groups {
		m := identitycenter.Membership{GroupID: g.ID, UserID: sc.busyUser}
		m.ID = s.addMember(t, m.GroupID, m.UserID)
		sc.busyUserMemberships = append(sc.busyUserMemberships, m)
		if g.ID == sc.bigGroup {
			sc.bigGroupMembers = append(sc.bigGroupMembers, m)
		}
	}
	return sc
}

// env is one seeded backend with a client reading it.
type env struct {
	scenario
	api       *pagedAPI
	instances identitycenter.InstancesAPI
	storeID   string
	instance  identitycenter.Instance
	// status is what the backend reports as the status of a seeded user.
	status identitycenter.UserStatus
	// calls counts the attempts of every action made by clients from client.
	calls *testkit.CallCounter
	// org and faults are set on the fake only; proxy and wire on moto only,
	// whose client reaches moto through proxy.
	org    *awsidctest.Org
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
// returns AWS's typed error, and moto's answer is rewritten on the wire.
func (e *env) failNth(action string, n int, f fault) {
	if e.wire != nil {
		code := "AccessDeniedException"
		if f == throttled {
			code = "ThrottlingException"
		}
		e.wire.FailNth(action, n, http.StatusBadRequest, code)
		return
	}
	var err error = &idtypes.ThrottlingException{Message: aws.String("slow down")}
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
	return e.org.Calls()[action]
}

// client returns a client on the backend that counts its calls in e.calls
// and retries at once.
func (e *env) client(opts ...identitycenter.Option) *identitycenter.Client {
	opts = append([]identitycenter.Option{
		identitycenter.WithRetryer(testkit.FastRetryer()),
		identitycenter.WithObserver(e.calls.Observe),
	}, opts...)
	return identitycenter.New(e.api, e.storeID, opts...)
}

// backend seeds the scenario on one kind of server.
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
	org := awsidctest.NewOrg(awsidctest.WithInterceptor(f.Intercept))
	e := &env{
		scenario:  seedScenario(t, fakeSeeder{org}, identitycenter.StatusEnabled),
		api:       &pagedAPI{API: org.IdentityStore()},
		instances: org.SSOAdmin(),
		storeID:   org.IdentityStoreID(),
		status:    identitycenter.StatusEnabled,
		calls:     &testkit.CallCounter{},
		org:       org,
		faults:    f,
	}
	e.instance = identitycenter.Instance{
		ARN:             org.InstanceARN(),
		IdentityStoreID: org.IdentityStoreID(),
		OwnerAccountID:  awsidctest.ManagementAccountID,
		Status:          "ACTIVE",
	}
	return e
}

func setupMoto(t *testing.T) *env {
	f := mototest.NewFixture(t)

	// The client reaches moto through a proxy that can fail a chosen call.
	// It retries through awscall only, as the connector's clients do.
	wire := &testkit.WireFaults{}
	p, err := faultproxy.New(mototest.Endpoint(t), faultproxy.Schedule{},
		faultproxy.WithModifyResponse(wire.Modify))
	require.NoError(t, err)
	t.Cleanup(p.Close)
	cfg := f.Config.Copy()
	cfg.BaseEndpoint = aws.String(p.URL())
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }

	// moto never reports a user's status.
	status := identitycenter.StatusUnknown
	e := &env{
		scenario:  seedScenario(t, motoSeeder{f}, status),
		api:       &pagedAPI{API: identitystore.NewFromConfig(cfg)},
		instances: f.SSOAdmin,
		storeID:   f.IdentityStoreID,
		status:    status,
		calls:     &testkit.CallCounter{},
		proxy:     p,
		wire:      wire,
	}
	e.instance = identitycenter.Instance{
		ARN:             f.InstanceARN,
		IdentityStoreID: f.IdentityStoreID,
		OwnerAccountID:  f.AccountID,
		Status:          "ACTIVE",
	}
	return e
}
