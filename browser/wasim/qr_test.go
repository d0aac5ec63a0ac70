package wasim

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/input"
)

var payloadShape = regexp.MustCompile(`^2@[^,]+(,[^,]+){3,4}$`)

const qrCanvas = `div[data-ref] canvas[aria-label="Scan this QR code to link a device!"]`

func TestQRLandingRotatesAndExpires(t *testing.T) {
	opts := fastOptions()
	opts.LoadingDuration = 600 * time.Millisecond
	opts.FirstQRLifetime = 2500 * time.Millisecond
	opts.NextQRLifetime = 1200 * time.Millisecond
	opts.QRRotations = 2
	s, base := startSim(t, opts)
	p := newPage(t, base+"/")

	element(t, p, `#app progress[max="100"]`)
	if has, _, _ := p.Has(`[data-ref]`); has {
		t.Fatal("QR shown during the loading screen")
	}
	element(t, p, qrCanvas)
	first := evalStr(t, p, `document.querySelector('[data-ref]').getAttribute('data-ref')`)
	if !payloadShape.MatchString(first) {
		t.Fatalf("payload %q does not have the 2@a,b,c,d shape", first)
	}
	// The page learns rotations by polling, so allow it one poll to agree.
	waitJS(t, p, "the page to show CurrentQR()", `document.querySelector('[data-ref]').getAttribute('data-ref') === `+jsString(s.CurrentQR()), time.Second)
	if has, _, _ := p.Has(`[data-testid]`); has {
		t.Fatal("page uses data-testid")
	}

	waitJS(t, p, "a rotated QR", `document.querySelector('[data-ref]').getAttribute('data-ref') !== `+jsString(first), 8*time.Second)
	second := evalStr(t, p, `document.querySelector('[data-ref]').getAttribute('data-ref')`)
	if !payloadShape.MatchString(second) {
		t.Fatalf("rotated payload %q has the wrong shape", second)
	}

	reload := element(t, p, `div[data-ref] button`)
	if txt, _ := reload.Text(); txt != "Click to reload QR code" {
		t.Fatalf("reload button says %q", txt)
	}
	if s.QRRotations() != 2 {
		t.Fatalf("QRRotations() = %d after expiry, want 2", s.QRRotations())
	}
	if err := s.Scan(); !errors.Is(err, ErrNoQR) {
		t.Fatalf("Scan() of an expired QR = %v, want ErrNoQR", err)
	}
	expired := evalStr(t, p, `document.querySelector('[data-ref]').getAttribute('data-ref')`)
	click(t, reload)
	waitJS(t, p, "a new series", `!document.querySelector('[data-ref] button') && document.querySelector('[data-ref]').getAttribute('data-ref') !== `+jsString(expired), 3*time.Second)
	if s.QRSeries() != 2 {
		t.Fatalf("QRSeries() = %d, want 2", s.QRSeries())
	}
	if err := s.ScanRef(expired); err == nil {
		t.Fatal("ScanRef accepted the payload of an expired QR")
	}
	if err := s.ScanRef(s.CurrentQR()); err != nil {
		t.Fatalf("ScanRef(current) = %v", err)
	}
	element(t, p, `#side #pane-side`)
}

func TestLinkWithPhoneNumber(t *testing.T) {
	s, base := startSim(t, fastOptions())
	p := newPage(t, base+"/")
	element(t, p, qrCanvas)
	click(t, element(t, p, `[role="button"]`))
	in := element(t, p, `input[aria-label="Type your phone number."]`)
	if err := in.Input("91 98765 43210"); err != nil {
		t.Fatal(err)
	}
	if err := p.Keyboard.Type(input.Enter); err != nil {
		t.Fatal(err)
	}
	codeEl := element(t, p, `[data-link-code]`)
	code, _ := codeEl.Attribute("data-link-code")
	if code == nil || len(*code) != 8 || *code != s.LinkCode() {
		t.Fatalf("link code %v, server has %q", code, s.LinkCode())
	}
	if err := s.ConfirmLinkCode("WRONGONE"); !errors.Is(err, ErrBadLinkCode) {
		t.Fatalf("wrong code: %v", err)
	}
	if err := s.ConfirmLinkCode(*code); err != nil {
		t.Fatal(err)
	}
	element(t, p, `#side [data-icon="search"]`)
}

// The simulated phone page links a device with one click.
func TestPhonePageScans(t *testing.T) {
	s, base := startSim(t, fastOptions())
	wa := newPage(t, base+"/")
	element(t, wa, qrCanvas)
	phone := newPage(t, base+"/__sim/")
	btn, err := phone.Timeout(5*time.Second).ElementR("button", "Scan the QR code shown")
	if err != nil {
		t.Fatal(err)
	}
	click(t, btn)
	element(t, wa, `#side [data-icon="search"]`)
	if !s.Linked() {
		t.Fatal("not linked after the phone page scanned")
	}
	waitJS(t, phone, "the state to show the link", `document.getElementById('state').textContent.includes('"linked": true')`, 3*time.Second)
}
