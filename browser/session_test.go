package browser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A fresh profile shows a rotating QR; scanning it links the device; a new
// manager on the same profile comes back ready without a QR.
func TestQRScanReadyAndRestartWithoutQR(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	m := NewManager(testOptions(dir))
	events, unsub := m.Subscribe()
	defer unsub()
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = m.Stop(context.Background())
		}
	}()

	first := waitQRPayload(t, m)
	if !strings.HasPrefix(first.QR, "2@") || strings.Count(first.QR, ",") < 3 {
		t.Fatalf("QR payload %q does not look like 2@ref,keys", first.QR)
	}
	// Watch the events until the payload rotates.
	deadline := time.After(15 * time.Second)
	var rotated Status
	for rotated.QRRotation == 0 {
		select {
		case e := <-events:
			if e.Kind == EventState && e.Status.State == StateQR && e.Status.QRRotation > 0 {
				rotated = e.Status
			}
		case <-deadline:
			t.Fatalf("QR did not rotate; status %+v", m.Status())
		}
	}
	if rotated.QR == first.QR || rotated.QR == "" {
		t.Fatalf("rotation %d kept payload %q", rotated.QRRotation, rotated.QR)
	}
	if st := m.Status(); st.QRRotation < 1 {
		t.Fatalf("Status does not show the rotation: %+v", st)
	}
	if err := sim.ScanRef(m.Status().QR); err != nil {
		t.Fatal(err)
	}
	waitState(t, m, 20*time.Second, StateReady)

	fi, err := os.Stat(filepath.Join(dir, "whatsapp-session"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Fatalf("profile mode %v, want 0700", fi.Mode().Perm())
	}

	if err := m.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	stopped = true

	m2 := NewManager(testOptions(dir))
	ev2, unsub2 := m2.Subscribe()
	defer unsub2()
	if err := m2.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m2.Stop(context.Background())
	timeout := time.After(30 * time.Second)
	for {
		select {
		case e := <-ev2:
			if e.Kind != EventState {
				continue
			}
			if e.Status.State == StateQR {
				t.Fatalf("restart on the linked profile showed a QR: %+v", e.Status)
			}
			if e.Status.State == StateReady {
				return
			}
		case <-timeout:
			t.Fatalf("restart did not reach ready: %+v", m2.Status())
		}
	}
}

// "Link with phone number" gives the 8-character code; typing it on the
// phone links the device.
func TestLinkWithPhoneNumber(t *testing.T) {
	m := newManager(t, testOptions(filepath.Join(t.TempDir(), "data")))
	waitState(t, m, 30*time.Second, StateQR)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code, err := m.RequestLinkCode(ctx, "+91 98000 11111")
	if err != nil {
		t.Fatal(err)
	}
	if len(strings.ReplaceAll(code, "-", "")) != 8 {
		t.Fatalf("link code %q is not 8 characters", code)
	}
	if got := m.Status().LinkCode; got != code {
		t.Fatalf("Status().LinkCode = %q, want %q", got, code)
	}
	if err := sim.ConfirmLinkCode(code); err != nil {
		t.Fatal(err)
	}
	waitState(t, m, 20*time.Second, StateReady)
}

// Commands before the session is ready fail at once with ErrNotReady or
// ErrStopped, never hang.
func TestCommandsBeforeReady(t *testing.T) {
	m := NewManager(testOptions(filepath.Join(t.TempDir(), "data")))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := m.SendText(ctx, "+919800000000", "x"); !errorsIs(err, ErrStopped) {
		t.Fatalf("send on a stopped manager: %v, want ErrStopped", err)
	}
	if _, err := m.SendText(ctx, "12ab", "x"); !errorsIs(err, ErrBadPhone) {
		t.Fatalf("bad phone: %v, want ErrBadPhone", err)
	}
}

// After the last rotation WhatsApp stops showing a QR and offers a reload;
// ReloadQR starts a new series.
func TestQRExpiresAndReloads(t *testing.T) {
	m := newManager(t, testOptions(filepath.Join(t.TempDir(), "data")))
	first := waitQRPayload(t, m)
	deadline := time.Now().Add(30 * time.Second)
	for !m.Status().QRExpired {
		if time.Now().After(deadline) {
			t.Fatalf("QR never expired: %+v", m.Status())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if st := m.Status(); st.QR != "" || st.State != StateQR {
		t.Fatalf("expired QR still offered: %+v", st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := m.ReloadQR(ctx); err != nil {
		t.Fatal(err)
	}
	st := m.Status()
	if st.QRExpired || st.QR == "" || st.QR == first.QR || st.QRRotation != 0 {
		t.Fatalf("after ReloadQR: %+v", st)
	}
}

// A browser that cannot start ends in failed with the reason, after the
// configured number of restarts, instead of retrying forever.
func TestLaunchFailureEndsInFailed(t *testing.T) {
	opts := testOptions(filepath.Join(t.TempDir(), "data"))
	opts.ChromePath = "/bin/false"
	opts.MaxRestarts = 1
	opts.LaunchTimeout = 5 * time.Second
	m := newManager(t, opts)
	st := waitState(t, m, 20*time.Second, StateFailed)
	if !strings.Contains(st.Error, "unable to start /bin/false") {
		t.Fatalf("failed with %q", st.Error)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := m.SendText(ctx, "+919800000000", "x"); !errorsIs(err, ErrStopped) {
		t.Fatalf("send after failure: %v", err)
	}
	// Start on a failed manager tries again (here: fails again).
	events, unsub := m.Subscribe()
	defer unsub()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	timeout := time.After(20 * time.Second)
	for started := false; ; {
		select {
		case e := <-events:
			started = started || e.Status.State == StateStarting
			if started && e.Status.State == StateFailed {
				return
			}
		case <-timeout:
			t.Fatalf("no new attempt after Start; status %+v", m.Status())
		}
	}
}
