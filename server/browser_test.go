package server_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/server"
)

// launchChromium starts the system's headless Chromium, quiet on the network.
func launchChromium(t *testing.T) *rod.Browser {
	t.Helper()
	bin := "/usr/bin/chromium"
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("Chromium is not installed at %s (the README's test command installs it)", bin)
	}
	l := launcher.New().Bin(bin).NoSandbox(true).Headless(true).
		Set("component-updater", "url-source=http://127.0.0.1:9/").
		Set("disable-features", "site-per-process,TranslateUI,NetworkTimeServiceQuerying").
		Set("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1").
		Set("window-size", "1280,900")
	u, err := l.Launch()
	if err != nil {
		t.Fatalf("launch Chromium: %v", err)
	}
	b := rod.New().ControlURL(u).Timeout(60 * time.Second)
	if err := b.Connect(); err != nil {
		t.Fatalf("connect to Chromium: %v", err)
	}
	t.Cleanup(func() {
		b.Close()
		l.Kill()
		l.Cleanup() // a throw-away profile under /tmp/rod
	})
	return b
}

// TestBrowserAddAndFindContact adds a contact through the page, as a person
// would, and finds it again with the list's search, its number grouped as
// people read it. With
// SAMBAD_SCREENSHOT_DIR set it also imports a file through the pages and
// saves screenshots of the import form, the preview and the list.
func TestBrowserAddAndFindContact(t *testing.T) {
	store := testdb.SQLite(t)
	srv, err := server.New(server.Deps{Config: &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", ImportMaxMB: 32}, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	s := &site{t: t, store: store}
	s.contact("9876500001", "Someone Else")

	page := launchChromium(t).MustPage(ts.URL + "/contacts/new").Timeout(30 * time.Second)
	defer page.Close()
	page.MustWaitLoad()
	page.MustElement("#name").MustInput("Browser Person")
	page.MustElement("#phone").MustInput("098765 43219")
	page.MustElement(`input[name="v1"]`).MustInput("Nagpur")
	wait := page.MustWaitNavigation()
	page.MustElement(`form.card button.primary[type="submit"]`).MustClick()
	wait()
	if !strings.HasSuffix(page.MustInfo().URL, "/contacts") {
		t.Fatalf("after saving the browser is at %s", page.MustInfo().URL)
	}
	if flash := page.MustElement(".flash.notice").MustText(); flash != "Contact +919876543219 added." {
		t.Fatalf("flash = %q", flash)
	}

	page.MustElement(`input[name="q"]`).MustInput("browser per")
	wait = page.MustWaitNavigation()
	page.MustElement(`form.search button[type="submit"]`).MustClick()
	wait()
	rows := page.MustElements("tbody tr")
	if len(rows) != 1 {
		t.Fatalf("the search shows %d rows, want 1", len(rows))
	}
	text := rows[0].MustText()
	if !strings.Contains(text, "Browser Person") || !strings.Contains(text, "+91 98765 43219") || !strings.Contains(text, "v1: Nagpur") {
		t.Fatalf("the row shows %q", text)
	}
	if sub := page.MustElement(".subtitle").MustText(); sub != "1 matching “browser per”" {
		t.Fatalf("subtitle %q", sub)
	}

	dir := os.Getenv("SAMBAD_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	shot := func(name string) {
		page.MustScreenshotFullPage(filepath.Join(dir, name))
	}
	page.MustNavigate(ts.URL + "/contacts/import").MustWaitLoad()
	shot("import.png")
	csv := filepath.Join(t.TempDir(), "diwali list.csv")
	os.WriteFile(csv, []byte("Phone;Name;V1;groups;City Name\n98765 43210;Asha;Pune;VIP, Diwali;Pune\n12ab;Bad;;;\n9876543219;Browser Person;Nagpur;;\n+91 98765-43210;Asha again;;;\n9876500002;\"Bela\nRao\";;Diwali;Goa\n"), 0o600)
	page.MustElement(`input[type="file"]`).MustSetFiles(csv)
	wait = page.MustWaitNavigation()
	page.MustElement(`form.card button.primary`).MustClick()
	wait()
	page.MustWaitLoad()
	shot("preview.png")
	wait = page.MustWaitNavigation()
	page.MustElement(`form.confirm button.primary`).MustClick()
	wait()
	page.MustWaitLoad()
	shot("result.png")
	page.MustNavigate(ts.URL + "/contacts").MustWaitLoad()
	shot("contacts.png")

	// A long import shows its progress.
	var big strings.Builder
	big.WriteString("phone,name\n")
	for i := 0; i < 150_000; i++ {
		fmt.Fprintf(&big, "97%08d,Bulk %d\n", i, i)
	}
	os.WriteFile(csv, []byte(big.String()), 0o600)
	page.MustNavigate(ts.URL + "/contacts/import").MustWaitLoad()
	page.MustElement(`input[type="file"]`).MustSetFiles(csv)
	wait = page.MustWaitNavigation()
	page.MustElement(`form.card button.primary`).MustClick()
	wait()
	wait = page.MustWaitNavigation()
	page.MustElement(`form.confirm button.primary`).MustClick()
	wait()
	shot("progress.png")
	page.MustElementR("h2", "Import finished")
	shot("progress-done.png")
}
