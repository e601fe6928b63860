package review_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/mototest"
	"github.com/awsidc/awsidc/permissions"
	"github.com/awsidc/awsidc/review"
)

// largestPage is the largest MaxResults each list action accepts, from the
// services' API references. ListTagsForResource takes none.
var largestPage = map[string]int{
	"sso:ListInstances":                                      100,
	"sso:ListPermissionSets":                                 100,
	"sso:ListAccountsForProvisionedPermissionSet":            100,
	"sso:ListPermissionSetsProvisionedToAccount":             100,
	"sso:ListAccountAssignments":                             100,
	"sso:ListAccountAssignmentsForPrincipal":                 100,
	"sso:ListManagedPoliciesInPermissionSet":                 100,
	"sso:ListCustomerManagedPolicyReferencesInPermissionSet": 100,
	"identitystore:ListUsers":                                100,
	"identitystore:ListGroups":                               100,
	"identitystore:ListGroupMemberships":                     100,
	"identitystore:ListGroupMembershipsForMember":            100,
	"organizations:ListAccounts":                             20,
}

// pageSizes is a proxy in front of moto that records the MaxResults of
// every list request, by IAM action.
type pageSizes struct {
	mu   sync.Mutex
	seen map[string][]int // -1 when the request had none
}

func (p *pageSizes) record(r *http.Request) {
	svc, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	prefix := map[string]string{"SWBExternalService": "sso",
		"AWSIdentityStore": "identitystore", "AWSOrganizationsV20161128": "organizations"}[svc]
	if prefix == "" || !strings.HasPrefix(op, "List") {
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	var in struct{ MaxResults *int }
	_ = json.Unmarshal(body, &in)
	n := -1
	if in.MaxResults != nil {
		n = *in.MaxResults
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen[prefix+":"+op] = append(p.seen[prefix+":"+op], n)
}

// TestEveryListAsksForTheLargestPage checks on the wire that every list call
// a review makes, under every plan, asks for the largest page its API allows.
func TestEveryListAsksForTheLargestPage(t *testing.T) {
	fx := mototest.NewFixture(t)
	seedMoto(t, fx)
	target, err := url.Parse(mototest.Endpoint(t))
	require.NoError(t, err)
	sizes := &pageSizes{seen: map[string][]int{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = &http.Transport{Proxy: nil}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sizes.record(r)
		rp.ServeHTTP(w, r)
	}))
	defer srv.Close()
	cfg := fx.Config.Copy()
	cfg.BaseEndpoint = aws.String(srv.URL)
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{Proxy: nil}}
	c := mototest.NewClients(cfg)
	dir := identitycenter.New(c.IdentityStore, fx.IdentityStoreID)
	perms := permissions.New(c.SSOAdmin, c.Organizations, fx.InstanceARN)

	for _, err := range identitycenter.Instances(t.Context(), c.SSOAdmin) {
		require.NoError(t, err)
	}
	var snap *review.Snapshot
	for _, plan := range []review.Plan{review.PlanPerPermissionSet, review.PlanPerAccount,
		review.PlanCrossProduct, review.PlanPerPrincipal} {
		snap, err = review.Collect(t.Context(), dir, perms,
			review.Options{Plan: plan, Policies: true})
		require.NoError(t, err, plan)
		require.True(t, snap.Complete())
	}
	for _, err := range dir.MembershipsOf(t.Context(), snap.Users[0].ID) {
		require.NoError(t, err)
	}

	sizes.mu.Lock()
	defer sizes.mu.Unlock()
	for action, want := range largestPage {
		got := sizes.seen[action]
		require.NotEmptyf(t, got, "%s was never called", action)
		for _, n := range got {
			assert.Equalf(t, want, n, "MaxResults of %s", action)
		}
	}
	for action := range sizes.seen {
		if action != "sso:ListTagsForResource" {
			assert.Containsf(t, largestPage, action, "%s has no page size to check", action)
		}
	}
}
