package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/server"
	"github.com/sambad/sambad/settings"
)

func TestSettingsPage(t *testing.T) {
	s := testdb.SQLite(t)
	f := newFixture(t, s, 0)
	post := func(v url.Values) (int, string) {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(f.url+"/settings", v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// Bad values: each named, nothing saved.
	code, body := post(url.Values{"default_region": {"XQ"}, "time_zone": {"Mars/Olympus"}, "daily_cap": {"-3"}, "quiet_start": {"21:00"}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("bad settings: %d", code)
	}
	for _, want := range []string{`XQ&#34; is not a region code`, `Olympus&#34; is not a time zone`, "from 0 to 100000", "both ends of the quiet hours", `value="Mars/Olympus"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form does not say %q", want)
		}
	}
	if stored, _ := s.Settings(t.Context()); len(stored) != 0 {
		t.Fatalf("a rejected form saved %v", stored)
	}
	code, _ = post(url.Values{"default_region": {"gb"}, "pacing_preset": {"long"}, "daily_cap": {"250"}, "quiet_start": {"21:00"}, "quiet_end": {"8:30"}, "backup_keep": {"3"}})
	if code != http.StatusSeeOther {
		t.Fatalf("good settings: %d", code)
	}
	stored, _ := s.Settings(t.Context())
	if stored["default_region"] != "GB" || stored["quiet_end"] != "08:30" || stored["backup_keep"] != "3" {
		t.Fatalf("stored %v", stored)
	}
	// A new campaign starts from the defaults.
	_, form := fetchPage(t, f.url+"/campaigns/new")
	for _, want := range []string{`<option value="long" selected`, `name="daily_cap" value="250"`, `name="quiet_start" value="21:00"`, `name="quiet_end" value="08:30"`} {
		if !strings.Contains(form, want) {
			t.Errorf("the new campaign form lacks %q", want)
		}
	}
	_, page := fetchPage(t, f.url+"/settings")
	if !strings.Contains(page, "applies at the next start") {
		t.Error("the page does not say the region applies at the next start")
	}
}

func TestSettingsLockedByEnvironment(t *testing.T) {
	s := testdb.SQLite(t)
	env := map[string]string{"SAMBAD_TIMEZONE": "Asia/Kolkata"}
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": t.TempDir()}, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	s.SaveSettings(t.Context(), map[string]string{"time_zone": "Europe/London", "default_region": "GB", "backup_keep": "2"})
	if err := settings.Apply(t.Context(), cfg, s); err != nil {
		t.Fatal(err)
	}
	if cfg.TimeZone != "Asia/Kolkata" || cfg.DefaultRegion != "GB" || cfg.BackupKeep != 2 {
		t.Fatalf("after Apply: zone %s region %s keep %d", cfg.TimeZone, cfg.DefaultRegion, cfg.BackupKeep)
	}
	srv, err := server.New(server.Deps{Config: cfg, Store: s})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	_, page := fetchPage(t, hs.URL+"/settings")
	if !strings.Contains(page, "set by SAMBAD_TIMEZONE") || !strings.Contains(page, `value="Asia/Kolkata" disabled`) {
		t.Fatalf("the time zone is not shown locked:\n%s", page)
	}
	// A locked setting cannot be changed through the form.
	resp, _ := http.PostForm(hs.URL+"/settings", url.Values{"time_zone": {"UTC"}, "default_region": {"GB"}})
	resp.Body.Close()
	if stored, _ := s.Settings(t.Context()); stored["time_zone"] != "Europe/London" {
		t.Fatalf("the form changed a locked setting: %v", stored)
	}
}
