package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestCrossOriginPostIsRejected(t *testing.T) {
	ts := newTestServer(t, nil, nil)
	form := url.Values{"name": {"Injected"}}.Encode()
	for _, tc := range []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"cross-site fetch metadata", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same-site other origin", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"Origin of another site", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"Origin with another port", map[string]string{"Origin": "http://sambad.test:9999"}, http.StatusForbidden},
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
		{"same Origin header", map[string]string{"Origin": "http://sambad.test"}, http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "http://sambad.test/groups", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			ts.h.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d", rec.Code, tc.want)
			}
		})
	}
	// Only the two same-origin posts created a group.
	groups, err := ts.store.ListGroups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 {
		t.Fatalf("%d groups exist; cross-origin posts must not create any (one same-origin post succeeds, the second is a duplicate)", len(groups))
	}
	// The login and setup forms are protected too (login CSRF).
	for _, path := range []string{"/login", "/setup", "/logout"} {
		req := httptest.NewRequest("POST", "http://sambad.test"+path, strings.NewReader("password=x"))
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		rec := httptest.NewRecorder()
		ts.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d", path, rec.Code)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t, map[string]string{"SAMBAD_PASSWORD": "correct horse"}, nil)
	for _, path := range []string{"/login", "/contacts", "/healthz", "/static/app.css", "/nowhere"} {
		rec := ts.do("GET", path, nil)
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(scriptSrc(csp), "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline script or eval: %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	// No page carries an inline script the CSP would have to allow.
	rec := ts.do("GET", "/login", nil)
	if strings.Contains(rec.Body.String(), "<script>") || strings.Contains(rec.Body.String(), " onclick=") {
		t.Errorf("login page has inline script")
	}
}

func scriptSrc(csp string) string {
	for _, d := range strings.Split(csp, ";") {
		if strings.HasPrefix(strings.TrimSpace(d), "script-src") {
			return d
		}
	}
	return ""
}
