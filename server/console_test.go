package server_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/logging"
)

// writeLog appends entries to a log file as Sambad's formatter writes them.
func writeLog(t testing.TB, path string, entries ...*logrus.Entry) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, e := range entries {
		b, err := (&logging.Formatter{}).Format(e)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(b)
	}
}

func entry(level logrus.Level, msg string, fields logrus.Fields) *logrus.Entry {
	e := logrus.NewEntry(logrus.StandardLogger()).WithFields(fields)
	e.Level, e.Message, e.Time = level, msg, time.Now()
	return e
}

func TestConsoleFiltersMasksAndDownloads(t *testing.T) {
	s := newSite(t, "")
	logPath := s.cfg.LogPath()
	writeLog(t, logPath,
		entry(logrus.DebugLevel, "checking the session", nil),
		entry(logrus.InfoLevel, "Sambad is running", logrus.Fields{"addr": "127.0.0.1:8080"}),
		entry(logrus.WarnLevel, "send slow", logrus.Fields{"phone": "+919876543210"}),
		entry(logrus.ErrorLevel, "store: unable to record sends", logrus.Fields{"database_url": "postgres://sambad:hunter2@db/sambad"}),
	)
	page := s.get("/console")
	for _, want := range []string{"checking the session", "Sambad is running", "send slow", "91987****210", "unable to record sends"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the console lacks %q", want)
		}
	}
	for _, secret := range []string{"9876543210", "hunter2"} {
		if strings.Contains(page.body, secret) {
			t.Errorf("the console shows %q", secret)
		}
	}
	// Newest first.
	if strings.Index(page.body, "unable to record sends") > strings.Index(page.body, "checking the session") {
		t.Error("the newest entry is not first")
	}
	warn := s.get("/console?level=warn")
	if strings.Contains(warn.body, "Sambad is running") || !strings.Contains(warn.body, "send slow") || !strings.Contains(warn.body, "unable to record") {
		t.Errorf("level=warn shows the wrong entries")
	}
	search := s.get("/console?q=RECORD")
	if strings.Contains(search.body, "send slow") || !strings.Contains(search.body, "unable to record sends") {
		t.Errorf("the search shows the wrong entries")
	}
	dl := s.get("/console/error.log?level=warn")
	if !strings.HasPrefix(dl.header.Get("Content-Type"), "text/plain") || strings.Count(dl.body, "\n") != 2 ||
		strings.Contains(dl.body, "9876543210") || strings.Contains(dl.body, "hunter2") {
		t.Errorf("download:\n%s", dl.body)
	}
	// A log bigger than the console reads: the page shows its end.
	var big bytes.Buffer
	for i := 0; i < 60000; i++ {
		b, _ := (&logging.Formatter{}).Format(entry(logrus.InfoLevel, "bulk line "+strconv.Itoa(i), nil))
		big.Write(b)
	}
	os.WriteFile(logPath, big.Bytes(), 0o600) // ~3 MB
	page = s.get("/console")
	if !strings.Contains(page.body, "bulk line 59999") || strings.Contains(page.body, "bulk line 100<") || !strings.Contains(page.body, "the newest 500 that match") {
		t.Error("a large log: the page does not show its newest 500 lines")
	}
}

// TestBrowserConsoleLiveTail opens the console in Chromium, writes to
// error.log, and sees the new line appear at the top, masked, without a
// reload, while a line below the chosen level stays out.
func TestBrowserConsoleLiveTail(t *testing.T) {
	s := newSite(t, "")
	logPath := s.cfg.LogPath()
	writeLog(t, logPath, entry(logrus.InfoLevel, "Sambad is running", logrus.Fields{"addr": "127.0.0.1:8080"}),
		entry(logrus.ErrorLevel, "browser: message not sent", logrus.Fields{"error": "no send button", "phone": "+919876543210"}))
	page := launchChromium(t).MustPage(s.url + "/console?level=info").Timeout(30 * time.Second)
	defer page.Close()
	page.MustWaitLoad()
	page.MustElement(`#log .log-entry`)
	time.Sleep(700 * time.Millisecond) // the stream is connected and has polled once
	writeLog(t, logPath, entry(logrus.DebugLevel, "debug noise", nil),
		entry(logrus.WarnLevel, "phone offline", logrus.Fields{"phone": "+14155550123", "token": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH"}))
	first := page.MustElementR(`#log .log-entry:first-child .log-msg`, "phone offline")
	if txt := first.MustParent().MustText(); strings.Contains(txt, "4155550123") || strings.Contains(txt, "abcdefghijklmnop") {
		t.Fatalf("the live line is not masked: %s", txt)
	}
	if strings.Contains(page.MustElement("#log").MustText(), "debug noise") {
		t.Fatal("a debug line reached a list filtered to info and above")
	}
	if n := len(page.MustElements("#log .log-entry")); n != 3 {
		t.Fatalf("%d entries, want 3", n)
	}
	// At a desktop and a phone width nothing is wider than the screen.
	for _, w := range []int{1280, 390} {
		page.MustSetViewport(w, 900, 1, w < 500)
		page.MustNavigate(s.url + "/console").MustWaitLoad()
		if sw := page.MustEval(`() => document.querySelector('main').scrollWidth`).Int(); sw > w {
			t.Errorf("at %d px the console is %d px wide", w, sw)
		}
		if dir := os.Getenv("SAMBAD_SCREENSHOT_DIR"); dir != "" {
			png, err := page.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "console-"+strconv.Itoa(w)+".png"), png, 0o600)
		}
	}
}
