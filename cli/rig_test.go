package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	rodlauncher "github.com/go-rod/rod/lib/launcher"

	"github.com/sambad/sambad/browser/wasim"
)

// The tests that run the real binary share these helpers: one build of
// sambad per test binary, short temp dirs, and a simulator that closes with
// the test.

var sambadBuild struct {
	once sync.Once
	dir  string
	exe  string
	err  error
	out  []byte
}

// sambadBinary builds the sambad binary once for the whole test binary and
// returns its path; a failed build fails every test that asks for it.
func sambadBinary(t *testing.T) string {
	t.Helper()
	b := &sambadBuild
	b.once.Do(func() {
		if b.dir, b.err = os.MkdirTemp("", "sambad-bin"); b.err != nil {
			return
		}
		b.exe = filepath.Join(b.dir, "sambad")
		b.out, b.err = exec.Command("go", "build", "-o", b.exe, "..").CombinedOutput()
	})
	if b.err != nil {
		t.Fatalf("go build: %v\n%s", b.err, b.out)
	}
	return b.exe
}

// removeSambadBinary removes what sambadBinary built (from TestMain).
func removeSambadBinary() {
	if sambadBuild.dir != "" {
		os.RemoveAll(sambadBuild.dir)
	}
}

// shortTempDir makes a temp dir removed with the test. Its path is short on
// purpose: Chromium's singleton socket lives under the data dir, and a Unix
// socket path may not exceed 107 bytes.
func shortTempDir(t *testing.T, prefix string) string {
	t.Helper()
	requireChromium(t)
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// requireChromium fails the test when Chromium is missing: these tests drive
// the real browser and are never skipped.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium is required at %s", chromium)
	}
}

// startSimulator serves the WhatsApp Web simulator (compose timings on, as
// by default) with a short loading screen, until the test ends.
func startSimulator(t *testing.T) (*wasim.Server, string) {
	t.Helper()
	sim := wasim.New(wasim.Options{LoadingDuration: 200 * time.Millisecond})
	url, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim, url
}

// viewerBrowser starts a headless Chromium in which a test looks at Sambad's
// pages as a person would (not the WhatsApp driver's browser). It and its
// throwaway profile go with the test.
func viewerBrowser(t *testing.T) *rod.Browser {
	t.Helper()
	l := rodlauncher.New().Bin(chromium).NoSandbox(true).Headless(true).
		Set("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1").Set("window-size", "1280,900")
	u, err := l.Launch()
	if err != nil {
		t.Fatalf("launch Chromium: %v", err)
	}
	b := rod.New().ControlURL(u).Timeout(90 * time.Second)
	if err := b.Connect(); err != nil {
		t.Fatalf("connect to Chromium: %v", err)
	}
	t.Cleanup(func() {
		b.Close()
		l.Kill()
		l.Cleanup() // the throwaway profile, never Sambad's WhatsApp profile
	})
	return b
}
