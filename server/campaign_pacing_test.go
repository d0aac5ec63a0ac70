package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
)

// TestCustomPacingNeedsItsDelays: custom pacing left empty used to save as
// "0–0 s between messages". Now empty (form) or zero (form and API) delays
// are refused with a clear message and nothing is saved; a delay under 1 s
// is allowed but warned about on the form and on the campaign's pages.
func TestCustomPacingNeedsItsDelays(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, testdb.SQLite(t), 3)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(v url.Values) (int, string, string) {
		t.Helper()
		resp, err := client.PostForm(f.url+"/campaigns", v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(b)
	}
	form := func(min, max string) url.Values {
		return url.Values{"name": {"Pacing"}, "template": {"Hi {{name}}"}, "group_ids": {f.group.ID}, "preset": {"custom"}, "min_delay": {min}, "max_delay": {max}}
	}
	for _, tc := range []struct{ min, max, want string }{
		{"", "", "Custom pacing needs both delays"},
		{"5", "", "Custom pacing needs both delays"},
		{"", "  ", "Custom pacing needs both delays"},
		{"0", "0", "custom pacing needs its delays"},
	} {
		code, _, body := post(form(tc.min, tc.max))
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("custom %q–%q: %d, message shown %v", tc.min, tc.max, code, strings.Contains(body, tc.want))
		}
	}
	if cs, _ := f.store.ListCampaigns(ctx, 100); len(cs) != 0 {
		t.Fatalf("refused forms saved %d campaigns", len(cs))
	}

	code, body := f.doRaw(t, "POST", "/api/v1/campaigns", `{"name":"API","template":"Hi {{name}}","group_ids":["`+f.group.ID+`"],"pacing":{"preset":"custom"}}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "custom pacing needs its delays") {
		t.Fatalf("API custom pacing without delays: %d %s", code, body)
	}

	// Under a second: saved, and warned about.
	code, loc, _ := post(form("0.2", "0.5"))
	if code != http.StatusSeeOther {
		t.Fatalf("custom 0.2–0.5 s: %d", code)
	}
	resp, err := http.Get(f.url + loc)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "0.2–0.5 s between messages") || !strings.Contains(string(b), "data-fast-warning") {
		t.Fatal("the campaign page does not warn about a delay under 1 s")
	}
	resp, _ = http.Get(f.url + loc + "/edit")
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "data-fast-warning>") {
		t.Fatal("the edit form does not show the warning for a delay under 1 s")
	}
	code, body = f.doRaw(t, "POST", "/api/v1/campaigns", `{"name":"API","template":"Hi {{name}}","group_ids":["`+f.group.ID+`"],"pacing":{"preset":"custom","min_delay_ms":200,"max_delay_ms":500}}`)
	if code != http.StatusCreated {
		t.Fatalf("API custom 200–500 ms: %d %s", code, body)
	}
	resp, _ = http.Get(f.url + "/campaigns/new")
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "data-fast-warning hidden") {
		t.Fatal("the new campaign form warns before any delay is given")
	}
}

// doRaw sends a JSON request and returns the status and the raw body.
func (f *fixture) doRaw(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, f.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
