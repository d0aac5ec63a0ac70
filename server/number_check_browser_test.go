package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
)

// TestBrowserCheckNumbers runs "Check numbers" on a group from the contacts
// page in real Chromium: the job's page shows its progress while it runs
// (caught half done), then the results; the contacts list shows the
// WhatsApp column and filters on it. Both pages fit a 390 px phone. With
// SAMBAD_SCREENSHOT_DIR set it saves them at 390 and 1280 px.
func TestBrowserCheckNumbers(t *testing.T) {
	s, g := newCheckSite(t, -1)
	grp, err := s.store.CreateGroup(t.Context(), "Diwali")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, name := range []string{"Asha Rao", "Bela Shah", "Chand Iyer", "Devi Nair"} {
		c := s.contact(fmt.Sprintf("98765432%d", 10+i), name)
		ids = append(ids, c.ID)
	}
	s.contact("9876500099", "Not in the group")
	s.store.AddMembers(t.Context(), grp.ID, ids)
	g.off["+919876543211"] = true // Bela
	g.off["+919876543213"] = true // Devi

	dir := os.Getenv("SAMBAD_SCREENSHOT_DIR")
	shot := func(page *rod.Page, name string) {
		if dir != "" {
			shotFullPage(t, page, filepath.Join(dir, name))
		}
	}
	fits := func(page *rod.Page, what string) {
		var problems []string
		if err := page.MustEval(pageFitsJS, 390).Unmarshal(&problems); err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s at 390 px: %s", what, p)
		}
	}
	page := launchChromium(t).MustPage("").Timeout(120 * time.Second)
	defer page.Close()
	page.MustSetViewport(1280, 900, 1, false)
	page.MustNavigate(s.url + "/contacts?group=" + grp.ID).MustWaitLoad()
	page.MustElement(`select[name="check_scope"]`).MustSelect("all 4 matching")
	page.MustElement(`select[name="preset"]`).MustSelect("one every 1–5 s")
	wait := page.MustWaitNavigation()
	page.MustElementR("button", "Check numbers").MustClick()
	wait()
	page.MustWaitLoad()
	if !strings.Contains(page.MustInfo().URL, "/numbers/checks/") {
		t.Fatalf("after Check numbers the browser is at %s", page.MustInfo().URL)
	}
	if flash := page.MustElement(".flash.notice").MustText(); flash != "Checking 4 numbers on WhatsApp." {
		t.Fatalf("flash %q", flash)
	}
	// Two answers, then the job waits on the third: the page shows 2 of 4.
	g.gate <- struct{}{}
	g.gate <- struct{}{}
	page.Timeout(30*time.Second).MustElementR("#check-progress .stat .n", `^2 / 4$`)
	if got := page.MustElement(`#check-progress .progress`).MustAttribute("aria-valuenow"); got == nil || *got != "50" {
		t.Fatalf("progress bar at %v, want 50", got)
	}
	shot(page, "number-check-progress-1280.png")
	page.MustSetViewport(390, 844, 1, true)
	page.MustWaitLoad()
	fits(page, "the check's page")
	shot(page, "number-check-progress-390.png")

	g.gate <- struct{}{}
	g.gate <- struct{}{}
	page.Timeout(30 * time.Second).MustElement(`#check-progress[data-check-state="done"]`)
	text := page.MustElement("main").MustText()
	for _, want := range []string{"2 on WhatsApp, 2 not on WhatsApp", "Asha Rao", "not on WhatsApp"} {
		if !strings.Contains(text, want) {
			t.Errorf("the finished check's page lacks %q:\n%s", want, text)
		}
	}
	shot(page, "number-check-done-390.png")

	page.MustNavigate(s.url + "/contacts?on_whatsapp=false").MustWaitLoad()
	rows := page.MustElements("tbody tr")
	if len(rows) != 2 || !strings.Contains(rows[0].MustText(), "Bela Shah") || !strings.Contains(rows[1].MustText(), "Devi Nair") {
		t.Fatalf("filtered to not on WhatsApp: %d rows", len(rows))
	}
	fits(page, "the contacts list")
	shot(page, "contacts-whatsapp-filter-390.png")
	page.MustSetViewport(1280, 900, 1, false)
	page.MustNavigate(s.url + "/contacts").MustWaitLoad()
	if text := page.MustElement("tbody").MustText(); strings.Count(text, "not on WhatsApp") != 2 || strings.Count(text, "not checked") != 1 {
		t.Errorf("the WhatsApp column shows:\n%s", text)
	}
	shot(page, "contacts-whatsapp-column-1280.png")
	page.MustNavigate(s.url + "/contacts?on_whatsapp=false").MustWaitLoad()
	shot(page, "contacts-whatsapp-filter-1280.png")
}
