package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"

	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
)

// TestCampaignFilesFormInChromium: files are added from the library and
// put in order with the form's buttons; the live preview shows each
// message (the photo's thumbnail with the personalised caption, the
// document's icon and name) and follows the caption mode; the saved draft
// previews the same for a chosen contact. With SAMBAD_SCREENSHOT_DIR set,
// the form and the draft are saved at 1280 and 390 px.
func TestCampaignFilesFormInChromium(t *testing.T) {
	f := newFilesFixture(t, testdb.SQLite(t), 3)
	f.upload(t, "Price list 2026.pdf", mediatest.PDF(240<<10))
	f.upload(t, "Diwali offer.jpg", mediatest.JPEG(800, 600))
	f.upload(t, "Store tour.mp4", mediatest.MP4(3<<20))

	page := launchChromium(t).MustPage(f.url + "/campaigns/new").Timeout(90 * time.Second)
	defer page.Close()
	page.MustSetViewport(1280, 900, 1, false)
	page.MustWaitLoad()
	add := func(name string) {
		t.Helper()
		page.MustElement(`select[name="add_media"]`).MustSelect(name)
		wait := page.MustWaitNavigation()
		page.MustElement(`button[name="files_op"][value="add"]`).MustClick()
		wait()
		page.MustWaitLoad()
	}
	order := func() string {
		var names []string
		for _, li := range page.MustElements("[data-files] li") {
			names = append(names, *li.MustAttribute("data-file"))
		}
		return strings.Join(names, " | ")
	}
	page.MustElement("#name").MustInput("Diwali with files")
	page.MustElement(`input[name="group_ids"]`).MustClick()
	page.MustElement("#template").MustSelectAllText().MustInput("Hi {{name}}, our Diwali offer is here")
	add("Price list 2026.pdf")
	add("Diwali offer.jpg")
	if got := order(); got != "Price list 2026.pdf | Diwali offer.jpg" {
		t.Fatalf("after adding, the files are %q", got)
	}
	// The form came back with what was typed.
	if v := page.MustElement("#template").MustProperty("value").String(); v != "Hi {{name}}, our Diwali offer is here" {
		t.Fatalf("adding a file lost the message: %q", v)
	}
	wait := page.MustWaitNavigation()
	page.MustElement(`button[aria-label="Move Diwali offer.jpg up"]`).MustClick()
	wait()
	page.MustWaitLoad()
	if got := order(); got != "Diwali offer.jpg | Price list 2026.pdf" {
		t.Fatalf("after moving the photo up, the files are %q", got)
	}

	// The live preview: the photo with the caption, then the document.
	previewSays := func(js string) {
		t.Helper()
		if err := page.Timeout(15 * time.Second).Wait(rod.Eval(js)); err != nil {
			t.Fatalf("the live preview never showed it: %s: %v", js, err)
		}
	}
	previewSays(`() => { const b = document.querySelectorAll("#form-preview .wa-bubble"); return b.length === 2 && b[0].querySelector("img.wa-thumb") && b[0].querySelector("img.wa-thumb").naturalWidth > 0 && b[0].textContent.includes("Hi Buyer 0, our Diwali offer") && b[1].textContent.includes("Price list 2026.pdf"); }`)
	if shots := os.Getenv("SAMBAD_SCREENSHOT_DIR"); shots != "" {
		shotFullPage(t, page, filepath.Join(shots, "campaign-files-form-1280.png"))
	}
	page.MustElement(`input[name="caption_mode"][value="separate"]`).MustClick()
	previewSays(`() => { const b = document.querySelectorAll("#form-preview .wa-bubble"); return b.length === 3 && !b[0].querySelector("img") && b[0].textContent.startsWith("Hi Buyer 0") && b[1].querySelector("img.wa-thumb") && !b[1].querySelector(".wa-text"); }`)
	if shots := os.Getenv("SAMBAD_SCREENSHOT_DIR"); shots != "" {
		page.MustSetViewport(390, 844, 1, true)
		page.MustWaitLoad()
		shotFullPage(t, page, filepath.Join(shots, "campaign-files-form-390.png"))
		page.MustSetViewport(1280, 900, 1, false)
	}
	page.MustElement(`input[name="caption_mode"][value="first_file"]`).MustClick()

	wait = page.MustWaitNavigation()
	page.MustElement(`.form-actions button.primary`).MustClick()
	wait()
	page.MustWaitLoad()
	if !strings.Contains(page.MustInfo().URL, "/campaigns/") || !page.MustHas("[data-files]") {
		t.Fatalf("not saved: at %s", page.MustInfo().URL)
	}
	page.MustElement(`select[name="contact"]`).MustSelect("Buyer 2")
	previewSays(`() => { const b = document.querySelectorAll(".wa-chat .wa-bubble"); return b.length === 2 && b[0].textContent.includes("Hi Buyer 2, our Diwali offer") && b[0].querySelector("img.wa-thumb").naturalWidth > 0 && b[1].textContent.includes("Price list 2026.pdf"); }`)
	if shots := os.Getenv("SAMBAD_SCREENSHOT_DIR"); shots != "" {
		shotFullPage(t, page, filepath.Join(shots, "campaign-files-draft-1280.png"))
		page.MustSetViewport(390, 844, 1, true)
		page.MustReload().MustWaitLoad()
		page.MustElement("img.wa-thumb").MustWaitLoad()
		shotFullPage(t, page, filepath.Join(shots, "campaign-files-draft-390.png"))
	}
}
