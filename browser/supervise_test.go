package browser

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"
)

// kill -9 of Chromium during a send: the call fails with ErrBrowserDied, the
// browser is back within 10 s on the same profile (still linked), the next
// send works and nothing reached the server twice.
func TestBrowserKilledDuringSend(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	s := m.session()
	if s == nil {
		t.Fatal("no session")
	}
	pid := s.chrome.PID
	const phone = "919860000001"
	type result struct {
		res SendResult
		err error
	}
	events, unsub := m.Subscribe()
	defer unsub()
	done := make(chan result, 1)
	go func() {
		r, err := m.SendText(ctx, "+"+phone, "in flight when the browser dies")
		done <- result{r, err}
	}()
	time.Sleep(250 * time.Millisecond)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the send did not return after the browser died")
	}
	if !errors.Is(r.err, ErrBrowserDied) {
		t.Fatalf("send during crash: %v, want ErrBrowserDied", r.err)
	}
	crashed := false
	back := time.After(10 * time.Second)
	for m.Status().State != StateReady || !crashed {
		select {
		case e := <-events:
			if e.Kind == EventState && e.Status.State == StateCrashed {
				crashed = true
			}
		case <-back:
			t.Fatalf("not back within 10 s (crash seen %v): %+v", crashed, m.Status())
		}
	}
	if m.session() == nil || m.session().chrome.PID == pid {
		t.Fatal("the browser was not restarted")
	}
	if _, err := m.SendText(ctx, "+919860000002", "after the crash"); err != nil {
		t.Fatal(err)
	}
	// The page may still deliver the interrupted message from its pending
	// queue, but never twice.
	time.Sleep(500 * time.Millisecond)
	if n := len(ledgerFor(phone)); n > 1 {
		t.Fatalf("interrupted message reached the server %d times", n)
	}
	if n := len(ledgerFor("919860000002")); n != 1 {
		t.Fatalf("message after the crash reached the server %d times", n)
	}
}

// The state machine follows conflict, take-over and the phone going offline.
func TestConflictTakeOverAndOffline(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	sim.RaiseConflict()
	waitState(t, m, 10*time.Second, StateConflict)
	if _, err := m.SendText(ctx, "+919870000001", "during conflict"); !errors.Is(err, ErrNotReady) {
		t.Fatalf("send during conflict: %v, want ErrNotReady", err)
	}
	if err := m.TakeOver(ctx); err != nil {
		t.Fatal(err)
	}
	waitState(t, m, 10*time.Second, StateReady)
	if _, err := m.SendText(ctx, "+919870000001", "after take-over"); err != nil {
		t.Fatal(err)
	}

	// After CLOSE the page shows the "open in another window" screen
	// without a dialog; it is still a conflict and Use here still works.
	sim.RaiseConflict()
	waitState(t, m, 10*time.Second, StateConflict)
	m.ops <- struct{}{}
	_, err := m.session().pd.page.Eval(`() => [...document.querySelectorAll('[role="dialog"] [role="button"]')].find((b) => b.textContent.trim() === 'CLOSE').click()`)
	<-m.ops
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if st := m.Status().State; st != StateConflict {
		t.Fatalf("closed conflict screen seen as %s", st)
	}
	if err := m.TakeOver(ctx); err != nil {
		t.Fatal(err)
	}
	waitState(t, m, 10*time.Second, StateReady)
	if _, err := m.SendText(ctx, "+919870000001", "after the closed screen"); err != nil {
		t.Fatal(err)
	}

	sim.SetOffline(true)
	st := waitState(t, m, 10*time.Second, StatePhoneOffline)
	if st.State != StatePhoneOffline {
		t.Fatalf("state %s", st.State)
	}
	sim.SetOffline(false)
	waitState(t, m, 10*time.Second, StateReady)
}

// A logout from the phone is noticed (logged_out, then a QR); Logout from
// Sambad logs out in WhatsApp and resets the profile.
func TestLogoutFromPhoneAndFromSambad(t *testing.T) {
	m := sharedManager(t)
	events, unsub := m.Subscribe()
	sim.Logout()
	sawLoggedOut := false
	timeout := time.After(15 * time.Second)
	for !sawLoggedOut || m.Status().State != StateQR {
		select {
		case e := <-events:
			if e.Kind == EventState && e.Status.State == StateLoggedOut {
				sawLoggedOut = true
			}
		case <-timeout:
			t.Fatalf("phone logout: logged_out seen %v, status %+v", sawLoggedOut, m.Status())
		}
	}
	unsub()
	linkAndWait(t, m)

	ctx := sendCtx(t)
	if err := m.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if sim.Linked() {
		t.Fatal("the simulator still has a linked device after Logout")
	}
	waitState(t, m, 30*time.Second, StateQR)
	linkAndWait(t, m)
}

// The watchdog recycles a browser whose process tree passes the memory
// limit, on the same profile.
func TestMemoryWatchdogRecycles(t *testing.T) {
	opts := testOptions(t.TempDir())
	opts.MemoryLimitMB = 1
	opts.MemoryCheckInterval = 300 * time.Millisecond
	m := newManager(t, opts)
	events, unsub := m.Subscribe()
	defer unsub()
	waitState(t, m, 30*time.Second, StateQR, StateLoading)
	first := m.session()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Kind == EventState && e.Status.State == StateRestarting {
				if !strings.Contains(e.Status.Error, "memory") {
					t.Fatalf("restart reason %q", e.Status.Error)
				}
				waitState(t, m, 30*time.Second, StateQR, StateLoading)
				if s := m.session(); s == nil || s == first {
					t.Fatal("no new browser after the recycle")
				}
				return
			}
		case <-timeout:
			t.Fatalf("no recycle; status %+v", m.Status())
		}
	}
}
