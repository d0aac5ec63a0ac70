package accounts_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/internal/testdb"
)

// A data directory laid out by the version before accounts (the profile is
// whatsapp-session/ itself, linked) becomes the first account on the first
// start: same session, no new scan, the directory still 0700.
func TestUpgradeKeepsTheLinkedSession(t *testing.T) {
	sim, base := startSim(t)
	data := t.TempDir()
	ctx := context.Background()

	// Today's version: one manager on <data>/whatsapp-session.
	opts := browserOptions(base)
	opts.DataDir = data
	old := browser.NewManager(opts)
	if err := old.Start(ctx); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	st, err := old.WaitFor(wctx, browser.StateQR)
	for err == nil && st.QR == "" {
		time.Sleep(50 * time.Millisecond)
		st = old.Status()
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.ScanRefAs(st.QR, "919844400001"); err != nil {
		t.Fatal(err)
	}
	if _, err := old.WaitFor(wctx, browser.StateReady); err != nil {
		t.Fatal(err)
	}
	if err := old.Stop(wctx); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(data, "whatsapp-session")
	if _, err := os.Stat(filepath.Join(root, "Default")); err != nil {
		t.Fatalf("the old layout has no profile at %s: %v", root, err)
	}

	// The new version starts on that data directory.
	store := testdb.SQLite(t)
	reg := openRegistry(t, store, data, base, nil)
	rows, err := store.ListWhatsAppAccounts(ctx)
	if err != nil || len(rows) != 1 {
		t.Fatalf("accounts after the upgrade: %+v, %v", rows, err)
	}
	first := reg.First(ctx)
	if first == nil || first.ID() != rows[0].ID {
		t.Fatal("the upgraded session is not the first account")
	}
	waitState(t, first, browser.StateReady)
	if sim.CurrentQR() != "" {
		t.Fatal("the upgraded account shows a QR code")
	}
	waitRowPhone(t, store, first.ID(), "+919844400001")
	for _, dir := range []string{root, reg.ProfileDir(first.ID())} {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("%s: %v, %v", dir, fi, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "Default")); !os.IsNotExist(err) {
		t.Fatalf("the old profile is still at the top of whatsapp-session: %v", err)
	}
	if _, err := os.Stat(filepath.Join(reg.ProfileDir(first.ID()), "Default")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root + ".upgrading"); !os.IsNotExist(err) {
		t.Fatalf("the upgrade left %s.upgrading: %v", root, err)
	}
	// A second start changes nothing.
	cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
	defer ccancel()
	if err := reg.Close(cctx); err != nil {
		t.Fatal(err)
	}
	reg = openRegistry(t, store, data, base, func(o *accounts.Options) { o.NoAutoStartFirst = true })
	if rows, _ := store.ListWhatsAppAccounts(ctx); len(rows) != 1 || reg.First(ctx).ID() != first.ID() {
		t.Fatalf("a second start changed the accounts: %+v", rows)
	}
}

// An upgrade interrupted between its two renames is finished on the next
// start.
func TestUpgradeInterruptedIsFinished(t *testing.T) {
	_, base := startSim(t)
	data := t.TempDir()
	tmp := filepath.Join(data, "whatsapp-session.upgrading")
	if err := os.MkdirAll(filepath.Join(tmp, "Default"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "Local State"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	store := testdb.SQLite(t)
	reg := openRegistry(t, store, data, base, func(o *accounts.Options) { o.NoAutoStartFirst = true })
	first := reg.First(context.Background())
	if _, err := os.Stat(filepath.Join(reg.ProfileDir(first.ID()), "Local State")); err != nil {
		t.Fatalf("the interrupted upgrade was not finished: %v", err)
	}
}
