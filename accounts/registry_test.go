package accounts_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/browser/wasim"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

const chromiumBin = "/usr/bin/chromium"

// startSim serves a simulator with quick timings for one test.
func startSim(t *testing.T) (*wasim.Server, string) { return startSimB(t) }

func startSimB(t testing.TB) (*wasim.Server, string) {
	t.Helper()
	s := wasim.New(wasim.Options{
		LoadingDuration: 300 * time.Millisecond,
		FirstQRLifetime: 20 * time.Second,
		NextQRLifetime:  10 * time.Second,
		PollInterval:    100 * time.Millisecond,
	})
	s.ReportSeedOnFailure(t)
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, base
}

func browserOptions(base string) browser.Options {
	return browser.Options{
		BaseURL:       base,
		ChromePath:    chromiumBin,
		Headless:      true,
		TestHostRules: "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
		LoadTimeout:   20 * time.Second,
		SendTimeout:   15 * time.Second,
		PollInterval:  100 * time.Millisecond,
	}
}

func openRegistry(t *testing.T, store accounts.Store, data, base string, mod func(*accounts.Options)) *accounts.Registry {
	t.Helper()
	opts := accounts.Options{DataDir: data, Browser: browserOptions(base), Max: 3, CheckEvery: 100 * time.Millisecond}
	if mod != nil {
		mod(&opts)
	}
	r, err := accounts.Open(context.Background(), store, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	return r
}

func waitState(t testing.TB, a *accounts.Account, states ...browser.State) browser.Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := a.Manager().WaitFor(ctx, states...)
	if err != nil {
		t.Fatalf("account %s: %v (status %+v)", a.ID(), err, st)
	}
	return st
}

// link has the phone of number scan the QR account a shows.
func link(t testing.TB, sim *wasim.Server, a *accounts.Account, number string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := a.EnsureStarted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for st.State == browser.StateQR && st.QR == "" {
		time.Sleep(50 * time.Millisecond)
		st = a.Manager().Status()
	}
	if st.State != browser.StateQR {
		t.Fatalf("account %s shows %s, want the QR", a.ID(), st.State)
	}
	if err := sim.ScanRefAs(st.QR, number); err != nil {
		t.Fatal(err)
	}
	waitState(t, a, browser.StateReady)
}

func waitRowPhone(t *testing.T, store *models.Store, id, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		row, err := store.GetWhatsAppAccount(context.Background(), id)
		if err == nil && row.Phone == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("account %s records phone %+v (%v), want %q", id, row, err, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Three accounts linked by three phones: each sends through its own number
// (the simulator's ledger says which) and records that number; after a
// restart of Sambad the first starts by itself, the others sleep, idle
// browsers stop, and work wakes an account logged in (no new scan).
func TestAccountsLinkSendSleepWake(t *testing.T) {
	sim, base := startSim(t)
	store := testdb.SQLite(t)
	data := t.TempDir()
	reg := openRegistry(t, store, data, base, func(o *accounts.Options) { o.Idle = time.Hour })
	first := reg.First(context.Background())
	if first == nil {
		t.Fatal("a fresh install has no first account")
	}
	ctx := context.Background()
	list := []*accounts.Account{first}
	for _, name := range []string{"Support", "Offers"} {
		a, err := reg.Create(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, a)
	}
	if _, err := reg.Create(ctx, "fourth"); !errors.Is(err, models.ErrTooManyAccounts) {
		t.Fatalf("a fourth account over SAMBAD_MAX_ACCOUNTS=3: %v", err)
	}
	numbers := []string{"919822200001", "919822200002", "919822200003"}
	for i, a := range list {
		link(t, sim, a, numbers[i])
	}
	const to = "919876522222"
	for i, a := range list {
		sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		if st := a.Ensure(sctx); st.State != browser.StateReady {
			t.Fatalf("account %d: %s", i, st.State)
		}
		if _, err := a.Manager().SendText(sctx, "+"+to, "hello from "+numbers[i]); err != nil {
			t.Fatal(err)
		}
		cancel()
	}
	byText := map[string]string{}
	for _, e := range sim.Ledger() {
		byText[e.Text] = e.Account
	}
	for _, n := range numbers {
		if byText["hello from "+n] != n {
			t.Fatalf("ledger %v: %q not sent by %s", byText, "hello from "+n, n)
		}
	}
	for i, a := range list {
		waitRowPhone(t, store, a.ID(), "+"+numbers[i])
		fi, err := os.Stat(reg.ProfileDir(a.ID()))
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("profile of account %d: %v, %v", i, fi, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(data, "whatsapp-session")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("whatsapp-session: %v, %v", fi, err)
	}

	// Sambad restarts, with a short idle time.
	cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
	if err := reg.Close(cctx); err != nil {
		t.Fatal(err)
	}
	ccancel()
	reg = openRegistry(t, store, data, base, func(o *accounts.Options) { o.Idle = 2 * time.Second })
	ids := []string{list[0].ID(), list[1].ID(), list[2].ID()}
	list = nil
	for _, id := range ids {
		list = append(list, reg.Get(id))
	}
	if reg.First(ctx).ID() != ids[0] {
		t.Fatal("the first account changed across a restart")
	}
	waitState(t, list[0], browser.StateReady)
	if st, asleep := list[2].Status(); st.State != browser.StateStopped || !asleep {
		t.Fatalf("a third account at start-up: %s asleep=%v, want asleep until needed", st.State, asleep)
	}
	// Idle: the first browser stops too; the sessions stay.
	for _, a := range list {
		waitState(t, a, browser.StateStopped)
		if _, asleep := a.Status(); !asleep {
			t.Fatalf("account %s stopped but not asleep", a.ID())
		}
	}
	// Work wakes one, logged in from its profile.
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if st := list[1].Ensure(wctx); st.State != browser.StateReady {
		t.Fatalf("woken account shows %s, want ready without a scan", st.State)
	}
	if _, err := list[1].Manager().SendText(wctx, "+"+to, "again from "+numbers[1]); err != nil {
		t.Fatal(err)
	}
	l := sim.Ledger()
	if last := l[len(l)-1]; last.Account != numbers[1] || last.Text != "again from "+numbers[1] {
		t.Fatalf("last ledger entry %+v", last)
	}
	if st, _ := list[0].Status(); st.State != browser.StateStopped {
		t.Fatalf("waking one account woke another: %s", st.State)
	}
}

// A running campaign wants an account: a sleeping one wakes for it, and is
// not put to sleep while wanted; a person's Stop is not undone.
func TestWantedAccountWakes(t *testing.T) {
	sim, base := startSim(t)
	store := testdb.SQLite(t)
	wanted := make(chan []string, 1)
	wanted <- nil
	reg := openRegistry(t, store, t.TempDir(), base, func(o *accounts.Options) {
		o.Idle = 2 * time.Second
		o.Wanted = func(context.Context) []string { w := <-wanted; wanted <- w; return w }
	})
	a := reg.First(context.Background())
	link(t, sim, a, "919833300001")
	waitState(t, a, browser.StateStopped)
	<-wanted
	wanted <- []string{""} // "" is the first account
	waitState(t, a, browser.StateReady)
	time.Sleep(3 * time.Second) // past Idle: wanted, so it stays up
	if st, _ := a.Status(); st.State != browser.StateReady {
		t.Fatalf("a wanted account went to sleep: %s", st.State)
	}
	if err := a.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if st, asleep := a.Status(); st.State != browser.StateStopped || asleep {
		t.Fatalf("a person's stop was undone: %s asleep=%v", st.State, asleep)
	}
}

// Remove deletes that account's profile and nothing else; the last
// account stays.
func TestRemoveDeletesOnlyThatProfile(t *testing.T) {
	_, base := startSim(t)
	store := testdb.SQLite(t)
	reg := openRegistry(t, store, t.TempDir(), base, func(o *accounts.Options) { o.NoAutoStartFirst = true })
	ctx := context.Background()
	first := reg.First(ctx)
	second, err := reg.Create(ctx, "Second")
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, second, browser.StateQR)
	if err := os.MkdirAll(filepath.Join(reg.ProfileDir(first.ID()), "Default"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := reg.Remove(ctx, second.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(reg.ProfileDir(second.ID())); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the removed account's profile is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(reg.ProfileDir(first.ID()), "Default")); err != nil {
		t.Fatalf("the other account's profile went too: %v", err)
	}
	if reg.Get(second.ID()) != nil || second.Context().Err() == nil {
		t.Fatal("the removed account is still held")
	}
	if err := reg.Remove(ctx, first.ID()); !errors.Is(err, accounts.ErrLastAccount) {
		t.Fatalf("removing the last account: %v", err)
	}
	if err := reg.Remove(ctx, second.ID()); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("removing it twice: %v", err)
	}
	// Removing the first account makes the next one first.
	third, err := reg.Create(ctx, "Third")
	if err != nil {
		t.Fatal(err)
	}
	if reg.First(ctx) != first {
		t.Fatal("adding an account changed the first")
	}
	if err := reg.Remove(ctx, first.ID()); err != nil {
		t.Fatal(err)
	}
	if reg.First(ctx) != third {
		t.Fatal("after removing the first account, the next is not first")
	}
}
