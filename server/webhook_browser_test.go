package server_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/sambad/sambad/models"
)

// TestBrowserWebhooks adds a webhook through the page in Chromium, reads its
// secret once, sends a test event and sees it in the log; an endpoint that
// was switched off shows why. Both pages fit a phone's width.
func TestBrowserWebhooks(t *testing.T) {
	s := newPrivateSite(t, "")
	var secret string
	rcv := newHookReceiver(t, &secret)
	// An endpoint switched off by failures, for the notice.
	dead, err := s.store.CreateWebhook(t.Context(), "http://127.0.0.1:9/gone", "dead-secret-0123456789", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.FailWebhook(t.Context(), dead.ID, &models.WebhookDelivery{EndpointID: dead.ID, EventType: "message.sent", Error: "connection refused"}, time.Now(), 1); err != nil {
		t.Fatal(err)
	}

	page := launchChromium(t).MustPage(s.url + "/webhooks").Timeout(30 * time.Second)
	defer page.Close()
	page.MustWaitLoad()
	if msg := page.MustElement(".flash.error").MustText(); !strings.Contains(msg, "switched off") || !strings.Contains(msg, "connection refused") {
		t.Fatalf("the notice says %q", msg)
	}
	page.MustElement(`#hook-url`).MustInput(rcv.url)
	page.MustElement(`input[value="message.failed"]`).MustClick()
	wait := page.MustWaitNavigation()
	page.MustElement(`.webhook-form button.primary`).MustClick()
	wait()
	secret = page.MustElement(`[data-secret]`).MustText()
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret shown = %q", secret)
	}
	id := strings.TrimPrefix(page.MustEval(`() => document.querySelector('form.webhook-form').getAttribute('action')`).String(), "/webhooks/")
	wait = page.MustWaitNavigation()
	page.MustElement(`form[action$="/test"] button`).MustClick()
	wait()
	if msg := page.MustElement(".flash.notice").MustText(); !strings.Contains(msg, "HTTP 200") {
		t.Fatalf("after the test the page says %q", msg)
	}
	if row := page.MustElement("table.deliveries tbody tr").MustText(); !strings.Contains(row, "webhook.test") || !strings.Contains(row, "thanks") {
		t.Fatalf("log row = %q", row)
	}
	if strings.Contains(page.MustHTML(), secret) {
		t.Fatal("the secret is still on the page after the first view")
	}
	rcv.mu.Lock()
	if len(rcv.got) != 1 || !rcv.sig[0] {
		t.Fatalf("receiver got %+v (signature ok %v)", rcv.got, rcv.sig)
	}
	rcv.mu.Unlock()
	for _, path := range []string{"/webhooks", "/webhooks/" + id} {
		for _, w := range []int{1280, 390} {
			page.MustSetViewport(w, 900, 1, w < 500)
			page.MustNavigate(s.url + path).MustWaitLoad()
			if sw := page.MustEval(`() => document.querySelector('main').scrollWidth`).Int(); sw > w {
				t.Errorf("at %d px %s is %d px wide", w, path, sw)
			}
			if dir := os.Getenv("SAMBAD_SCREENSHOT_DIR"); dir != "" {
				name := "webhooks"
				if path != "/webhooks" {
					name = "webhook"
				}
				png, _ := page.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
				os.WriteFile(filepath.Join(dir, name+"-"+strconv.Itoa(w)+".png"), png, 0o600)
			}
		}
	}
}
