package browser

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Two managers on two profiles of one data directory, linked by two phones:
// each reads its own number from the page, sends through its own account
// (the simulator's ledger says which), and a logout from one phone ends
// only that session.
func TestTwoAccountsOwnNumbers(t *testing.T) {
	data := t.TempDir()
	accounts := []string{"919811100001", "919811100002"}
	var ms []*Manager
	for i, a := range accounts {
		opts := testOptions(data)
		opts.ProfileDir = filepath.Join(data, "whatsapp-session", "acct"+string(rune('1'+i)))
		m := newManager(t, opts)
		st := waitState(t, m, 30*time.Second, StateQR)
		if st.QR == "" {
			st = waitQRPayload(t, m)
		}
		if err := sim.ScanRefAs(st.QR, a); err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	for i, m := range ms {
		waitState(t, m, 30*time.Second, StateReady)
		deadline := time.Now().Add(5 * time.Second)
		for m.Status().Phone == "" && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if got := m.Status().Phone; got != "+"+accounts[i] {
			t.Fatalf("manager %d reads own number %q, want +%s", i, got, accounts[i])
		}
	}
	const to = "919876511111"
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i, m := range ms {
		if _, err := m.SendText(ctx, "+"+to, "via "+accounts[i]); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]string{}
	for _, e := range ledgerFor(to) {
		got[e.Text] = e.Account
	}
	for _, a := range accounts {
		if got["via "+a] != a {
			t.Fatalf("ledger: %v, want %q sent by %s", got, "via "+a, a)
		}
	}
	for i, a := range accounts {
		if fi, err := os.Stat(filepath.Join(data, "whatsapp-session", "acct"+string(rune('1'+i)))); err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("profile of %s: %v %v", a, fi, err)
		}
	}

	sim.LogoutAccount(accounts[0])
	waitState(t, ms[0], 30*time.Second, StateLoggedOut, StateQR)
	if st := ms[0].Status(); st.Phone != "" {
		t.Fatalf("a logged-out session still shows its number: %+v", st)
	}
	time.Sleep(time.Second)
	if st := ms[1].Status(); st.State != StateReady || st.Phone != "+"+accounts[1] {
		t.Fatalf("the other account changed with the logout: %+v", st)
	}
	if used := ms[1].LastUsed(); time.Since(used) > time.Minute || used.IsZero() {
		t.Fatalf("LastUsed %v", used)
	}
}
