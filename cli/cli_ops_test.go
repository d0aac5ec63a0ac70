package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/doctor"
)

const chromium = "/usr/bin/chromium"

// run runs the command line with a fresh data directory unless one is given.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestServeRefusesNonLoopbackWithoutPassword(t *testing.T) {
	t.Setenv("SAMBAD_PASSWORD", "")
	code, _, stderr := run(t, "serve", "--data-dir", t.TempDir(), "--addr", "0.0.0.0:0")
	if code == 0 || !strings.Contains(stderr, "SAMBAD_PASSWORD") || !strings.Contains(stderr, "refusing to listen on 0.0.0.0:0") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}

func TestServeHealthcheckAndShutdown(t *testing.T) {
	t.Setenv("SAMBAD_PASSWORD", "correct horse battery")
	t.Setenv("SAMBAD_NO_BROWSER", "true") // serve_whatsapp_test.go covers the browser
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": t.TempDir(), "SAMBAD_ADDR": addr}, os.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() { done <- runServe(ctx, cfg, nil, &out, &bytes.Buffer{}) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var hc bytes.Buffer
		if err := runHealthcheck(context.Background(), cfg, nil, &hc, &hc); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("healthcheck never passed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A page needs the password now.
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get("http://" + addr + "/contacts")
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("page without a session: %v %v", resp, err)
	}
	cancel() // what SIGTERM does through signal.NotifyContext
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	var hc bytes.Buffer
	if err := runHealthcheck(context.Background(), cfg, nil, &hc, &hc); err == nil {
		t.Fatal("healthcheck passes after shutdown")
	}
	log, _ := os.ReadFile(cfg.LogPath())
	if !strings.Contains(string(log), `shutdown: stopped {"part":"database"}`) {
		t.Fatalf("error.log does not show the database closing:\n%s", log)
	}
}

func TestDialAddr(t *testing.T) {
	for in, want := range map[string]string{"0.0.0.0:8080": "127.0.0.1:8080", "[::]:80": "127.0.0.1:80", ":9": "127.0.0.1:9", "10.1.1.1:8080": "10.1.1.1:8080"} {
		if got := dialAddr(in); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

// doctorJSON runs `sambad doctor --json` and decodes the report.
func doctorJSON(t *testing.T, dataDir string) (int, doctor.Report, string) {
	t.Helper()
	code, stdout, stderr := run(t, "doctor", "--data-dir", dataDir, "--json")
	var r doctor.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("doctor --json printed no JSON (%v):\n%s\n%s", err, stdout, stderr)
	}
	return code, r, stderr
}

func check(r doctor.Report, name string) doctor.Check {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return doctor.Check{}
}

func fakeWhatsApp(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) }))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestDoctorPassesWithChromium(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium is required (make test installs it): %v", err)
	}
	t.Setenv("SAMBAD_CHROME_PATH", chromium)
	t.Setenv("SAMBAD_WHATSAPP_URL", fakeWhatsApp(t))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "selectors.json"), []byte(`{"chatList": ["#pane-side", "[aria-label='Chat list']"]}`), 0o600)
	code, r, stderr := doctorJSON(t, dir)
	if code != 0 || !r.OK {
		t.Fatalf("exit %d, report %+v\n%s", code, r, stderr)
	}
	if c := check(r, "browser"); c.Status != doctor.OK || !strings.Contains(c.Detail, chromium) || !strings.Contains(c.Detail, "SAMBAD_CHROME_PATH") {
		t.Errorf("browser: %+v", c)
	}
	if c := check(r, "browser launch"); c.Status != doctor.OK || !strings.Contains(c.Detail, "loaded a page") {
		t.Errorf("launch: %+v", c)
	}
	for _, name := range []string{"data directory", "database", "selectors", "error log", "whatsapp url"} {
		if c := check(r, name); c.Status != doctor.OK {
			t.Errorf("%s: %+v", name, c)
		}
	}
	// The human-readable form says the same.
	code, text, _ := run(t, "doctor", "--data-dir", dir)
	if code != 0 || !strings.Contains(text, "All checks passed.") || !strings.Contains(text, "[OK  ] browser launch") {
		t.Errorf("text report (exit %d):\n%s", code, text)
	}
}

func TestDoctorFailsWithBadChromePath(t *testing.T) {
	t.Setenv("SAMBAD_CHROME_PATH", "/nonexistent/chromium")
	t.Setenv("SAMBAD_WHATSAPP_URL", fakeWhatsApp(t))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "selectors.json"), []byte(`{"chatList": "#pane-side"}`), 0o600)
	code, r, stderr := doctorJSON(t, dir)
	if code == 0 || r.OK || !strings.Contains(stderr, "check(s) failed") {
		t.Fatalf("exit %d ok=%v stderr %q", code, r.OK, stderr)
	}
	c := check(r, "browser")
	if c.Status != doctor.Fail || !strings.Contains(c.Detail, "SAMBAD_CHROME_PATH=/nonexistent/chromium is not usable (does not exist)") {
		t.Errorf("browser: %+v", c)
	}
	if len(c.Tried) == 0 || !strings.Contains(c.Tried[0], "/nonexistent/chromium: does not exist") {
		t.Errorf("tried: %v", c.Tried)
	}
	if c := check(r, "selectors"); c.Status != doctor.Fail || !strings.Contains(c.Detail, `key "chatList": must be a list`) {
		t.Errorf("selectors: %+v", c)
	}
}

func TestDoctorUnreachableDatabaseAndWhatsApp(t *testing.T) {
	t.Setenv("SAMBAD_CHROME_PATH", chromium)
	t.Setenv("DATABASE_URL", "postgres://sambad:pw-secret@127.0.0.1:1/none?sslmode=disable")
	t.Setenv("SAMBAD_STORAGE", "cloud")
	t.Setenv("SAMBAD_WHATSAPP_URL", "http://127.0.0.1:1")
	code, r, _ := doctorJSON(t, t.TempDir())
	if code == 0 {
		t.Fatal("doctor passed with nothing reachable")
	}
	if c := check(r, "database"); c.Status != doctor.Fail || strings.Contains(c.Detail, "pw-secret") || c.Fix == "" {
		t.Errorf("database: %+v", c)
	}
	if c := check(r, "whatsapp url"); c.Status != doctor.Fail {
		t.Errorf("whatsapp url: %+v", c)
	}
}

func TestBundleChrome(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium is required: %v", err)
	}
	dest := t.TempDir()
	platform := runtime.GOOS + "-" + runtime.GOARCH
	// /usr/bin/chromium is Debian's wrapper script: the real install folder is copied.
	code, stdout, stderr := run(t, "bundle-chrome", "--data-dir", t.TempDir(), "--from", chromium, "--dest", dest)
	if code != 0 || !strings.Contains(stdout, "Bundled Chromium") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	bin := filepath.Join(dest, platform, "chromium")
	for _, f := range []string{bin, filepath.Join(dest, platform, "icudtl.dat"), filepath.Join(dest, platform, "resources.pak")} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("bundle lacks %s: %v", f, err)
		}
	}
	// The bundled copy really runs: doctor launches it and loads a page.
	t.Setenv("SAMBAD_CHROME_PATH", bin)
	t.Setenv("SAMBAD_WHATSAPP_URL", fakeWhatsApp(t))
	_, r, _ := doctorJSON(t, t.TempDir())
	if c := check(r, "browser launch"); c.Status != doctor.OK {
		t.Fatalf("bundled browser launch: %+v", c)
	}
	// A bare file outside a Chromium folder is refused with a reason.
	code, _, stderr = run(t, "bundle-chrome", "--data-dir", t.TempDir(), "--from", "/bin/sh", "--dest", t.TempDir())
	if code == 0 || !strings.Contains(stderr, "does not look like a Chromium install folder") {
		t.Fatalf("bundling /bin/sh: exit %d %s", code, stderr)
	}
}
