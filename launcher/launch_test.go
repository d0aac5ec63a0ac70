package launcher

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Launch starts the real Chromium on <data>/whatsapp-session (0700) with
// Sambad's flags, a realistic user agent and temp files in the data dir.
func TestLaunchRealChromium(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("needs /usr/bin/chromium")
	}
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Launch(ctx, Options{DataDir: data, ChromePath: "/usr/bin/chromium", Headless: true, TestHostRules: "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if fi, err := os.Stat(filepath.Join(data, "whatsapp-session")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("profile: %v %v", fi, err)
	}
	if strings.Contains(c.UserAgent, "Headless") || !strings.Contains(c.UserAgent, "Chrome/") {
		t.Fatalf("user agent %q", c.UserAgent)
	}
	args := strings.Join(c.Args, " ")
	for _, f := range []string{"--no-sandbox", "--disable-setuid-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-zygote", "--component-updater=url-source=http://127.0.0.1:9/", "NetworkTimeServiceQuerying", "site-per-process", "TranslateUI", "--host-resolver-rules="} {
		if !strings.Contains(args, f) {
			t.Errorf("command line lacks %s", f)
		}
	}
	if strings.Contains(args, "--enable-automation") {
		t.Error("command line has --enable-automation")
	}
	p, err := c.NewPage()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate("about:blank"); err != nil {
		t.Fatal(err)
	}
	ua, err := p.Eval(`() => navigator.userAgent + "|" + navigator.webdriver`)
	if err != nil {
		t.Fatal(err)
	}
	if s := ua.Value.Str(); strings.Contains(s, "Headless") || strings.HasSuffix(s, "|true") {
		t.Fatalf("page sees %q", s)
	}
	if pss, n, err := c.PSS(); err != nil || pss <= 0 || n < 1 {
		t.Fatalf("PSS %d over %d processes: %v", pss, n, err)
	}
	entries, _ := filepath.Glob(filepath.Join(data, "tmp", "*"))
	if len(entries) == 0 {
		t.Error("Chromium wrote no temp files under the data directory (TMPDIR not passed)")
	}
	pid := c.PID
	c.Close()
	if processAlive(pid) && !zombie(pid) {
		t.Fatal("browser still running after Close")
	}
	if _, err := os.Stat(filepath.Join(data, "whatsapp-session", "Default")); err != nil {
		t.Fatalf("profile not kept after Close: %v", err)
	}
}

// A data directory deep enough that <data>/tmp would push Chromium's
// singleton socket past the Unix path limit still launches: temp files fall
// back to the system's temp directory.
func TestLaunchWithADeepDataDir(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("needs /usr/bin/chromium")
	}
	data := filepath.Join(t.TempDir(), strings.Repeat("d", 40), strings.Repeat("e", 40))
	o := Options{DataDir: data, ChromePath: "/usr/bin/chromium", Headless: true, TestHostRules: "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Launch(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if got := o.TempDir(); got != os.TempDir() {
		t.Fatalf("TempDir() = %s, want the system temp directory for a %d-byte data dir", got, len(data))
	}
	if got := (Options{DataDir: "/var/lib/sambad"}).TempDir(); got != "/var/lib/sambad/tmp" {
		t.Fatalf("TempDir() = %s, want /var/lib/sambad/tmp", got)
	}
}
