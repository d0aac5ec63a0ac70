package server_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// TestBrowserMediaUpload uploads a photo and a document through the Media
// page in real Chromium, as a person would, and sees the photo's thumbnail
// drawn. With SAMBAD_SCREENSHOT_DIR set it saves the page at 1280 and 390
// px wide.
func TestBrowserMediaUpload(t *testing.T) {
	store := testdb.SQLite(t)
	srv, err := server.New(server.Deps{Config: &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN"}, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	dir := t.TempDir()
	files := map[string][]byte{
		"Diwali offer.jpg":           mediatest.JPEG(1200, 800),
		"Price list (November).pdf":  mediatest.PDF(40_000),
		"Store tour.mp4":             mediatest.MP4(50_000),
		"Logo named like a doc.xlsx": mediatest.PNG(300, 300),
		"a rather long file name for a brochure about the new collection.pdf": mediatest.PDF(1_500_000),
	}
	var paths []string
	for name, b := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		paths = append(paths, p)
	}

	page := launchChromium(t).MustPage(ts.URL + "/media").Timeout(60 * time.Second)
	defer page.Close()
	page.MustWaitLoad()
	page.MustElement(`input[type="file"][name="file"]`).MustSetFiles(paths...)
	wait := page.MustWaitNavigation()
	page.MustElement(`form.media-upload button.primary`).MustClick()
	wait()
	page.MustWaitLoad()
	if flash := page.MustElement(".flash.notice").MustText(); flash != "5 file(s) added." {
		t.Fatalf("flash = %q", flash)
	}
	if n := len(page.MustElements(".media-card")); n != 5 {
		t.Fatalf("the page shows %d files, want 5", n)
	}
	// The photos' thumbnails are drawn (the browser decoded them); the
	// others show a type badge.
	imgs := page.MustElements(".media-card img")
	if len(imgs) != 2 {
		t.Fatalf("%d thumbnails, want 2", len(imgs))
	}
	for _, img := range imgs {
		img.MustWaitLoad()
		want := map[string]int{"Diwali offer.jpg": 320, "Logo named like a doc.xlsx": 300}[*img.MustAttribute("alt")]
		if w := img.MustEval(`() => this.naturalWidth`).Int(); w != want {
			t.Fatalf("thumbnail %s is %d px wide, want %d", *img.MustAttribute("alt"), w, want)
		}
	}
	card := page.MustElementR(".media-card", "Logo named like a doc.xlsx")
	if kind := card.MustElement(".pill").MustText(); kind != models.MediaPhoto {
		t.Fatalf("a PNG named .xlsx shows as %q", kind)
	}
	if badge := page.MustElementR(".media-card", "Store tour.mp4").MustElement(".media-badge").MustText(); badge != "MP4" {
		t.Fatalf("video badge %q", badge)
	}

	// A video over WhatsApp's limit: the page comes back with the reason.
	big := filepath.Join(dir, "long video.mp4")
	os.WriteFile(big, mediatest.MP4(17<<20), 0o600)
	page.MustElement(`input[type="file"][name="file"]`).MustSetFiles(big)
	wait = page.MustWaitNavigation()
	page.MustElement(`form.media-upload button.primary`).MustClick()
	wait()
	page.MustWaitLoad()
	if msg := page.MustElement(".flash.error").MustText(); !strings.Contains(msg, `"long video.mp4" is a video larger than 16 MB, WhatsApp's limit`) {
		t.Fatalf("too large: the page says %q", msg)
	}
	if n := len(page.MustElements(".media-card")); n != 5 {
		t.Fatalf("after the refused upload the page shows %d files, want 5", n)
	}

	if shots := os.Getenv("SAMBAD_SCREENSHOT_DIR"); shots != "" {
		page.MustScreenshotFullPage(filepath.Join(shots, "media-1280.png"))
		page.MustSetViewport(390, 844, 1, true)
		page.MustReload().MustWaitLoad()
		for _, img := range page.MustElements(".media-card img") {
			img.MustWaitLoad()
		}
		page.MustScreenshotFullPage(filepath.Join(shots, "media-390.png"))
	}
}
