package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sambad/sambad/browser/wasim"
	"github.com/sambad/sambad/internal/proctest"
	"github.com/sirupsen/logrus"
)

const chromiumBin = "/usr/bin/chromium"

// The package shares one simulator (fixed origin, so profiles survive a
// browser restart) and one linked manager; tests that need their own browser
// start it on their own data directory.
var (
	sim     *wasim.Server
	simURL  string
	shared  *Manager
	sharedD string
)

func TestMain(m *testing.M) {
	proctest.Mark()
	if _, err := os.Stat(chromiumBin); err != nil {
		fmt.Fprintln(os.Stderr, "browser tests need Chromium at", chromiumBin, ":", err)
		os.Exit(1)
	}
	if os.Getenv("SAMBAD_TEST_DEBUG") != "" {
		logrus.SetLevel(logrus.DebugLevel)
	}
	sim = wasim.New(simOptions())
	u, err := sim.Start("127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	simURL = u
	code := m.Run()
	if code != 0 && sim.Seed() != 0 {
		fmt.Fprintf(os.Stderr, "browser tests ran with compose timings seed %d; replay with %s=%d\n", sim.Seed(), wasim.SeedEnv, sim.Seed())
	}
	if shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = shared.Stop(ctx)
		cancel()
	}
	_ = sim.Close()
	if sharedD != "" {
		_ = os.RemoveAll(sharedD)
	}
	os.Exit(proctest.Check(code))
}

func simOptions() wasim.Options {
	return wasim.Options{
		LoadingDuration: 400 * time.Millisecond,
		FirstQRLifetime: 3 * time.Second,
		NextQRLifetime:  1500 * time.Millisecond,
		QRRotations:     3,
		PollInterval:    100 * time.Millisecond,
		Acks: wasim.AckPolicy{
			SentAfter:      100 * time.Millisecond,
			DeliveredAfter: 600 * time.Millisecond,
			ReadAfter:      1200 * time.Millisecond,
		},
	}
}

// testOptions are the driver options for a data directory.
func testOptions(dir string) Options {
	return Options{
		DataDir:       dir,
		BaseURL:       simURL,
		ChromePath:    chromiumBin,
		Headless:      true,
		TestHostRules: "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
		LoadTimeout:   20 * time.Second,
		SendTimeout:   15 * time.Second,
		PollInterval:  100 * time.Millisecond,
		MultiProcess:  os.Getenv("SAMBAD_TEST_MULTI_PROCESS") != "",
	}
}

// newManager starts a manager on dir and stops it when the test ends.
func newManager(t *testing.T, opts Options) *Manager {
	t.Helper()
	m := NewManager(opts)
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := m.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
	return m
}

func waitState(t *testing.T, m *Manager, d time.Duration, states ...State) Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	st, err := m.WaitFor(ctx, states...)
	if err != nil {
		t.Fatalf("state %v not reached: %v (status %+v)", states, err, st)
	}
	return st
}

// linkAndWait scans the QR shown by m and waits for ready.
func linkAndWait(t *testing.T, m *Manager) {
	t.Helper()
	st := waitState(t, m, 30*time.Second, StateQR, StateReady)
	if st.State == StateReady {
		return
	}
	if st.QR == "" {
		st = waitQRPayload(t, m)
	}
	if err := sim.ScanRef(st.QR); err != nil {
		t.Fatalf("scan %q: %v", st.QR, err)
	}
	waitState(t, m, 30*time.Second, StateReady)
}

func waitQRPayload(t *testing.T, m *Manager) Status {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if st := m.Status(); st.State == StateQR && st.QR != "" {
			return st
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no QR payload: %+v", m.Status())
	return Status{}
}

// sharedManager returns the package's linked manager, starting it once.
func sharedManager(t *testing.T) *Manager {
	t.Helper()
	if shared == nil {
		d, err := os.MkdirTemp("", "sambad-driver-*")
		if err != nil {
			t.Fatal(err)
		}
		sharedD = d
		shared = NewManager(testOptions(filepath.Join(d, "data")))
		if err := shared.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	linkAndWait(t, shared)
	return shared
}

// ledgerFor returns the ledger entries for phone digits.
func ledgerFor(phone string) []wasim.LedgerEntry {
	var out []wasim.LedgerEntry
	for _, e := range sim.Ledger() {
		if e.Phone == phone {
			out = append(out, e)
		}
	}
	return out
}
