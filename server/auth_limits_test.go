package server

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
)

// from sends a request from the client address remote, with cookies.
func (ts *testServer) from(remote, method, target, bearer string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://sambad.test"+target, strings.NewReader(form.Encode()))
	req.RemoteAddr = remote
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	return rec
}

// TestWrongAPITokensAreThrottled: after 10 wrong tokens a minute a client
// gets 429 — even with the right token, which is then not compared — while
// other clients are unaffected; an IPv6 client counts by its /64; each
// wrong token is logged, masked.
func TestWrongAPITokensAreThrottled(t *testing.T) {
	var logs bytes.Buffer
	prev := logrus.StandardLogger().Out
	logrus.SetOutput(&logs)
	t.Cleanup(func() { logrus.SetOutput(prev) })
	ts := newTestServer(t, map[string]string{"SAMBAD_API_TOKEN": strongToken, "SAMBAD_PASSWORD": "correct horse"}, nil)
	for i := 0; i < 10; i++ {
		if rec := ts.from("192.0.2.10:5000", "GET", "/api/v1/contacts", fmt.Sprintf("guess-%03d", i), nil); rec.Code != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: %d", i+1, rec.Code)
		}
	}
	rec := ts.from("192.0.2.10:5000", "GET", "/api/v1/contacts", "guess-010", nil)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "too many wrong API tokens") {
		t.Fatalf("11th wrong token: %d %s", rec.Code, rec.Body)
	}
	if rec := ts.from("192.0.2.10:5000", "GET", "/api/v1/contacts", strongToken, nil); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("right token from a throttled client: %d (the guess would be confirmed)", rec.Code)
	}
	if rec := ts.from("192.0.2.11:5000", "GET", "/api/v1/contacts", strongToken, nil); rec.Code != http.StatusOK {
		t.Fatalf("right token from another client: %d", rec.Code)
	}
	for i := 1; i <= 11; i++ {
		rec = ts.from(fmt.Sprintf("[2001:db8:1:2::%x]:5000", i), "GET", "/api/v1/contacts", "guess", nil)
	}
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("11 addresses of one IPv6 /64: %d", rec.Code)
	}
	if n := strings.Count(logs.String(), "wrong API token"); n != 20 {
		t.Fatalf("%d log lines for 20 wrong tokens:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), "guess-") || strings.Contains(logs.String(), strongToken) {
		t.Fatalf("a token is in the log:\n%s", logs.String())
	}
}

// TestOwnerIsNotLockedOut: failures from many addresses use up the
// account-wide sign-in limit, yet the owner's browser (it signed in before)
// and a loopback browser still sign in with the right password; an unknown
// browser elsewhere still waits.
func TestOwnerIsNotLockedOut(t *testing.T) {
	ts := newTestServer(t, map[string]string{"SAMBAD_PASSWORD": "correct horse"}, nil)
	good := url.Values{"password": {"correct horse"}}
	rec := ts.from("198.51.100.7:4000", "POST", "/login", "", good)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d", rec.Code)
	}
	cookies := rec.Result().Cookies()
	for ip := 1; ip <= 10; ip++ {
		for i := 0; i < 5; i++ {
			ts.from(fmt.Sprintf("203.0.113.%d:4000", ip), "POST", "/login", "", url.Values{"password": {"guess"}})
		}
	}
	if rec := ts.from("203.0.113.99:4000", "POST", "/login", "", good); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("an unknown browser during the attack: %d (want the account-wide limit)", rec.Code)
	}
	if rec := ts.from("198.51.100.7:4000", "POST", "/login", "", good, cookies...); rec.Code != http.StatusSeeOther {
		t.Fatalf("the owner's browser during the attack: %d", rec.Code)
	}
	if rec := ts.from("127.0.0.1:4000", "POST", "/login", "", good); rec.Code != http.StatusSeeOther {
		t.Fatalf("a loopback browser during the attack: %d", rec.Code)
	}
	// The device cookie is tied to the password: forged or stale ones do not count.
	forged := &http.Cookie{Name: "sambad_device", Value: "AAAA.BBBB"}
	if rec := ts.from("198.51.100.8:4000", "POST", "/login", "", good, forged); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("a forged device cookie: %d", rec.Code)
	}
}
