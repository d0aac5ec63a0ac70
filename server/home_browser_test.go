package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestBrowserHome loads the dashboard in Chromium at a desktop and a phone
// width: the chart draws today's bars, nothing is wider than the screen, and
// the events link to their campaign. With SAMBAD_SCREENSHOT_DIR set it
// saves home-1280.png and home-390.png.
func TestBrowserHome(t *testing.T) {
	s := testdb.SQLite(t)
	cp := seedHomeCampaign(t, s, "Diwali offer", 40)
	seedHomeCampaign(t, s, "Weekend sale", 3)
	testdb.Gorm(s).Exec("UPDATE campaigns SET state = 'paused', pause_reason = 'user' WHERE id = ?", cp.ID)
	s.RecordEvent(context.Background(), models.Event{Kind: models.EventImport, Subject: "customers.csv", State: "done", Detail: "43 new, 0 updated, 2 invalid"})
	url := homeServer(t, s, nil)

	page := launchChromium(t).MustPage(url + "/").Timeout(30 * time.Second)
	defer page.Close()
	for _, w := range []int{1280, 390} {
		page.MustSetViewport(w, 900, 1, w < 500)
		page.MustNavigate(url + "/").MustWaitLoad()
		// One of the two charts shows at each width; today is its last column.
		h := page.MustEval(`() => Math.max(...[...document.querySelectorAll('g[data-day]:last-of-type rect.bar.sent')].map(r => r.getBoundingClientRect().height))`).Num()
		if h < 20 {
			t.Errorf("at %d px today's sent bar is %.1f px tall", w, h)
		}
		if sw := page.MustEval(`() => document.querySelector('main').scrollWidth`).Int(); sw > w {
			t.Errorf("at %d px the page content is %d px wide", w, sw)
		}
		if href := page.MustElement(`.events li[data-kind="campaign"] a`).MustProperty("href").String(); href != url+"/campaigns/"+cp.ID {
			t.Errorf("the newest campaign event links to %s", href)
		}
		if dir := os.Getenv("SAMBAD_SCREENSHOT_DIR"); dir != "" {
			png, err := page.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "home-"+strconv.Itoa(w)+".png"), png, 0o600)
		}
	}
}
