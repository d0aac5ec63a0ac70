package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/sambad/sambad/internal/testdb"
)

// streamCounter counts the event streams open at once, and the most ever.
type streamCounter struct {
	mu        sync.Mutex
	open, max int
}

func (sc *streamCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/events") {
			h.ServeHTTP(w, r)
			return
		}
		sc.mu.Lock()
		sc.open++
		sc.max = max(sc.max, sc.open)
		sc.mu.Unlock()
		defer func() { sc.mu.Lock(); sc.open--; sc.mu.Unlock() }()
		h.ServeHTTP(w, r)
	})
}

func (sc *streamCounter) now() (open, most int) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.open, sc.max
}

// waitStreams waits until exactly want streams are open.
func (sc *streamCounter) waitStreams(t *testing.T, want int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		open, _ := sc.now()
		if open == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d event streams open, want %d", open, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// liveUpdates waits for the page's next live update from the htmx SSE
// extension and reports whether one came within ms milliseconds.
const liveUpdatesJS = `(ms) => new Promise((resolve) => {
  const t = setTimeout(() => resolve(false), ms);
  document.body.addEventListener("htmx:sseMessage", () => { clearTimeout(t); resolve(true); }, {once: true});
})`

// setHidden makes the page report itself hidden or visible, as the browser
// does when its tab goes to the background, and tells the page so.
func setHidden(p *rod.Page, hidden bool) {
	state := "visible"
	if hidden {
		state = "hidden"
	}
	p.MustEval(`(s) => { Object.defineProperty(document, "visibilityState", {value: s, configurable: true}); document.dispatchEvent(new Event("visibilitychange")); }`, state)
}

// TestTenLiveTabsShareOneStream opens ten live pages (campaign monitors and
// the WhatsApp page), each in its own window so that all are visible, in real
// Chromium over HTTP/1.1, where a browser opens at most six connections to a
// host. The browser holds one event stream (two while switching), every
// monitor still updates, and another page still loads. Hidden pages hold no
// stream; a page shown again updates again. (In one window, headless
// Chromium reports the tabs behind the front one as hidden.)
func TestTenLiveTabsShareOneStream(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 12)
	done, _ := uiCampaigns(t, f)
	sc := &streamCounter{}
	ts := httptest.NewServer(sc.wrap(f.handler))
	t.Cleanup(ts.Close) // after the browser has gone: Close waits for open streams

	b := launchChromium(t)
	var tabs, monitors []*rod.Page
	for i := 0; i < 10; i++ {
		path := "/campaigns/" + done
		if i%3 == 2 {
			path = "/whatsapp"
		}
		p, err := b.Page(proto.TargetCreateTarget{URL: ts.URL + path, NewWindow: true})
		if err != nil {
			t.Fatal(err)
		}
		p = p.Timeout(60 * time.Second)
		p.MustWaitLoad()
		tabs = append(tabs, p)
		if path != "/whatsapp" {
			monitors = append(monitors, p)
		}
	}
	t.Cleanup(func() {
		for _, p := range tabs {
			p.Close()
		}
	})
	for i, p := range monitors {
		if !p.MustEval(liveUpdatesJS, 10000).Bool() {
			t.Fatalf("monitor window %d got no live update within 10 s", i)
		}
	}
	if open, most := sc.now(); open != 1 || most > 2 {
		t.Fatalf("with 10 live tabs: %d event streams open (at most %d at once), want 1 (2 while switching)", open, most)
	}

	start := time.Now()
	contacts := b.MustPage("").Timeout(20 * time.Second)
	defer contacts.Close()
	contacts.MustNavigate(ts.URL + "/contacts").MustWaitLoad()
	if h := contacts.MustElement("h1").MustText(); h != "Contacts" {
		t.Fatalf("the contacts page shows %q", h)
	}
	t.Logf("with 10 live tabs open the contacts page loaded in %v", time.Since(start).Round(time.Millisecond))

	// Every tab to the background: no stream is left.
	for _, p := range tabs {
		setHidden(p, true)
	}
	sc.waitStreams(t, 0, 10*time.Second)
	// One monitor back in front: it has a stream and updates again.
	setHidden(monitors[0], false)
	if !monitors[0].MustEval(liveUpdatesJS, 10000).Bool() {
		t.Fatal("a monitor tab shown again got no live update within 10 s")
	}
	sc.waitStreams(t, 1, 10*time.Second)
	// Closing the windows closes the stream: at once when the page says
	// goodbye, or once the worker misses its keep-alives.
	for _, p := range tabs {
		p.MustClose()
	}
	tabs = nil
	sc.waitStreams(t, 0, 40*time.Second)
}
