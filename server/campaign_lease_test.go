package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
	"github.com/sambad/sambad/syncer"
)

// slowSender takes 20 ms per message, so a campaign runs long enough to
// be looked at.
type slowSender struct{ memSender }

func (s *slowSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	time.Sleep(20 * time.Millisecond)
	return s.memSender.SendText(ctx, phone, text)
}

// leasedSite is one install in hybrid mode: an engine with a lease on the
// shared database, behind its own server.
func leasedSite(t *testing.T, s *models.Store, install string) (string, *campaign.Engine, *slowSender) {
	t.Helper()
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": t.TempDir()}, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	db, err := testdb.Gorm(s).DB()
	if err != nil {
		t.Fatal(err)
	}
	leases := syncer.NewLeases(func(context.Context) (*sql.DB, error) { return db, nil })
	snd := &slowSender{memSender{sent: map[string][]string{}, invalid: map[string]bool{}}}
	e := campaign.New(campaign.Options{Store: s, Sender: snd, IdlePoll: 10 * time.Millisecond, Location: cfg.Location(),
		Lease: leases.For(func() string { return install }, nil), LeaseTTL: 3 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	srv, err := server.New(server.Deps{Config: cfg, Store: s, Campaigns: e})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL, e, snd
}

func getBody(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %v %v", u, resp.Status, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestCampaignLeaseShown: in hybrid mode the monitor, the report and the
// API say which install sends a campaign, on the holder and elsewhere; in
// local mode the API has no lease.
func TestCampaignLeaseShown(t *testing.T) {
	ctx := context.Background()
	s := testdb.Postgres(t)
	urlA, engA, sndA := leasedSite(t, s, "install-a")
	urlB, _, sndB := leasedSite(t, s, "install-b")
	g, err := s.CreateGroup(ctx, "Customers")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < 150; i++ {
		var c models.Contact
		models.ContactInput{Phone: fmt.Sprintf("+1415%07d", 4000000+i), Name: fmt.Sprint("P", i)}.Apply(&c, "US")
		if err := s.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	s.AddMembers(ctx, g.ID, ids)
	cp := &models.Campaign{Name: "Shared", Template: "Hi {{name}}", GroupIDs: []string{g.ID}, Pacing: models.Pacing{Preset: "custom"}}
	if err := s.CreateCampaign(ctx, cp); err != nil {
		t.Fatal(err)
	}
	// Both installs see it running; whichever takes the lease first sends it.
	if _, err := engA.Start(ctx, cp.ID); err != nil {
		t.Fatal(err)
	}
	sentBy := func(m *slowSender) int {
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.n
	}
	deadline := time.Now().Add(20 * time.Second)
	for sentBy(sndA)+sentBy(sndB) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("no install started sending")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if sentBy(sndA) > 0 && sentBy(sndB) > 0 {
		t.Fatal("both installs sent the campaign")
	}
	if sentBy(sndA) > 0 { // from here on, urlB is the holder's site and urlA the other's
		urlA, urlB = urlB, urlA
	}
	holder := "install-b"
	if sentBy(sndA) > 0 {
		holder = "install-a"
	}
	var out map[string]any
	f := &fixture{url: urlA}
	for {
		_, out = f.do(t, "GET", "/api/v1/campaigns/"+cp.ID, "")
		if l, _ := out["lease"].(map[string]any); l != nil && l["holder"] == holder {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other install's API does not show %s's lease: %v", holder, out["lease"])
		}
		time.Sleep(10 * time.Millisecond)
	}
	if out["state"] != "running" {
		t.Fatalf("the campaign is %v; it must stay running", out["state"])
	}
	l := out["lease"].(map[string]any)
	until, err := time.Parse(time.RFC3339Nano, fmt.Sprint(l["until"]))
	if err != nil || !until.After(time.Now()) || l["this_install"] != false {
		t.Fatalf("lease %v", l)
	}
	if page := getBody(t, urlA+"/campaigns/"+cp.ID); !strings.Contains(page, "Sending from install "+holder+", lease until ") {
		t.Error("the other install's monitor does not say who sends the campaign")
	}
	if page := getBody(t, urlB+"/campaigns/"+cp.ID); !strings.Contains(page, "Sending from this install, lease until ") {
		t.Error("the holder's monitor does not say it sends the campaign")
	}
	if page := getBody(t, urlB+"/campaigns/"+cp.ID+"/report"); !strings.Contains(page, "Sending from this install") {
		t.Error("the holder's report does not say it sends the campaign")
	}
	_, out = (&fixture{url: urlB}).do(t, "GET", "/api/v1/campaigns/"+cp.ID, "")
	if l, _ := out["lease"].(map[string]any); l == nil || l["holder"] != holder || l["this_install"] != true {
		t.Fatalf("the holder's API lease: %v", out["lease"])
	}

	// Local mode: no lease in the API, no lease line on the page.
	lf := newFixture(t, testdb.SQLite(t), 1)
	code, out := lf.do(t, "POST", "/api/v1/campaigns", `{"name":"x","template":"Hi","group_ids":["`+lf.group.ID+`"]}`)
	if code != 201 {
		t.Fatalf("create: %d %v", code, out)
	}
	if _, ok := out["lease"]; ok {
		t.Fatalf("local mode shows a lease: %v", out)
	}
}

// SendFile sends a file as its caption, for tests that do not look at files.
func (s *slowSender) SendFile(ctx context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	return s.SendText(ctx, phone, f.Caption)
}
