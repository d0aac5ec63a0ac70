package server_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"
)

// TestBrowserBackupRestore restores a backup through the page as a person
// would: choose the file, type RESTORE, press the button; the data is the
// backup's afterwards and the page says so. The backup and settings pages
// fit a phone's width.
func TestBrowserBackupRestore(t *testing.T) {
	s := newSite(t, "")
	s.contact("9876500001", "Asha")
	r := s.get("/backup/download.zip")
	file := filepath.Join(t.TempDir(), "asha.zip")
	os.WriteFile(file, []byte(r.body), 0o600)
	s.contact("9876500002", "Bela")

	page := launchChromium(t).MustPage(s.url + "/backup").Timeout(30 * time.Second)
	defer page.Close()
	page.MustWaitLoad()
	page.MustElement(`#restore-file`).MustSetFiles(file)
	page.MustElement(`#restore-confirm`).MustInput("RESTORE")
	wait := page.MustWaitNavigation()
	page.MustElement(`#restore button.danger`).MustClick()
	wait()
	if msg := page.MustElement(".flash.notice").MustText(); !strings.Contains(msg, "Restored asha.zip") || !strings.Contains(msg, "1 contact,") {
		t.Fatalf("after the restore the page says %q", msg)
	}
	if n, _ := s.store.CountContacts(t.Context()); n != 1 {
		t.Fatalf("%d contacts after the restore", n)
	}
	for _, name := range []string{"backup", "settings"} {
		for _, w := range []int{1280, 390} {
			page.MustSetViewport(w, 900, 1, w < 500)
			page.MustNavigate(s.url + "/" + name).MustWaitLoad()
			if sw := page.MustEval(`() => document.querySelector('main').scrollWidth`).Int(); sw > w {
				t.Errorf("at %d px the %s page is %d px wide", w, name, sw)
			}
			if dir := os.Getenv("SAMBAD_SCREENSHOT_DIR"); dir != "" {
				png, _ := page.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
				os.WriteFile(filepath.Join(dir, name+"-"+strconv.Itoa(w)+".png"), png, 0o600)
			}
		}
	}
}
