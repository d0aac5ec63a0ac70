package syncer_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

func leasesOn(t *testing.T, url string) *syncer.Leases {
	t.Helper()
	dsn, _ := models.PostgresDSN(url, "")
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return syncer.NewLeases(func(context.Context) (*sql.DB, error) { return db, nil })
}

func testLeases(t *testing.T, url string) {
	ctx := context.Background()
	a, b := leasesOn(t, url), leasesOn(t, url)
	cid := models.NewID()

	got, err := a.Acquire(ctx, cid, "install-a", time.Minute)
	if err != nil || got.Holder != "install-a" {
		t.Fatalf("first acquire: %+v %v", got, err)
	}
	holder, err := b.Acquire(ctx, cid, "install-b", time.Minute)
	if !errors.Is(err, campaign.ErrLeaseHeld) || holder.Holder != "install-a" {
		t.Fatalf("second install's acquire: %+v %v; want ErrLeaseHeld by install-a", holder, err)
	}
	if _, err := b.Renew(ctx, cid, "install-b", time.Minute); !errors.Is(err, campaign.ErrLeaseLost) {
		t.Fatalf("renew by a non-holder: %v", err)
	}
	if h, ok, err := b.Holder(ctx, cid); err != nil || !ok || h.Holder != "install-a" {
		t.Fatalf("holder = %+v %v %v", h, ok, err)
	}
	if !a.HeldLocally(cid, "install-a") || b.HeldLocally(cid, "install-b") {
		t.Fatal("HeldLocally is wrong")
	}
	// Re-acquiring one's own lease renews it and keeps acquired_at.
	again, err := a.Acquire(ctx, cid, "install-a", time.Minute)
	if err != nil || !again.Acquired.Equal(got.Acquired) || !again.Until.After(got.Until) {
		t.Fatalf("re-acquire: %+v %v (first %+v)", again, err, got)
	}
	// A release by a non-holder does nothing; by the holder frees it.
	b.Release(ctx, cid, "install-b")
	if _, ok, _ := b.Holder(ctx, cid); !ok {
		t.Fatal("a non-holder released the lease")
	}
	if err := a.Release(ctx, cid, "install-a"); err != nil {
		t.Fatal(err)
	}
	if a.HeldLocally(cid, "install-a") {
		t.Fatal("released lease still held locally")
	}
	if _, err := b.Acquire(ctx, cid, "install-b", 300*time.Millisecond); err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	// Expiry: the lease lapses, the holder stops counting it and loses its renewal.
	time.Sleep(400 * time.Millisecond)
	if b.HeldLocally(cid, "install-b") {
		t.Fatal("expired lease still held locally")
	}
	if _, err := a.Acquire(ctx, cid, "install-a", time.Minute); err != nil {
		t.Fatalf("acquire after expiry: %v", err)
	}
	if _, err := b.Renew(ctx, cid, "install-b", time.Minute); !errors.Is(err, campaign.ErrLeaseLost) {
		t.Fatalf("renew after takeover: %v", err)
	}

	// Many installs racing for a free campaign: exactly one wins.
	race := models.NewID()
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for i := 0; i < 8; i++ {
		l := leasesOn(t, url)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := l.Acquire(ctx, race, models.NewID(), time.Minute)
			if err == nil {
				mu.Lock()
				winners++
				mu.Unlock()
			} else if !errors.Is(err, campaign.ErrLeaseHeld) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if winners != 1 {
		t.Fatalf("%d installs took the same campaign", winners)
	}
}

// TestLeases: one sender per campaign, on real Postgres, directly and
// through pgbouncer in transaction mode.
func TestLeases(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		url, _ := migratedCloud(t)
		testLeases(t, url)
	})
	t.Run("pgbouncer", func(t *testing.T) {
		url, _ := migratedCloud(t)
		testLeases(t, testdb.PgBouncerURL(t, url)+"&default_query_exec_mode=exec")
	})
}
