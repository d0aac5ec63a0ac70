package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestNoPasswordNotice: a first run on loopback is open without a password;
// every page says so with a link to set one, until dismissed in that browser
// or a password is set.
func TestNoPasswordNotice(t *testing.T) {
	s := newSite(t, "")
	const notice = "This Sambad has no password"
	for _, path := range []string{"/contacts", "/groups", "/whatsapp"} {
		r := s.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, notice) || !strings.Contains(r.body, `<a href="/setup">Set a password</a>`) {
			t.Fatalf("%s: %d, notice shown %v", path, r.status, strings.Contains(r.body, notice))
		}
	}
	if r := s.get("/setup"); strings.Contains(r.body, notice) {
		t.Fatal("the setup page itself shows the notice")
	}
	req, _ := http.NewRequest("POST", s.url+"/notices/no-password/dismiss", nil)
	req.Header.Set("Referer", s.url+"/groups")
	resp, err := s.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != s.url+"/groups" {
		t.Fatalf("dismiss: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if r := s.get("/contacts"); r.status != http.StatusOK || strings.Contains(r.body, notice) {
		t.Fatalf("after dismissing: %d, notice shown %v", r.status, strings.Contains(r.body, notice))
	}

	// Another browser sees it until a password is set; then nobody does.
	other := newSite(t, "")
	if r := other.get("/contacts"); !strings.Contains(r.body, notice) {
		t.Fatal("a fresh browser does not see the notice")
	}
	if r := other.form("/setup", map[string][]string{"password": {"correct horse battery"}, "confirm": {"correct horse battery"}}); r.status != http.StatusSeeOther {
		t.Fatalf("setup: %d %s", r.status, r.body)
	}
	if r := other.get("/contacts"); r.status != http.StatusOK || strings.Contains(r.body, notice) {
		t.Fatalf("with a password set: %d, notice shown %v", r.status, strings.Contains(r.body, notice))
	}
}
