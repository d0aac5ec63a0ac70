package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/server"
)

// TestQueryBounds: a search past SQLite's LIKE limit was a 500 with a stack
// trace and page=9223372036854775807 showed page 1; both are 400 with a
// message now, on pages and in the API.
func TestQueryBounds(t *testing.T) {
	s := newSite(t, strongToken)
	s.contact("9876543210", "Asha")
	long := strings.Repeat("a", 60_000)
	for _, tc := range []struct{ path, want string }{
		{"/contacts?q=" + long, "the search is longer than 200 characters"},
		{"/api/v1/contacts?q=" + long, "the search is longer than 200 characters"},
		{"/contacts?page=9223372036854775807", "page must be a whole number from 1 to 1000000"},
		{"/api/v1/contacts?page=9223372036854775807", "page must be a whole number from 1 to 1000000"},
		{"/api/v1/contacts?per_page=-5", "per_page must be a whole number"},
	} {
		if r := s.get(tc.path); r.status != http.StatusBadRequest || !strings.Contains(r.body, tc.want) {
			t.Errorf("%.60s: %d, want 400 with %q", tc.path, r.status, tc.want)
		}
	}
	if r := s.get("/contacts?q=asha&page=1"); r.status != http.StatusOK || !strings.Contains(r.body, "Asha") {
		t.Fatalf("a normal search: %d", r.status)
	}
}

// TestJSONBodyAndEcho: trailing data after a JSON body is refused, and a
// 900,000-digit phone is not echoed back whole.
func TestJSONBodyAndEcho(t *testing.T) {
	s := newSite(t, strongToken)
	r := s.do("POST", "/api/v1/contacts", "application/json", strings.NewReader(`{"phone":"9876543210","name":"Asha"} {"phone":"9876543211"}`))
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "send one JSON object") {
		t.Fatalf("trailing data: %d %s", r.status, r.body)
	}
	if n, _ := s.store.CountContacts(t.Context()); n != 0 {
		t.Fatalf("a refused body stored %d contacts", n)
	}
	r = s.api("POST", "/api/v1/contacts", map[string]string{"phone": strings.Repeat("9", 900_000), "name": "Long"})
	if r.status != http.StatusUnprocessableEntity || len(r.body) > 1024 || !strings.Contains(r.body, strings.Repeat("9", 64)+"…") {
		t.Fatalf("long phone: %d, %d bytes: %.200s", r.status, len(r.body), r.body)
	}
}

// TestNoStoreAndPermissionsPolicy: pages with data are never cached; static
// files still are; a Permissions-Policy turns off unused features.
func TestNoStoreAndPermissionsPolicy(t *testing.T) {
	s := newSite(t, strongToken)
	for path, noStore := range map[string]bool{"/contacts": true, "/contacts/export.csv": true, "/api/v1/contacts": true, "/login": true, "/static/app.css": false} {
		r := s.get(path)
		if got := r.header.Get("Cache-Control") == "no-store"; got != noStore {
			t.Errorf("%s: Cache-Control %q", path, r.header.Get("Cache-Control"))
		}
		if pp := r.header.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
			t.Errorf("%s: Permissions-Policy %q", path, pp)
		}
	}
}

// idleWhatsApp is a session that never changes: its status stream stays
// open until the client leaves. Only what the events page uses is here.
type idleWhatsApp struct{ server.WhatsApp }

func (idleWhatsApp) Status() server.SessionStatus { return server.SessionStatus{State: "qr"} }
func (idleWhatsApp) Subscribe() (<-chan server.SessionStatus, func()) {
	return make(chan server.SessionStatus), func() {}
}

// TestStreamCaps: at most 8 live streams per session (here: per client,
// the install being open on loopback) and 64 in all; beyond, 429.
func TestStreamCaps(t *testing.T) {
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", TrustedProxies: []string{"127.0.0.1"}}
	srv, err := server.New(server.Deps{Config: cfg, Store: testdb.SQLite(t), WhatsApp: idleWhatsApp{}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close) // after the deferred cancels: the streams end first
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	open := func(client string) int {
		req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/whatsapp/events", nil)
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return resp.StatusCode
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer resp.Body.Close()
			buf := make([]byte, 512)
			for {
				if _, err := resp.Body.Read(buf); err != nil {
					return
				}
			}
		}()
		return resp.StatusCode
	}
	for i := 0; i < 8; i++ {
		if code := open("192.0.2.1"); code != http.StatusOK {
			t.Fatalf("stream %d of one client: %d", i+1, code)
		}
	}
	if code := open("192.0.2.1"); code != http.StatusTooManyRequests {
		t.Fatalf("9th stream of one client: %d", code)
	}
	for c := 2; c <= 8; c++ {
		for i := 0; i < 8; i++ {
			if code := open(fmt.Sprintf("192.0.2.%d", c)); code != http.StatusOK {
				t.Fatalf("client %d stream %d: %d", c, i+1, code)
			}
		}
	}
	if code := open("192.0.2.99"); code != http.StatusTooManyRequests {
		t.Fatalf("65th stream in all: %d", code)
	}
	// Streams that end free their place.
	cancel()
	wg.Wait()
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	ctx = ctx2
	deadline := time.Now().Add(5 * time.Second)
	for open("192.0.2.1") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("closed streams still count")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
