package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// TestWhatsAppPageFollowsALiveConnect opens the WhatsApp page while Sambad
// shows a QR code, links the phone, and checks, without a reload, that the
// page shows Connected, enables "Send now" and drops the phone-number
// linking box; the WhatsApp state in the top bar of another page follows.
func TestWhatsAppPageFollowsALiveConnect(t *testing.T) {
	requireChromium(t)
	sim, simURL := startSimulator(t)
	base, _ := startServe(t, t.TempDir(), simURL)
	st := waitSession(t, base, "qr", 60*time.Second)

	b := viewerBrowser(t)
	page := b.MustPage(base + "/whatsapp")
	page.MustWaitLoad()
	if !page.MustHas("#link-box form") {
		t.Fatal("while the QR shows, the page has no phone-number linking box")
	}
	if page.MustElement("#send-now").MustProperty("disabled").Bool() == false {
		t.Fatal("Send now is enabled before WhatsApp is linked")
	}
	// Another page, in its own window so that it is visible too.
	contacts, err := b.Page(proto.TargetCreateTarget{URL: base + "/contacts", NewWindow: true})
	if err != nil {
		t.Fatal(err)
	}
	contacts.MustWaitLoad()
	if state := contacts.MustElement("header .wa-badge").MustAttribute("data-state"); *state != "qr" {
		t.Fatalf("the top bar shows WhatsApp as %q while it waits for a scan", *state)
	}
	if err := sim.ScanRef(*st.QR); err != nil {
		t.Fatalf("scan: %v", err)
	}
	waitSession(t, base, "ready", 30*time.Second)
	deadline := time.Now().Add(15 * time.Second)
	for {
		state := page.MustElement("#session-status [data-state]").MustAttribute("data-state")
		disabled := page.MustElement("#send-now").MustProperty("disabled").Bool()
		linkBox := page.MustHas("#link-box form")
		if *state == "ready" && !disabled && !linkBox {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("15 s after linking, without a reload: state %q, Send now disabled %v, linking box shown %v", *state, disabled, linkBox)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if text := page.MustElement("#session-status .pill").MustText(); !strings.Contains(text, "Connected") {
		t.Fatalf("the status says %q", text)
	}
	for _, p := range []*rod.Page{page, contacts} {
		if err := p.Timeout(10 * time.Second).Wait(rod.Eval(`() => document.querySelector("header .wa-badge").dataset.state === "ready"`)); err != nil {
			t.Fatalf("the top bar of %s did not follow the connect: %v", p.MustInfo().URL, err)
		}
		badge := p.MustElement("header .wa-badge")
		if state := badge.MustAttribute("data-state"); *state != "ready" || !strings.Contains(badge.MustText(), "Connected") {
			t.Fatalf("the top bar of %s shows WhatsApp as %q, %q", p.MustInfo().URL, *state, badge.MustText())
		}
	}
}
