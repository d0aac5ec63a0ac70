package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/server"
)

// hostRequest sends a request with the given Host header.
func (s *site) hostRequest(method, path, host, contentType, body string) reply {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Host = host
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	// What a rebinding page sends: its own origin, which matches its Host.
	req.Header.Set("Origin", "http://"+host)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

// TestDNSRebindingIsRefused: a page on evil.example whose name resolves to
// 127.0.0.1 cannot read contacts, download the export, set the password or
// call the API of a fresh (password-less, loopback) install; the names and
// addresses Sambad is served as still work, health checks included.
func TestDNSRebindingIsRefused(t *testing.T) {
	s := newSiteWith(t, "", func(c *config.Config) { c.AllowedHosts = []string{"sambad.lan"} })
	s.contact("9876543210", "Asha")
	for _, tc := range []struct{ method, path, ctype, body string }{
		{"GET", "/contacts", "", ""},
		{"GET", "/contacts/export.csv", "", ""},
		{"GET", "/setup", "", ""},
		{"POST", "/setup", "application/x-www-form-urlencoded", "password=attacker-pass&confirm=attacker-pass"},
		{"POST", "/groups", "application/x-www-form-urlencoded", "name=pwned"},
		{"GET", "/api/v1/contacts", "", ""},
		{"GET", "/healthz", "", ""},
	} {
		for _, host := range []string{"evil.example", "evil.example:8080", "localhost.evil.example"} {
			r := s.hostRequest(tc.method, tc.path, host, tc.ctype, tc.body)
			if r.status != http.StatusMisdirectedRequest || !strings.Contains(r.body, "SAMBAD_ALLOWED_HOSTS") || strings.Contains(r.body, "Asha") {
				t.Fatalf("%s %s with Host %s: %d %q; want 421 naming SAMBAD_ALLOWED_HOSTS", tc.method, tc.path, host, r.status, r.body)
			}
		}
	}
	if groups, _ := s.store.ListGroups(t.Context()); len(groups) != 0 {
		t.Fatalf("a refused request created a group: %+v", groups)
	}
	if r := s.get("/setup"); r.status != http.StatusOK {
		t.Fatalf("the refused POST /setup set a password: GET /setup answers %d", r.status)
	}
	for _, host := range []string{"localhost", "localhost:8080", "LOCALHOST.:8080", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080", "192.168.1.20:8080", "sambad.lan", "Sambad.LAN:443"} {
		r := s.hostRequest("GET", "/contacts", host, "", "")
		if r.status != http.StatusOK || !strings.Contains(r.body, "Asha") {
			t.Fatalf("GET /contacts with Host %s: %d", host, r.status)
		}
		if r := s.hostRequest("GET", "/healthz", host, "", ""); r.status != http.StatusOK {
			t.Fatalf("GET /healthz with Host %s: %d", host, r.status)
		}
	}
}

// TestCloudUnreachableChecksHost: the page served while the cloud database
// opens checks the Host too.
func TestCloudUnreachableChecksHost(t *testing.T) {
	s := newSite(t, "")
	h, err := server.NewCloudUnreachable(s.cfg, func() server.CloudStatus { return server.CloudStatus{Host: "db.internal:5432"} })
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "/readyz", nil)
	req.Host = "evil.example"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusMisdirectedRequest || strings.Contains(w.Body.String(), "db.internal") {
		t.Fatalf("readyz with Host evil.example: %d %s", w.Code, w.Body)
	}
}

// TestCloudDetailsOnlyOnLoopback: while the cloud database is out of reach,
// its host, port and the driver's reason are shown to a browser on this
// machine only.
func TestCloudDetailsOnlyOnLoopback(t *testing.T) {
	cfg := &config.Config{Addr: "0.0.0.0:8080", TrustedProxies: []string{"127.0.0.1", "::1"}}
	h, err := server.NewCloudUnreachable(cfg, func() server.CloudStatus {
		return server.CloudStatus{Host: "db.internal:5432", Reason: "dial tcp 10.0.0.5:5432: connection refused", Attempts: 3}
	})
	if err != nil {
		t.Fatal(err)
	}
	// A remote client behind a local reverse proxy cannot pass for loopback.
	req := httptest.NewRequest("GET", "http://192.0.2.1:8080/readyz", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	req.Header.Set("X-Forwarded-For", "127.0.0.1, 203.0.113.5")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if strings.Contains(w.Body.String(), "db.internal") {
		t.Fatalf("a spoofed X-Forwarded-For read the details: %s", w.Body)
	}
	for _, path := range []string{"/contacts", "/readyz", "/api/v1/contacts"} {
		for remote, shown := range map[string]bool{"192.0.2.5:40000": false, "127.0.0.1:40000": true, "[::1]:40000": true} {
			req := httptest.NewRequest("GET", "http://192.0.2.1:8080"+path, nil)
			req.RemoteAddr = remote
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			body := w.Body.String()
			has := strings.Contains(body, "db.internal") && strings.Contains(body, "10.0.0.5")
			leaks := strings.Contains(body, "db.internal") || strings.Contains(body, "5432") || strings.Contains(body, "10.0.0.5")
			if w.Code != http.StatusServiceUnavailable || (shown && !has) || (!shown && leaks) {
				t.Fatalf("%s from %s: %d, details shown %v (want %v):\n%s", path, remote, w.Code, has || leaks, shown, body)
			}
		}
	}
}
