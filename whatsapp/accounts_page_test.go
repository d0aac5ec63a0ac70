package whatsapp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"

	"github.com/sambad/sambad/phone"
)

// viewer is a headless Chromium for looking at Sambad's pages (not a
// WhatsApp profile).
func viewer(t *testing.T) *rod.Browser {
	t.Helper()
	l := launcher.New().Bin(chromiumBin).NoSandbox(true).Headless(true).
		Set("component-updater", "url-source=http://127.0.0.1:9/").
		Set("disable-features", "site-per-process,TranslateUI,NetworkTimeServiceQuerying").
		Set("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1")
	u, err := l.Launch()
	if err != nil {
		t.Fatal(err)
	}
	b := rod.New().ControlURL(u).Timeout(120 * time.Second)
	if err := b.Connect(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(); l.Kill(); l.Cleanup() })
	return b
}

func waitJS(t *testing.T, p *rod.Page, what, js string) {
	t.Helper()
	if err := p.Timeout(45 * time.Second).Wait(rod.Eval(js)); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

func shoot(t *testing.T, p *rod.Page, name string, width int) {
	t.Helper()
	dir := os.Getenv("SAMBAD_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := p.SetViewport(&proto.EmulationSetDeviceMetricsOverride{Width: width, Height: 900, DeviceScaleFactor: 1, Mobile: width < 500}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	png, err := p.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o600); err != nil {
		t.Fatal(err)
	}
	if w := p.MustEval(`() => document.documentElement.scrollWidth`).Int(); w > width {
		t.Fatalf("at %d px the page is %d px wide (scrolls sideways)", width, w)
	}
}

// The accounts page as a person uses it: add a number, scan its QR as the
// card shows it live, see it connected with its number without a reload,
// rename it, and remove another one (confirmed) with its profile. The top
// bar shows every account. Screenshots at 1280 and 390 px
// (SAMBAD_SCREENSHOT_DIR keeps them).
func TestAccountsPage(t *testing.T) {
	s := newAccountsSite(t)
	var list struct {
		Items []struct{ ID string } `json:"items"`
	}
	s.call("GET", "/accounts", "", &list)
	first := list.Items[0].ID
	s.link(first, "919866600001")

	p := viewer(t).MustPage(s.url + "/accounts")
	p.MustSetViewport(1280, 900, 1, false)
	p.MustWaitLoad()
	if n := len(p.MustElements("article.account")); n != 1 {
		t.Fatalf("%d account cards, want 1", n)
	}
	p.MustElement(`#new-name`).MustInput("Support")
	wait := p.MustWaitNavigation()
	p.MustElement(`form.add-account button`).MustClick()
	wait()
	p.MustWaitLoad()
	if n := len(p.MustElements("article.account")); n != 2 {
		t.Fatalf("%d account cards after adding, want 2", n)
	}
	second := strings.TrimPrefix(*p.MustElements("article.account")[1].MustAttribute("id"), "acct-")
	waitJS(t, p, "the new account's QR", `() => !!document.querySelector('#acct-live-`+second+` .qr img')`)
	shoot(t, p, "accounts-qr-1280.png", 1280)

	// Scan what the card shows: the card turns connected, live.
	s.link(second, "919866600002")
	waitJS(t, p, "the card to show the linked number", `() => {
		const c = document.querySelector('#acct-live-`+second+`');
		return c && c.querySelector('[data-state="ready"]') && c.textContent.includes('`+phone.Readable("+919866600002")+`');
	}`)
	if n := len(p.MustElements(`header .wa-acct`)); n != 1 {
		t.Fatalf("the top bar shows %d other accounts, want 1", n)
	}

	// A third account, stopped.
	s.expect("POST", "/accounts", `{"name": "Offers and festival greetings"}`, 201)
	p.MustReload()
	p.MustWaitLoad()
	third := strings.TrimPrefix(*p.MustElements("article.account")[2].MustAttribute("id"), "acct-")
	waitJS(t, p, "the third account's QR", `() => !!document.querySelector('#acct-live-`+third+` .qr img')`)
	shoot(t, p, "accounts-1280.png", 1280)
	shoot(t, p, "accounts-390.png", 390)
	p.MustSetViewport(1280, 900, 1, false)

	// Rename the second.
	card := p.MustElement("#acct-" + second)
	card.MustElement("summary").MustClick()
	name := card.MustElement(`input[name="name"]`)
	name.MustSelectAllText().MustInput("Support desk")
	wait = p.MustWaitNavigation()
	card.MustElement(`details button[type="submit"]`).MustClick()
	wait()
	p.MustWaitLoad()
	if h := p.MustElement("#acct-" + second + " h2").MustText(); h != "Support desk" {
		t.Fatalf("renamed card says %q", h)
	}

	// Remove the third, confirmed on its own page.
	card = p.MustElement("#acct-" + third)
	card.MustElement("summary").MustClick()
	wait = p.MustWaitNavigation()
	card.MustElement(`.acct-remove button`).MustClick()
	wait()
	p.MustWaitLoad()
	wait = p.MustWaitNavigation()
	p.MustElement(`form button.danger`).MustClick()
	wait()
	p.MustWaitLoad()
	if n := len(p.MustElements("article.account")); n != 2 {
		t.Fatalf("%d account cards after removing, want 2", n)
	}
	if _, err := os.Stat(s.reg.ProfileDir(third)); !os.IsNotExist(err) {
		t.Fatalf("the removed account's profile is still there: %v", err)
	}
	if _, err := os.Stat(s.reg.ProfileDir(second)); err != nil {
		t.Fatalf("the other account's profile: %v", err)
	}
	// /whatsapp still shows the first account.
	p.MustNavigate(s.url + "/whatsapp").MustWaitLoad()
	if st := *p.MustElement(`#session-status .pill`).MustAttribute("data-state"); st != "ready" {
		t.Fatalf("/whatsapp shows %s", st)
	}
}
