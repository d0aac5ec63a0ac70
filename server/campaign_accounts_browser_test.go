package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The By account section on a phone and a desktop (real Chromium): the
// monitor of a rotating campaign with a logged-out account, its report and
// its recipients fit a 390 px screen with every state pill reachable. With
// SAMBAD_SCREENSHOT_DIR set it saves each page at 390 and 1280 px.
func TestByAccountOnPhones(t *testing.T) {
	x := newAcctSite(t, 12)
	c := x.rotating(t)
	pages := []struct{ name, path, wait string }{
		{"monitor-accounts", "/campaigns/" + c.ID, "[data-held]"},
		{"report-accounts", "/campaigns/" + c.ID + "/report", "[data-by-account]"},
		{"recipients-accounts", "/campaigns/" + c.ID + "/recipients", "td.acct"},
	}
	b := launchChromium(t)
	page := b.MustPage("").Timeout(120 * time.Second)
	defer page.Close()
	dir := os.Getenv("SAMBAD_SCREENSHOT_DIR")
	for _, width := range []int{390, 1280} {
		page.MustSetViewport(width, 844, 1, width < 800)
		for _, p := range pages {
			page.MustNavigate(x.url + p.path).MustWaitLoad()
			page.MustElement(p.wait)
			var problems []string
			if err := page.MustEval(pageFitsJS, width).Unmarshal(&problems); err != nil {
				t.Fatal(err)
			}
			for _, pr := range problems {
				t.Errorf("%s at %d px: %s", p.path, width, pr)
			}
			if dir != "" {
				shotFullPage(t, page, filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width)))
			}
		}
	}
}
