package wasim

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"github.com/sambad/sambad/internal/proctest"
)

const chromiumBin = "/usr/bin/chromium"

// browser is shared by every test in the package (two cores: one browser).
var browser *rod.Browser

// quietLauncher starts headless Chromium without calls to Google hosts.
func quietLauncher() *launcher.Launcher {
	return launcher.New().Bin(chromiumBin).NoSandbox(true).Headless(true).
		Set("component-updater", "url-source=http://127.0.0.1:9/").
		Set("disable-features", "site-per-process,TranslateUI,NetworkTimeServiceQuerying").
		Set("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1")
}

func TestMain(m *testing.M) {
	proctest.Mark()
	if _, err := os.Stat(chromiumBin); err != nil {
		fmt.Fprintln(os.Stderr, "wasim tests need Chromium at", chromiumBin, ":", err)
		os.Exit(1)
	}
	l := quietLauncher()
	u, err := l.Launch()
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasim: unable to launch Chromium:", err)
		os.Exit(1)
	}
	browser = rod.New().ControlURL(u)
	if err := browser.Connect(); err != nil {
		fmt.Fprintln(os.Stderr, "wasim: unable to connect to Chromium:", err)
		l.Kill()
		os.Exit(1)
	}
	code := m.Run()
	_ = browser.Close()
	l.Kill()
	l.Cleanup() // a throw-away profile, not a WhatsApp one
	os.Exit(proctest.Check(code))
}

// fastOptions are realistic in shape but quick enough for tests.
func fastOptions() Options {
	return Options{
		LoadingDuration: 200 * time.Millisecond,
		FirstQRLifetime: 20 * time.Second,
		NextQRLifetime:  10 * time.Second,
		QRRotations:     5,
		PollInterval:    100 * time.Millisecond,
		Acks: AckPolicy{
			SentAfter:      150 * time.Millisecond,
			DeliveredAfter: 400 * time.Millisecond,
			ReadAfter:      700 * time.Millisecond,
		},
	}
}

func startSim(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	s.ReportSeedOnFailure(t)
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, base
}

// newPage opens a tab in its own browser context, so tests do not share
// site data even if a port is reused.
func newPage(t *testing.T, url string) *rod.Page {
	t.Helper()
	ctx, err := browser.Incognito()
	if err != nil {
		t.Fatal(err)
	}
	p, err := ctx.Page(proto.TargetCreateTarget{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close(); _ = ctx.Close() })
	return p
}

// waitJS waits until the JavaScript expression is truthy.
func waitJS(t *testing.T, p *rod.Page, what, expr string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		r, err := p.Timeout(2 * time.Second).Eval("() => !!(" + expr + ")")
		if err == nil && r.Value.Bool() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s (%s); last error: %v", within, what, expr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func evalStr(t *testing.T, p *rod.Page, expr string) string {
	t.Helper()
	r, err := p.Timeout(5 * time.Second).Eval("async () => String(await (" + expr + "))")
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return r.Value.Str()
}

func element(t *testing.T, p *rod.Page, selector string) *rod.Element {
	t.Helper()
	el, err := p.Timeout(10 * time.Second).Element(selector)
	if err != nil {
		t.Fatalf("no %s: %v", selector, err)
	}
	return el.CancelTimeout()
}

func click(t *testing.T, el *rod.Element) {
	t.Helper()
	if err := el.Timeout(10*time.Second).Click(proto.InputMouseButtonLeft, 1); err != nil {
		t.Fatalf("click: %v", err)
	}
}

// linkPage loads base, scans the QR and waits for the chat list.
func linkPage(t *testing.T, s *Server, base string) *rod.Page {
	t.Helper()
	p := newPage(t, base+"/")
	element(t, p, `div[data-ref] canvas[aria-label="Scan this QR code to link a device!"]`)
	if err := s.Scan(); err != nil {
		t.Fatal(err)
	}
	element(t, p, `#side [data-icon="search"]`)
	return p
}

// waitLedger waits until the ledger holds n entries.
func waitLedger(t *testing.T, s *Server, n int, within time.Duration) []LedgerEntry {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		l := s.Ledger()
		if len(l) >= n {
			return l
		}
		if time.Now().After(deadline) {
			t.Fatalf("ledger has %d entries after %s, want %d", len(l), within, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
