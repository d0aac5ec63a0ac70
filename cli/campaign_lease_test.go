package cli

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// TestCampaignLeaseAdapter: the lease cli gives the engine in hybrid mode
// works over two real sync workers (two SQLite installs, one Postgres), and
// fails with the engine's lease errors.
func TestCampaignLeaseAdapter(t *testing.T) {
	ctx := context.Background()
	url := testdb.PostgresURL(t)
	if newCampaignLease(nil) != nil {
		t.Fatal("no worker (local or cloud mode) must mean no lease")
	}
	var leases []campaign.Lease
	for i := 0; i < 2; i++ {
		w := &syncer.Worker{Local: testdb.DB(testdb.SQLite(t)), CloudURL: url}
		l := newCampaignLease(w)
		if l.InstallID() != "" {
			t.Fatal("install id known before the worker started")
		}
		if err := w.Round(ctx); err != nil {
			t.Fatal(err)
		}
		leases = append(leases, l)
	}
	a, b := leases[0], leases[1]
	if a.InstallID() == "" || a.InstallID() == b.InstallID() {
		t.Fatalf("install ids %q and %q", a.InstallID(), b.InstallID())
	}
	id := models.NewID()
	got, err := a.Acquire(ctx, id, time.Minute)
	if err != nil || got.Holder != a.InstallID() || !got.Until.After(time.Now()) {
		t.Fatalf("acquire: %+v %v", got, err)
	}
	held, err := b.Acquire(ctx, id, time.Minute)
	if !errors.Is(err, campaign.ErrLeaseHeld) || held.Holder != a.InstallID() {
		t.Fatalf("second install's acquire: %+v %v; want ErrLeaseHeld by %s", held, err, a.InstallID())
	}
	if _, err := b.Renew(ctx, id, time.Minute); !errors.Is(err, campaign.ErrLeaseLost) {
		t.Fatalf("renew by a non-holder: %v", err)
	}
	if !a.HeldLocally(id) || b.HeldLocally(id) {
		t.Fatal("HeldLocally is wrong")
	}
	if err := a.Release(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Acquire(ctx, id, time.Minute); err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
}
