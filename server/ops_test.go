package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
)

// testServer is a server on a real SQLite store with settings from env.
type testServer struct {
	*Server
	h http.Handler
}

// strongToken is an API token as `openssl rand -hex 32` makes one (start-up
// refuses short ones).
const strongToken = "f3b1c2d4e5a6978812345678abcdef0123456789abcdef0123456789abcdef01"

func newTestServer(t *testing.T, env map[string]string, limits *auth.Limits) *testServer {
	t.Helper()
	// The tests' requests name the host sambad.test.
	vals := map[string]string{"SAMBAD_DATA_DIR": t.TempDir(), "SAMBAD_ALLOWED_HOSTS": "sambad.test"}
	for k, v := range env {
		vals[k] = v
	}
	cfg, err := config.Load(nil, func(k string) (string, bool) { v, ok := vals[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	store := testdb.SQLite(t)
	var limiter *auth.Limiter
	if limits != nil {
		limiter = auth.NewLimiter(*limits)
	}
	a, err := auth.New(context.Background(), store, limiter)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.ApplyConfigPassword(context.Background(), cfg.Password); err != nil {
		t.Fatal(err)
	}
	s, err := New(Deps{Config: cfg, Store: store, Auth: a})
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{Server: s, h: s.Handler()}
}

// do sends a request as a same-origin browser would.
func (ts *testServer) do(method, target string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, "http://sambad.test"+target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method != http.MethodGet {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	return rec
}

func sessionFrom(t *testing.T, rec *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no session cookie in response %d (headers %v)", rec.Code, rec.Header())
	return nil
}

// concretePath fills route parameters with a valid id.
func concretePath(p string) string {
	parts := strings.Split(p, "/")
	for i, seg := range parts {
		if strings.HasPrefix(seg, ":") || strings.HasPrefix(seg, "*") {
			parts[i] = "0193b2c4-7d1e-7a4b-9c3d-123456789012"
		}
	}
	return strings.Join(parts, "/")
}

func TestEveryPageRedirectsToLoginWhenAPasswordIsSet(t *testing.T) {
	ts := newTestServer(t, map[string]string{"SAMBAD_PASSWORD": "correct horse"}, nil)
	checked := 0
	for _, r := range ts.router.Routes() {
		path := concretePath(r.Path)
		if publicPath(path) || strings.HasPrefix(path, "/static") || r.Method == http.MethodHead {
			continue
		}
		rec := ts.do(r.Method, path, url.Values{})
		if strings.HasPrefix(path, "/api/") {
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s %s without a session: %d, want 401", r.Method, path, rec.Code)
			}
			continue
		}
		loc := rec.Header().Get("Location")
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Errorf("%s %s without a session: %d Location %q, want 303 to /login", r.Method, path, rec.Code, loc)
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d routes checked", checked)
	}
	// An unknown address does not reveal that it does not exist.
	if rec := ts.do("GET", "/no/such/page", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("unknown page: %d", rec.Code)
	}
	// htmx requests get HX-Redirect rather than a login page swapped into a fragment.
	req := httptest.NewRequest("GET", "http://sambad.test/contacts", nil)
	req.Header.Set("HX-Request", "true")
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized || !strings.HasPrefix(rec.Header().Get("HX-Redirect"), "/login") {
		t.Errorf("htmx request: %d %v", rec.Code, rec.Header())
	}

	// Signing in opens the pages and remembers where the user was going.
	rec = ts.do("GET", "/groups?x=1", nil)
	next, _ := url.Parse(rec.Header().Get("Location"))
	rec = ts.do("POST", "/login", url.Values{"password": {"correct horse"}, "next": {next.Query().Get("next")}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/groups?x=1" {
		t.Fatalf("login: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	sess := sessionFrom(t, rec)
	if !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Secure {
		t.Errorf("session cookie over plain HTTP: HttpOnly=%v SameSite=%v Secure=%v", sess.HttpOnly, sess.SameSite, sess.Secure)
	}
	rec = ts.do("GET", "/contacts", nil, sess)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `action="/logout"`) {
		t.Fatalf("signed-in page: %d (sign-out button shown: %v)", rec.Code, strings.Contains(rec.Body.String(), "/logout"))
	}
	if rec := ts.do("GET", "/api/v1/contacts", nil, sess); rec.Code != http.StatusOK {
		t.Errorf("API with a session: %d", rec.Code)
	}
	// Sign out ends the session on the server, not only in this browser.
	rec = ts.do("POST", "/logout", url.Values{}, sess)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", rec.Code)
	}
	if rec := ts.do("GET", "/contacts", nil, sess); rec.Code != http.StatusSeeOther {
		t.Errorf("old cookie after sign-out: %d", rec.Code)
	}
	// The next parameter never leads off the site.
	for _, evil := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		rec := ts.do("POST", "/login", url.Values{"password": {"correct horse"}, "next": {evil}})
		if loc := rec.Header().Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q", evil, loc)
		}
	}
}

func TestLoginRateLimit(t *testing.T) {
	ts := newTestServer(t, map[string]string{"SAMBAD_PASSWORD": "correct horse"}, &auth.Limits{PerClient: 3, Global: 100, Window: 60e9})
	for i := range 3 {
		if rec := ts.do("POST", "/login", url.Values{"password": {"guess"}}); rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Wrong password") {
			t.Fatalf("attempt %d: %d", i+1, rec.Code)
		}
	}
	// The right password is refused too while limited: guessing cannot continue.
	rec := ts.do("POST", "/login", url.Values{"password": {"correct horse"}})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("4th attempt: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if body := rec.Body.String(); !strings.Contains(body, "Too many sign-in attempts. Try again in ") || !strings.Contains(body, " s.") {
		t.Fatalf("rate-limit page does not say when to retry:\n%s", body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			t.Fatal("a session was issued while rate limited")
		}
	}
}

func TestSetupOnFirstRun(t *testing.T) {
	ts := newTestServer(t, nil, nil)
	// Loopback, no password: pages are open, the login page leads to setup.
	if rec := ts.do("GET", "/contacts", nil); rec.Code != http.StatusOK {
		t.Fatalf("open local install: %d", rec.Code)
	}
	if rec := ts.do("GET", "/api/v1/contacts", nil); rec.Code != http.StatusOK {
		t.Fatalf("open local API: %d", rec.Code)
	}
	if rec := ts.do("GET", "/login", nil); rec.Header().Get("Location") != "/setup" {
		t.Fatalf("login without a password: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := ts.do("POST", "/setup", url.Values{"password": {"short"}, "confirm": {"short"}}); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "at least 8 characters") {
		t.Fatalf("short password: %d", rec.Code)
	}
	rec := ts.do("POST", "/setup", url.Values{"password": {"a good password"}, "confirm": {"a good password"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("setup: %d", rec.Code)
	}
	sess := sessionFrom(t, rec)
	if rec := ts.do("GET", "/contacts", nil, sess); rec.Code != http.StatusOK {
		t.Fatalf("after setup: %d", rec.Code)
	}
	if rec := ts.do("GET", "/contacts", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("another browser after setup: %d", rec.Code)
	}
	// Setup cannot be run again to take over.
	if rec := ts.do("POST", "/setup", url.Values{"password": {"attacker pass"}, "confirm": {"attacker pass"}}); rec.Header().Get("Location") != "/login" {
		t.Fatalf("second setup: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := ts.do("POST", "/login", url.Values{"password": {"attacker pass"}}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("second setup changed the password: %d", rec.Code)
	}
	// Without a token the API wants a session once a password is set.
	if rec := ts.do("GET", "/api/v1/contacts", nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("API after setup, no session: %d", rec.Code)
	}
}

func TestAPIToken(t *testing.T) {
	ts := newTestServer(t, map[string]string{"SAMBAD_API_TOKEN": strongToken, "SAMBAD_PASSWORD": "correct horse"}, nil)
	for _, tc := range []struct {
		auth string
		want int
	}{{"", 401}, {"Bearer nope", 401}, {"Bearer " + strongToken, 200}} {
		req := httptest.NewRequest("GET", "http://sambad.test/api/v1/contacts", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		rec := httptest.NewRecorder()
		ts.h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("Authorization %q: %d, want %d", tc.auth, rec.Code, tc.want)
		}
	}
}

func TestSecureCookieBehindTrustedProxy(t *testing.T) {
	ts := newTestServer(t, map[string]string{"SAMBAD_PASSWORD": "correct horse", "SAMBAD_TRUSTED_PROXIES": "10.0.0.0/8"}, nil)
	login := func(remote string) *http.Cookie {
		req := httptest.NewRequest("POST", "http://sambad.test/login", strings.NewReader("password=correct+horse"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("X-Forwarded-Proto", "https")
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		ts.h.ServeHTTP(rec, req)
		return sessionFrom(t, rec)
	}
	if c := login("10.1.2.3:4000"); !c.Secure {
		t.Error("HTTPS through a trusted proxy: cookie not Secure")
	}
	if c := login("192.0.2.7:4000"); c.Secure {
		t.Error("X-Forwarded-Proto from an untrusted peer was believed")
	}
}

func TestNeverOpenBeyondLoopback(t *testing.T) {
	// Start-up refuses this configuration; the server still never serves it open.
	ts := newTestServer(t, map[string]string{"SAMBAD_ADDR": "0.0.0.0:8080"}, nil)
	if rec := ts.do("GET", "/contacts", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("page beyond loopback without a password: %d", rec.Code)
	}
	if rec := ts.do("GET", "/api/v1/contacts", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("API beyond loopback without a password or token: %d", rec.Code)
	}
}
