package review

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/internal/faultproxy"
	"github.com/awsidc/awsidc/internal/mototest"
	"github.com/awsidc/awsidc/permissions"
)

// motoWire is a moto account reached through a proxy that answers revokes
// as AWS does, IN_PROGRESS (moto ends them at once), and can deny the
// status read, so that the asynchronous paths of Apply run on the wire.
type motoWire struct {
	f          *mototest.Fixture
	proxy      *faultproxy.Proxy
	denyStatus atomic.Bool
	perms      *permissions.Client
	dir        *identitycenter.Client
	decisions  *Decisions
}

const deletionStatus = "sso:DescribeAccountAssignmentDeletionStatus"

func newMotoWire(t *testing.T) *motoWire {
	t.Helper()
	w := &motoWire{f: mototest.NewFixture(t)}
	account := w.f.CreateAccount(t, "prod")
	admin := w.f.CreatePermissionSet(t, "Admin")
	for _, name := range []string{"dan", "eve"} {
		w.f.Assign(t, account, admin, ssotypes.PrincipalTypeUser, w.f.CreateUser(t, name))
	}

	p, err := faultproxy.New(mototest.Endpoint(t), faultproxy.Schedule{},
		faultproxy.WithModifyResponse(w.modify))
	require.NoError(t, err)
	t.Cleanup(p.Close)
	w.proxy = p
	cfg := w.f.Config.Copy()
	cfg.BaseEndpoint = aws.String(p.URL())
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{Proxy: nil}}
	c := mototest.NewClients(cfg)
	w.perms = permissions.New(c.SSOAdmin, c.Organizations, w.f.InstanceARN)
	w.dir = identitycenter.New(c.IdentityStore, w.f.IdentityStoreID)

	d, err := ReadDecisions(bytes.NewReader(decide(t, template(t, w.snapshot(t), FormatCSV),
		decideKeys(map[[3]string]Decision{
			{"dan", account, "Admin"}: DecisionRevoke,
			{"eve", account, "Admin"}: DecisionRevoke,
		}))))
	require.NoError(t, err)
	w.decisions = d
	return w
}

// modify makes a revoke answer IN_PROGRESS, and the status read answer
// AccessDeniedException while denyStatus is set.
func (w *motoWire) modify(action string, resp *http.Response) error {
	var body []byte
	switch {
	case action == "sso:DeleteAccountAssignment" && resp.StatusCode == http.StatusOK:
		var out map[string]map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return err
		}
		out["AccountAssignmentDeletionStatus"]["Status"] = "IN_PROGRESS"
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		body = b
	case action == deletionStatus && w.denyStatus.Load():
		resp.StatusCode, resp.Status = http.StatusBadRequest, "400 Bad Request"
		resp.Header.Set("X-Amzn-Errortype", "AccessDeniedException")
		body = []byte(`{"__type":"AccessDeniedException","Message":"not authorized"}`)
	default:
		return nil
	}
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}

func (w *motoWire) snapshot(t *testing.T) *Snapshot {
	t.Helper()
	s, err := Collect(t.Context(), w.dir, w.perms, Options{InstanceARN: w.f.InstanceARN,
		IdentityStoreID: w.f.IdentityStoreID})
	require.NoError(t, err)
	return s
}

func (w *motoWire) apply(t *testing.T, j *Journal) ([]Outcome, error) {
	t.Helper()
	plan, err := NewActionPlan(w.snapshot(t), w.decisions, ActionOptions{})
	require.NoError(t, err)
	return Apply(t.Context(), plan, Writers{Assignments: w.perms}, j,
		ApplyOptions{Concurrency: 1, Sleep: (&noSleep{}).sleep})
}

// TestApplyOnMotoUnconfirmedThenResumedExactlyOnce checks on moto, through
// the SDK, that a revoke whose status read is denied is "unconfirmed",
// never done, and that a run stopped after any journal write and resumed
// sends each revoke exactly once.
func TestApplyOnMotoUnconfirmedThenResumedExactlyOnce(t *testing.T) {
	t.Run("status denied", func(t *testing.T) {
		w := newMotoWire(t)
		w.denyStatus.Store(true)
		m, j := newMemJournal(t, w.f.InstanceARN)
		outs, err := w.apply(t, j)
		require.NoError(t, err)
		require.Len(t, outs, 2)
		for _, o := range outs {
			assert.Equal(t, OutcomeUnconfirmed, o.Kind, "never reported done")
			assert.Contains(t, o.Reason, "access denied")
			assert.NotEmpty(t, o.RequestID, "AWS's request id is kept")
		}
		assert.Equal(t, 2, w.proxy.Requests()[deletionStatus])

		// Once the status can be read, resuming re-checks without revoking again.
		w.denyStatus.Store(false)
		outs, err = w.apply(t, m.reopen(t, w.f.InstanceARN))
		require.NoError(t, err)
		for _, o := range outs {
			assert.Contains(t, []OutcomeKind{OutcomeDone, OutcomeAlreadyDone}, o.Kind)
		}
		assert.Equal(t, 2, w.proxy.Requests()["sso:DeleteAccountAssignment"])
		assert.Empty(t, w.snapshot(t).Assignments)
	})

	// A clean run counts the journal writes.
	w := newMotoWire(t)
	m, j := newMemJournal(t, w.f.InstanceARN)
	_, err := w.apply(t, j)
	require.NoError(t, err)
	writes := m.writes
	require.Greater(t, writes, 3)

	for k := 1; k < writes; k++ {
		t.Run(fmt.Sprintf("journal fails at write %d", k+1), func(t *testing.T) {
			w := newMotoWire(t)
			m := &memJournal{failAfter: k}
			j, err := NewJournal(m, nil, w.f.InstanceARN)
			require.NoError(t, err)
			_, err = w.apply(t, j)
			require.ErrorIs(t, err, errCrash)

			outs, err := w.apply(t, m.reopen(t, w.f.InstanceARN))
			require.NoError(t, err)
			for _, o := range outs {
				assert.Contains(t, []OutcomeKind{OutcomeDone, OutcomeAlreadyDone}, o.Kind,
					"%s: %s", o.Action.ID, o.Reason)
			}
			assert.Equal(t, 2, w.proxy.Requests()["sso:DeleteAccountAssignment"],
				"each revoke is sent once")
			assert.Empty(t, w.snapshot(t).Assignments)
		})
	}
}
