package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/numbercheck"
	"github.com/sambad/sambad/server"
)

// gatedChecker answers from a table once let through by gate (one value
// per check), so a page can be caught with a job half done. The real
// driver's checks are tested in whatsapp/number_check_test.go, with
// Chromium and the simulator.
type gatedChecker struct {
	mu   sync.Mutex
	off  map[string]bool
	gate chan struct{}
}

func (g *gatedChecker) Check(ctx context.Context, _, phone string) (bool, error) {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.off[phone], nil
}

func (g *gatedChecker) ValidAccount(_ context.Context, id string) error {
	if id == "" || id == "default" {
		return nil
	}
	return fmt.Errorf("account_id %q: %w", id, numbercheck.ErrUnknownAccount)
}

func (g *gatedChecker) NotReadyReason(string) string { return "the phone is offline" }

// newCheckSite is newSite with a running number checker.
func newCheckSite(t *testing.T, minDelay time.Duration) (*site, *gatedChecker) {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1, APIToken: strongToken}
	store := testdb.SQLite(t)
	g := &gatedChecker{off: map[string]bool{}, gate: make(chan struct{})}
	r := numbercheck.New(numbercheck.Options{Store: store, Checker: g, MinDelay: minDelay, IdlePoll: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	srv, err := server.New(server.Deps{Config: cfg, Store: store, NumberChecks: r})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &site{t: t, url: ts.URL, cfg: cfg, store: store, c: c, token: strongToken}, g
}

type checkReply struct {
	Check   models.NumberCheck       `json:"check"`
	Done    int                      `json:"done"`
	Results []models.NumberCheckItem `json:"results"`
}

// The API: numbers and contact ids in, a job out; GET follows it to the
// end; the contacts API filters by the result; bad input gets a message.
func TestAPINumberCheck(t *testing.T) {
	s, g := newCheckSite(t, -1)
	a := s.contact("9876543210", "Asha")
	b := s.contact("9876543211", "Bela")
	g.off["+919876543211"] = true
	g.off["+14155550100"] = true

	for _, tc := range []struct {
		body any
		code int
		want string
	}{
		{map[string]any{}, 422, "at least one number"},
		{map[string]any{"numbers": []string{"12ab"}}, 422, "numbers[0]"},
		{map[string]any{"contact_ids": []string{models.NewID()}}, 422, "not contacts"},
		{map[string]any{"numbers": []string{"+14155550100"}, "account_id": "other"}, 422, "no such WhatsApp account"},
		{map[string]any{"numbers": []string{"+14155550100"}, "pacing": map[string]any{"preset": "nope"}}, 422, "not a preset"},
		{map[string]any{"numbers": make([]string, 1001)}, 422, "at most 1000"},
		{map[string]any{"numberz": []string{}}, 400, "unknown field"},
	} {
		r := s.api("POST", "/api/v1/numbers/check", tc.body)
		if r.status != tc.code || !strings.Contains(r.body, tc.want) || !strings.HasPrefix(r.body, `{"error":`) {
			t.Errorf("POST %v = %d %s, want %d with %q", tc.body, r.status, r.body, tc.code, tc.want)
		}
	}

	r := s.api("POST", "/api/v1/numbers/check", map[string]any{"numbers": []string{"+1 415 555 0100", "+919876543210"},
		"contact_ids": []string{a.ID, b.ID}, "account_id": "default", "pacing": map[string]any{"preset": "custom", "min_delay_ms": 1, "max_delay_ms": 2}})
	if r.status != http.StatusAccepted {
		t.Fatalf("POST = %d %s", r.status, r.body)
	}
	var job models.NumberCheck
	r.json(t, &job)
	// Asha's number was given twice (as a number and as a contact): once.
	if job.Total != 3 || job.State != models.NumberCheckQueued || r.header.Get("Location") != "/api/v1/numbers/check/"+job.ID {
		t.Fatalf("job = %+v, Location %q", job, r.header.Get("Location"))
	}
	for range 3 {
		g.gate <- struct{}{}
	}
	var got checkReply
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.get("/api/v1/numbers/check/"+job.ID).json(t, &got)
		if got.Check.State == models.NumberCheckDone || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got.Check.State != models.NumberCheckDone || got.Done != 3 || got.Check.Counts.OnWhatsApp != 1 || got.Check.Counts.NotOnWhatsApp != 2 || len(got.Results) != 3 {
		t.Fatalf("finished job = %+v", got)
	}
	var page struct {
		Items []models.Contact `json:"items"`
		Total int              `json:"total"`
	}
	s.get("/api/v1/contacts?on_whatsapp=false").json(t, &page)
	if page.Total != 1 || page.Items[0].ID != b.ID || page.Items[0].OnWhatsApp == nil || *page.Items[0].OnWhatsApp || page.Items[0].OnWhatsAppCheckedAt == nil {
		t.Fatalf("contacts not on WhatsApp = %+v", page)
	}
	if r := s.get("/api/v1/contacts?on_whatsapp=maybe"); r.status != 400 || !strings.Contains(r.body, "true, false or unknown") {
		t.Fatalf("bad filter = %d %s", r.status, r.body)
	}
	if r := s.get("/api/v1/contacts/export.csv?on_whatsapp=true"); r.status != 200 || !strings.Contains(r.body, "on_whatsapp,on_whatsapp_checked_at") ||
		!strings.Contains(r.body, "+919876543210,Asha,") || strings.Contains(r.body, "Bela") {
		t.Fatalf("export of contacts on WhatsApp = %d %s", r.status, r.body)
	}
	if r := s.api("POST", "/api/v1/numbers/check/"+job.ID+"/cancel", nil); r.status != 409 || !strings.Contains(r.body, "done already") {
		t.Fatalf("cancel of a done job = %d %s", r.status, r.body)
	}
	if r := s.get("/api/v1/numbers/check/" + models.NewID()); r.status != 404 {
		t.Fatalf("unknown job = %d", r.status)
	}
}

// Without a number checker (SAMBAD_NO_BROWSER builds have one that waits;
// a server built without one) the routes say so.
func TestNumberCheckUnavailable(t *testing.T) {
	s := newSite(t, strongToken)
	if r := s.api("POST", "/api/v1/numbers/check", map[string]any{"numbers": []string{"+14155550100"}}); r.status != 503 || !strings.Contains(r.body, "not running") {
		t.Fatalf("POST without a checker = %d %s", r.status, r.body)
	}
}
