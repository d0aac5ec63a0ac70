package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"
)

// TestHomeShowsTheAccountLive opens the home page while WhatsApp waits for
// its QR code to be scanned, links through the simulator, and sees the
// account card turn to Connected without reloading the page.
func TestHomeShowsTheAccountLive(t *testing.T) {
	requireChromium(t)
	sim, simURL := startSimulator(t)
	base, stop := startServe(t, t.TempDir(), simURL)
	defer stop()
	st := waitSession(t, base, "qr", 60*time.Second)

	page := viewerBrowser(t).MustPage(base + "/").Timeout(60 * time.Second)
	defer page.Close()
	page.MustElement(`#account-status .pill[data-state="qr"]`)
	page.MustEval(`() => { window.notReloaded = true }`)
	if err := sim.ScanRef(*st.QR); err != nil {
		t.Fatalf("scan: %v", err)
	}
	pill := page.MustElement(`#account-status .pill[data-state="ready"]`)
	if txt := pill.MustText(); txt != "Connected" {
		t.Fatalf("the account pill reads %q", txt)
	}
	if !page.MustEval(`() => window.notReloaded === true`).Bool() {
		t.Fatal("the page reloaded instead of updating in place")
	}

	dir := os.Getenv("SAMBAD_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	// Some data, so the screenshot shows more than zeros.
	body, _ := json.Marshal(map[string]string{"phone": "98765 43210", "name": "Asha"})
	if resp, err := http.Post(base+"/api/v1/contacts", "application/json", bytes.NewReader(body)); err == nil {
		resp.Body.Close()
	}
	for _, w := range []int{1280, 390} {
		page.MustSetViewport(w, 900, 1, w < 500)
		page.MustNavigate(base + "/").MustWaitLoad()
		page.MustElement(`#account-status .pill[data-state="ready"]`)
		png, err := page.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "home-live-"+strconv.Itoa(w)+".png"), png, 0o600)
	}
}
