package server_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// memSender records every message; numbers in invalid are not on WhatsApp.
type memSender struct {
	mu      sync.Mutex
	sent    map[string][]string
	invalid map[string]bool
	failed  map[string]string // phone → the reason WhatsApp gave
	n       int
	down    atomic.Bool // WhatsApp not connected
}

func (m *memSender) Ready() bool { return !m.down.Load() }
func (m *memSender) SendText(_ context.Context, phone, text string) (campaign.SendResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.invalid[phone] {
		return campaign.SendResult{Status: campaign.StatusInvalidNumber}, nil
	}
	if reason, ok := m.failed[phone]; ok {
		return campaign.SendResult{Status: campaign.StatusFailed, Reason: reason}, nil
	}
	m.n++
	m.sent[phone] = append(m.sent[phone], text)
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: fmt.Sprintf("m%d", m.n)}, nil
}
func (m *memSender) RecentOutgoing(_ context.Context, phone string, _ int) ([]campaign.OutgoingMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []campaign.OutgoingMessage
	for _, t := range m.sent[phone] {
		out = append(out, campaign.OutgoingMessage{Text: t})
	}
	return out, nil
}

type fixture struct {
	url    string
	store  *models.Store
	engine *campaign.Engine
	sender *memSender
	group  *models.Group
	// handler is the server's handler, for tests that serve it their own way.
	handler http.Handler
}

func newFixture(t testing.TB, s *models.Store, n int) *fixture {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": t.TempDir()}, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	snd := &memSender{sent: map[string][]string{}, invalid: map[string]bool{}}
	e := campaign.New(campaign.Options{Store: s, Sender: snd, IdlePoll: 10 * time.Millisecond, Location: cfg.Location()})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { e.Run(runCtx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	srv, err := server.New(server.Deps{Config: cfg, Store: s, Campaigns: e})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	g, err := s.CreateGroup(ctx, "Customers")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < n; i++ {
		var c models.Contact
		name := fmt.Sprintf("Person %d", i)
		if i == 0 {
			name = "=HYPERLINK(\"http://evil\")"
		}
		models.ContactInput{Phone: fmt.Sprintf("+1415%07d", 3000000+i), Name: name, Attributes: map[string]string{"city": "Pune"}}.Apply(&c, "US")
		if err := s.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	s.AddMembers(ctx, g.ID, ids)
	return &fixture{url: hs.URL, store: s, engine: e, sender: snd, group: g, handler: srv.Handler()}
}

func (f *fixture) do(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, f.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestCampaignAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s, 40)
		f.sender.invalid["+14153000007"] = true
		// A template mistake is refused with its position.
		code, out := f.do(t, "POST", "/api/v1/campaigns", `{"name":"x","template":"Hi {{name}} {{cty}}","group_ids":["`+f.group.ID+`"]}`)
		if code != 422 || out["line"] != float64(1) || out["column"] != float64(13) || !strings.Contains(out["error"].(string), "cty") {
			t.Fatalf("unknown variable: %d %v", code, out)
		}
		code, out = f.do(t, "POST", "/api/v1/campaigns", `{"name":"x","template":"{Hi|Hello {{name}}","group_ids":["`+f.group.ID+`"]}`)
		if code != 422 || !strings.Contains(out["error"].(string), "never closed") {
			t.Fatalf("unbalanced: %d %v", code, out)
		}
		code, out = f.do(t, "POST", "/api/v1/campaigns", `{"name":"Launch","template":"{Hi|Hello} {{name}} from {{city}}","group_ids":["`+f.group.ID+`"],"pacing":{"min_delay_ms":0,"max_delay_ms":1}}`)
		if code != 201 || out["state"] != "draft" {
			t.Fatalf("create: %d %v", code, out)
		}
		id := out["id"].(string)
		code, out = f.do(t, "POST", "/api/v1/campaigns/"+id+"/pause", "")
		if code != 409 {
			t.Fatalf("pause a draft: %d %v", code, out)
		}
		code, out = f.do(t, "POST", "/api/v1/campaigns/"+id+"/start", "")
		if code != 200 || out["state"] != "running" || out["total"] != float64(40) {
			t.Fatalf("start: %d %v", code, out)
		}
		deadline := time.Now().Add(20 * time.Second)
		for out["state"] != "completed" {
			if time.Now().After(deadline) {
				t.Fatalf("not completed: %v", out)
			}
			time.Sleep(20 * time.Millisecond)
			_, out = f.do(t, "GET", "/api/v1/campaigns/"+id, "")
		}
		counts := out["counts"].(map[string]any)
		if counts["sent"] != float64(39) || counts["invalid_number"] != float64(1) || counts["pending"] != float64(0) {
			t.Fatalf("counts %v", counts)
		}
		for phone, texts := range f.sender.sent {
			if len(texts) != 1 || !strings.HasSuffix(texts[0], " from Pune") {
				t.Fatalf("%s got %q", phone, texts)
			}
		}
		code, out = f.do(t, "GET", "/api/v1/campaigns/"+id+"/recipients?state=invalid_number", "")
		if code != 200 || out["total"] != float64(1) {
			t.Fatalf("recipients: %d %v", code, out)
		}
		code, _ = f.do(t, "GET", "/api/v1/campaigns/"+id+"/recipients?state=bogus", "")
		if code != 400 {
			t.Fatalf("bad state filter: %d", code)
		}

		// CSV: every recipient, formula-looking cells neutralised.
		resp, err := http.Get(f.url + "/api/v1/campaigns/" + id + "/report.csv")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(resp.Body).ReadAll()
		resp.Body.Close()
		if err != nil || len(rows) != 41 || rows[0][2] != "phone" {
			t.Fatalf("csv: %d rows, %v", len(rows), err)
		}
		e164 := regexp.MustCompile(`^\+[0-9]{8,15}$`)
		for _, r := range rows[1:] {
			for i, cell := range r {
				if i == 2 {
					if !e164.MatchString(cell) {
						t.Fatalf("phone cell %q is not E.164", cell)
					}
					continue
				}
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Fatalf("cell %q can be read as a formula", cell)
				}
			}
		}
		if rows[1][1] != `'=HYPERLINK("http://evil")` || rows[1][2] != "+14153000000" {
			t.Fatalf("first row %q", rows[1])
		}
		resp, _ = http.Get(f.url + "/campaigns/" + id + "/report.csv?only=failed")
		rows, _ = csv.NewReader(resp.Body).ReadAll()
		resp.Body.Close()
		if len(rows) != 2 || rows[1][3] != "invalid_number" {
			t.Fatalf("failures csv %q", rows)
		}
		resp, _ = http.Get(f.url + "/campaigns/" + id + "/report.xlsx")
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		x, err := excelize.OpenReader(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		xrows, _ := x.GetRows("Sheet1")
		if len(xrows) != 41 || xrows[1][1] != `'=HYPERLINK("http://evil")` {
			t.Fatalf("xlsx %d rows, first %q", len(xrows), xrows[1])
		}
	})
}

func TestCampaignPages(t *testing.T) {
	f := newFixture(t, testdb.SQLite(t), 12)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"name": {"Diwali"}, "template": {"Hi {{name}}, {{v1|friend}}"}, "group_ids": {f.group.ID}, "preset": {"custom"}, "min_delay": {"0"}, "max_delay": {"0.01"}}
	resp, err := client.PostForm(f.url+"/campaigns", form)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %v %v", resp.Status, err)
	}
	loc := resp.Header.Get("Location")
	id := strings.TrimPrefix(loc, "/campaigns/")
	get := func(path string) string {
		resp, err := http.Get(f.url + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp.Status, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return string(b)
	}
	draft := get(loc)
	if !strings.Contains(draft, `<div class="wa-bubble">Hi `) || !strings.Contains(draft, ", friend") || !strings.Contains(draft, "Start now") {
		t.Fatal("draft page lacks the preview")
	}
	bad := url.Values{"name": {"x"}, "template": {"Hi {{name}\nnext"}, "group_ids": {f.group.ID}}
	resp, _ = client.PostForm(f.url+"/campaigns", bad)
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 422 || !strings.Contains(string(b), "Line 1, column 4") {
		t.Fatalf("bad template: %d", resp.StatusCode)
	}
	if resp, _ := client.PostForm(f.url+loc+"/start", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %s", resp.Status)
	}
	// The monitor streams over SSE.
	resp, err = http.Get(f.url + loc + "/events")
	if err != nil || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %v", err)
	}
	sc := bufio.NewScanner(resp.Body)
	sawEvent, sawBar := false, false
	for i := 0; i < 200 && sc.Scan() && !(sawEvent && sawBar); i++ {
		sawEvent = sawEvent || sc.Text() == "event: monitor"
		sawBar = sawBar || strings.Contains(sc.Text(), `class="progress big"`)
	}
	resp.Body.Close()
	if !sawEvent || !sawBar {
		t.Fatal("no monitor event")
	}
	deadline := time.Now().Add(20 * time.Second)
	for c, _ := f.store.GetCampaign(context.Background(), id); c.State != "completed"; c, _ = f.store.GetCampaign(context.Background(), id) {
		if time.Now().After(deadline) {
			t.Fatal("not completed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for path, want := range map[string]string{
		"/campaigns": "Diwali", loc: "</strong> of 12 done", loc + "/report": "Delivery chart", loc + "/recipients?state=sent": "Page 1 of 1",
		"/campaigns/new": "Delay between messages",
	} {
		if page := get(path); !strings.Contains(page, want) {
			t.Errorf("%s lacks %q", path, want)
		}
	}
	// The report shows the send ledger: one message per recipient sent.
	k, err := f.store.CountStates(context.Background(), id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("The send ledger records %d message", k.Sent()); k.Sent() == 0 || !strings.Contains(get(loc+"/report"), want) {
		t.Errorf("the report lacks %q", want)
	}
	if os.Getenv("SAMBAD_SCREENSHOT_HOLD") != "" {
		fmt.Println("serving at", f.url, "campaign", id)
		time.Sleep(5 * time.Minute)
	}
}

// SendFile sends a file as its caption, for tests that do not look at files.
func (s *memSender) SendFile(ctx context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	return s.SendText(ctx, phone, f.Caption)
}
