package server_test

import (
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// seedHomeCampaign makes a group of n contacts and a campaign over it that
// is running, planned, with its first three recipients sent (one delivered,
// one read) and the fourth failed.
func seedHomeCampaign(t testing.TB, s *models.Store, name string, n int) *models.Campaign {
	t.Helper()
	ctx := context.Background()
	g, err := s.CreateGroup(ctx, name+" group")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < n; i++ {
		var c models.Contact
		models.ContactInput{Phone: fmt.Sprintf("+1415%07d", 5000000+int(crc32.ChecksumIEEE([]byte(name))%40000)*100+i), Name: fmt.Sprintf("%s %d", name, i)}.Apply(&c, "US")
		if err := s.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if _, err := s.AddMembers(ctx, g.ID, ids); err != nil {
		t.Fatal(err)
	}
	cp := &models.Campaign{Name: name, Template: "Hello {{name}}", GroupIDs: []string{g.ID}, Pacing: models.Pacing{MinDelayMS: 1000, MaxDelayMS: 1000, DailyCap: 250}}
	if err := s.CreateCampaign(ctx, cp); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PlanRecipients(ctx, cp.ID, func(c *models.Contact) (string, error) { return "Hello " + c.Name, nil }); err != nil {
		t.Fatal(err)
	}
	recs, err := s.ClaimPending(ctx, cp.ID, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var outs []models.Outcome
	for i, r := range recs {
		o := models.Outcome{Seq: r.Seq, State: models.RecipientSent, MessageID: fmt.Sprintf("%s-m%d", cp.ID, i), At: now}
		if i == 3 {
			o.State, o.Error = models.RecipientFailed, "send button missing"
		}
		outs = append(outs, o)
	}
	if err := s.RecordOutcomes(ctx, cp.ID, outs); err != nil {
		t.Fatal(err)
	}
	s.ApplyAck(ctx, cp.ID+"-m0", models.RecipientDelivered, now)
	s.ApplyAck(ctx, cp.ID+"-m1", models.RecipientRead, now)
	return cp
}

func homeServer(t testing.TB, s *models.Store, wa server.WhatsApp) string {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1, TimeZone: "UTC"}
	srv, err := server.New(server.Deps{Config: cfg, Store: s, WhatsApp: wa})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

func fetchPage(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHomeDashboard(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		url := homeServer(t, s, nil)
		code, body := fetchPage(t, url+"/")
		if code != 200 || !strings.Contains(body, "Nothing has happened yet") || !strings.Contains(body, "No campaign is running") {
			t.Fatalf("empty home = %d:\n%s", code, body)
		}
		cp := seedHomeCampaign(t, s, "Diwali offer", 6)
		// Campaign events come from the database trigger, whatever writes the state.
		for _, step := range []struct{ state, reason string }{{"paused", "whatsapp"}, {"running", ""}} {
			if err := testdb.Gorm(s).Exec("UPDATE campaigns SET state = ?, pause_reason = ? WHERE id = ?", step.state, step.reason, cp.ID).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordEvent(ctx, models.Event{Kind: models.EventWhatsApp, State: "phone_offline"}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordEvent(ctx, models.Event{Kind: models.EventWhatsApp, SubjectID: "acct-2", Subject: "Office phone", State: "logged_out"}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordEvent(ctx, models.Event{Kind: models.EventWhatsApp, SubjectID: "acct-1", Subject: "WhatsApp", State: "qr"}); err != nil {
			t.Fatal(err)
		}
		done := seedHomeCampaign(t, s, "Old news", 2)
		testdb.Gorm(s).Exec("UPDATE campaigns SET state = 'completed' WHERE id = ?", done.ID)

		wants := []string{
			`data-count="contacts">8<`, `data-count="groups">2<`, `data-count="campaigns">2<`,
			`Campaign “Diwali offer” started`, `Campaign “Diwali offer” paused (WhatsApp is not connected)`,
			`Campaign “Diwali offer” resumed`, `Campaign “Old news” finished`, `WhatsApp: Phone offline`, `WhatsApp “Office phone”: `, `WhatsApp: Scan the QR code`,
			`daily cap of “Diwali offer”`, `/ 250`,
			`4 of 6 done (66%)`, `href="/campaigns/` + cp.ID + `"`,
		}
		// After new events the counts are fresh at once, or at the latest on
		// a load moments later (a load waits only 25 ms for them).
		var missing []string
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			code, body = fetchPage(t, url+"/")
			if code != 200 {
				t.Fatalf("home = %d:\n%s", code, body)
			}
			missing = missing[:0]
			for _, want := range wants {
				if !strings.Contains(body, want) {
					missing = append(missing, want)
				}
			}
			if len(missing) == 0 || time.Now().After(deadline) {
				break
			}
		}
		if len(missing) > 0 {
			t.Errorf("home lacks %q", missing)
		}
		if strings.Contains(body, "Old news</a> <span") {
			t.Errorf("a completed campaign is listed as running or scheduled")
		}
		// Today's column: 3 + 2 sent; per campaign one delivered and one read
		// (a read message was delivered too); the first campaign's 4th failed.
		today := body[strings.LastIndex(body, "<g data-day="):]
		for _, want := range []string{`class="bar sent" data-n="5"`, `class="bar delivered" data-n="4"`, `class="bar read" data-n="2"`, `class="bar failed" data-n="1"`} {
			if !strings.Contains(today, want) {
				t.Errorf("today's chart column lacks %q:\n%s", want, today)
			}
		}
		if !strings.Contains(body, `href="/contacts"`) {
			t.Error("the nav no longer links to Contacts")
		}
	})
}
