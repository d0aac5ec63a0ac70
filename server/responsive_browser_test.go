package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// uiCampaigns makes a finished campaign (with activity and acks) and a draft
// on a fixture, for the page tests.
func uiCampaigns(t *testing.T, f *fixture) (done, draft string) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < 30; i += 7 {
		f.sender.invalid[fmt.Sprintf("+1415%07d", 3000000+i)] = true
	}
	mk := func(name string, p models.Pacing) string {
		c := &models.Campaign{Name: name, Template: "{Hi|Hello} {{name}}, our sale starts today in {{city}}.", GroupIDs: []string{f.group.ID}, Pacing: p}
		if err := f.store.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	done = mk("Spring sale with a rather long campaign name", models.Pacing{Preset: "custom", MinDelayMS: 1000, MaxDelayMS: 1000})
	if _, err := f.engine.Start(ctx, done); err != nil {
		t.Fatal(err)
	}
	// Pacing is 1 s; the test does not wait for it: the engine's delay is
	// only between messages, so a short campaign finishes in seconds.
	deadline := time.Now().Add(90 * time.Second)
	for c, _ := f.store.GetCampaign(ctx, done); c.State != "completed"; c, _ = f.store.GetCampaign(ctx, done) {
		if time.Now().After(deadline) {
			t.Fatalf("the campaign did not finish: %s", c.State)
		}
		time.Sleep(50 * time.Millisecond)
	}
	rs, _, _ := f.store.ListRecipients(ctx, models.RecipientQuery{CampaignID: done, States: []string{"sent"}, PerPage: 200})
	for i, r := range rs {
		if i%2 == 0 {
			f.engine.HandleAck(r.MessageID, "delivered")
		}
	}
	draft = mk("New year (draft)", models.Pacing{Preset: "medium", MinDelayMS: 20000, MaxDelayMS: 50000})
	return done, draft
}

// pageFits loads path at the page's current viewport and returns what a
// person on that screen could not use: a page wider than the screen, nav
// links hidden or covered, table controls out of reach.
const pageFitsJS = `async (width) => {
  const problems = [];
  const de = document.documentElement;
  // A phone widens the layout to fit a page that is too wide: compare with
  // the screen's width, not the layout's.
  if (de.scrollWidth > width || window.innerWidth > width) problems.push("page is " + Math.max(de.scrollWidth, window.innerWidth) + " px wide on a " + width + " px screen");
  const hit = (el) => {
    el.scrollIntoView({block: "center", inline: "center"});
    for (let a = el.parentElement; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (((cs.overflowX === "hidden" || cs.overflowX === "clip") && a.scrollLeft !== 0) || ((cs.overflowY === "hidden" || cs.overflowY === "clip") && a.scrollTop !== 0)) {
        const at = a.scrollLeft; a.scrollLeft = 0; a.scrollTop = 0;
        return "is cut off by " + a.tagName.toLowerCase() + "." + a.className + " (" + at + " px out of view)";
      }
    }
    const r = el.getClientRects()[0];
    if (!r || r.width === 0 || r.height === 0) return "has no size";
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > width || y > window.innerHeight) return "is off screen at " + Math.round(x) + "," + Math.round(y);
    const at = document.elementFromPoint(x, y);
    if (!at || !(at === el || el.contains(at) || (el.labels && [...el.labels].some(l => l.contains(at))))) return "is covered by " + (at ? at.outerHTML.slice(0, 80) : "nothing");
    return "";
  };
  const toggle = document.querySelector(".nav-toggle-label");
  const navLinks = [...document.querySelectorAll("nav.main a")];
  if (navLinks.length === 0) problems.push("no navigation links");
  if (toggle && toggle.offsetParent !== null) toggle.click();
  for (const a of navLinks) { const p = hit(a); if (p) problems.push("nav link " + a.textContent.trim() + " " + p); }
  if (toggle && toggle.offsetParent !== null) toggle.click();
  window.scrollTo(0, 0);
  for (const tr of [...document.querySelectorAll("main table tbody tr")].slice(0, 2)) {
    for (const el of tr.querySelectorAll("a, button, input")) {
      const p = hit(el);
      if (p) problems.push("table control " + (el.textContent.trim() || el.getAttribute("aria-label") || el.outerHTML.slice(0, 60)) + " " + p);
    }
  }
  for (const el of [...document.querySelectorAll("main .pill")].slice(0, 12)) {
    const p = hit(el);
    if (p) problems.push("state pill " + el.textContent.trim() + " " + p);
  }
  window.scrollTo(0, 0);
  return problems;
}`

// TestPagesWorkOnPhones loads every main page in real Chromium at 390 px:
// nothing is wider than the screen, every navigation link can be tapped and
// every control in a table row and every state pill can be reached. With SAMBAD_SCREENSHOT_DIR set
// it saves each page at 390 and 1280 px.
func TestPagesWorkOnPhones(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 30)
	done, draft := uiCampaigns(t, f)
	ctx := context.Background()
	c, _ := f.store.GetContactByPhone(ctx, "+14153000001")
	c.V1, c.V2, c.V3 = "Gold tier customer", "Pune", "Diwali 2026 offer"
	c.Attributes = map[string]string{"city": "Pune"}
	if err := f.store.UpdateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"contacts", "/contacts"},
		{"contact-form", "/contacts/new"},
		{"import", "/contacts/import"},
		{"groups", "/groups"},
		{"group", "/groups/" + f.group.ID},
		{"campaigns", "/campaigns"},
		{"campaign-form", "/campaigns/new"},
		{"draft", "/campaigns/" + draft},
		{"monitor", "/campaigns/" + done},
		{"report", "/campaigns/" + done + "/report"},
		{"recipients", "/campaigns/" + done + "/recipients"},
		{"whatsapp", "/whatsapp"},
		{"sync", "/sync"},
	}
	b := launchChromium(t)
	page := b.MustPage("").Timeout(120 * time.Second)
	defer page.Close()
	dir := os.Getenv("SAMBAD_SCREENSHOT_DIR")
	for _, width := range []int{390, 1280} {
		page.MustSetViewport(width, 844, 1, width < 800)
		for _, p := range pages {
			page.MustNavigate(f.url + p.path).MustWaitLoad()
			if width == 390 {
				var problems []string
				if err := page.MustEval(pageFitsJS, width).Unmarshal(&problems); err != nil {
					t.Fatal(err)
				}
				for _, pr := range problems {
					t.Errorf("%s at %d px: %s", p.path, width, pr)
				}
			}
			if dir != "" {
				shotFullPage(t, page, filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width)))
			}
		}
		if width == 390 {
			// The install has no password: the notice says so, and goes
			// once dismissed.
			page.MustNavigate(f.url + "/groups").MustWaitLoad()
			wait := page.MustWaitNavigation()
			page.MustElement(".flash.no-password button").MustClick()
			wait()
			if !strings.HasSuffix(page.MustInfo().URL, "/groups") || page.MustHas(".flash.no-password") {
				t.Fatalf("after Dismiss: at %s, notice still shown: %v", page.MustInfo().URL, page.MustHas(".flash.no-password"))
			}
		}
	}
}

// shotFullPage saves a screenshot of the whole page at the current width.
func shotFullPage(t *testing.T, page *rod.Page, file string) {
	t.Helper()
	png, err := page.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
	if err != nil {
		t.Fatalf("screenshot %s: %v", file, err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
