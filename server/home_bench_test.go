package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// seedHistory writes 10 campaigns of 100,000 recipients each over the 100k
// contacts already stored (1M recipients), sent over the last 20 days: nine
// completed, the newest running and half sent, over the last 12 hours. 80% of sends are delivered,
// half of those read, 1 in 37 failed; every send has its ledger row.
func seedHistory(b *testing.B, s *models.Store, contactIDs []string) *models.Campaign {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var running *models.Campaign
	for k := 0; k < 10; k++ {
		c := &models.Campaign{Name: fmt.Sprintf("Campaign %d", k), Template: "Hello {{name}}",
			Pacing: models.Pacing{MinDelayMS: 1000, MaxDelayMS: 1000, DailyCap: 50_000}, ContactIDs: contactIDs[:1]}
		if err := s.CreateCampaign(ctx, c); err != nil {
			b.Fatal(err)
		}
		state := models.CampaignCompleted
		if k == 9 {
			state, running = models.CampaignRunning, c
		}
		start, span := now.Add(-time.Duration(20-2*k)*24*time.Hour), 2*24*time.Hour
		if k == 9 {
			// The running campaign has sent for the last 12 hours: today's
			// counts are not empty.
			start, span = now.Add(-12*time.Hour), 24*time.Hour
		}
		if err := testdb.Gorm(s).Exec("UPDATE campaigns SET state = ?, run = 1, planned = ?, started_at = ? WHERE id = ?", state, len(contactIDs), start, c.ID).Error; err != nil {
			b.Fatal(err)
		}
		recs := make([]models.Recipient, 0, 2000)
		type send struct {
			ID, CampaignID string
			Seq            int64
			Run            int
			Phone, State   string
			At             time.Time
		}
		sends := make([]send, 0, 2000)
		flush := func() {
			if err := testdb.Gorm(s).CreateInBatches(recs, 2000).Error; err != nil {
				b.Fatal(err)
			}
			if len(sends) > 0 {
				if err := testdb.Gorm(s).Table("campaign_sends").CreateInBatches(sends, 2000).Error; err != nil {
					b.Fatal(err)
				}
			}
			recs, sends = recs[:0], sends[:0]
		}
		for i, id := range contactIDs {
			seq := int64(i + 1)
			r := models.Recipient{CampaignID: c.ID, Seq: seq, ContactID: id, Phone: "+9198" + strconv.Itoa(10000000+i), Body: "Hello", State: models.RecipientPending, Run: 1}
			// Spread over two days: a 100k campaign at a 50k daily cap.
			at := start.Add(time.Duration(i) * span / time.Duration(len(contactIDs)))
			if k < 9 || i < len(contactIDs)/2 {
				switch {
				case i%37 == 0:
					r.State = models.RecipientFailed
				case i%5 == 0:
					r.State, r.SentAt = models.RecipientSent, &at
				case i%2 == 0:
					d := at.Add(time.Minute)
					r.State, r.SentAt, r.DeliveredAt = models.RecipientDelivered, &at, &d
				default:
					d, rd := at.Add(time.Minute), at.Add(time.Hour)
					r.State, r.SentAt, r.DeliveredAt, r.ReadAt = models.RecipientRead, &at, &d, &rd
				}
				st := models.RecipientSent
				if r.State == models.RecipientFailed {
					st = models.RecipientFailed
				}
				sends = append(sends, send{ID: models.NewID(), CampaignID: c.ID, Seq: seq, Run: 1, Phone: r.Phone, State: st, At: at})
			}
			recs = append(recs, r)
			if len(recs) == cap(recs) {
				flush()
			}
		}
		flush()
	}
	return running
}

// BenchmarkHomePage measures GET / at 100,000 contacts and 1,000,000
// recipients over real HTTP: the first load (no cached days) and p95 over
// 200 loads after it. Target: p95 ≤ 30 ms.
func BenchmarkHomePage(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			s := testdb.SQLite(b)
			if name == "postgres" {
				s = testdb.Postgres(b)
			}
			seedContacts(b, s, 100_000)
			var ids []string
			if err := testdb.Gorm(s).Raw("SELECT id FROM contacts ORDER BY phone").Scan(&ids).Error; err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			running := seedHistory(b, s, ids)
			b.Logf("seeded 1M recipients in %s", time.Since(t0).Round(time.Second))
			if name == "postgres" {
				testdb.Gorm(s).Exec("ANALYZE")
			}
			cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: b.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1, TimeZone: "UTC"}
			// The engine is not run: it only serves its count cache, as in production.
			e := campaign.New(campaign.Options{Store: s, Location: time.UTC})
			srv, err := server.New(server.Deps{Config: cfg, Store: s, Campaigns: e})
			if err != nil {
				b.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			defer hs.Close()
			get := func() time.Duration {
				t0 := time.Now()
				resp, err := http.Get(hs.URL + "/")
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("GET /: %v %v", err, resp.Status)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				if !containsAll(string(body), `data-count="contacts">100000<`, `href="/campaigns/`+running.ID+`"`, "50000 of 100000 done") {
					b.Fatalf("the home page does not show the seeded data:\n%s", body)
				}
				return d
			}
			b.ResetTimer()
			measure := func(suffix string) {
				b.ReportMetric(ms(get()), "first"+suffix+"-ms")
				var lat []time.Duration
				for j := 0; j < 200; j++ {
					lat = append(lat, get())
				}
				b.ReportMetric(ms(percentile(lat, 50)), "p50"+suffix+"-ms")
				b.ReportMetric(ms(percentile(lat, 95)), "p95"+suffix+"-ms")
			}
			for i := 0; i < b.N; i++ {
				measure("")
			}
			// A new event (a campaign paused, an import) makes the next load
			// count afresh: what that load costs.
			var fresh []time.Duration
			for j := 0; j < 20; j++ {
				if err := s.RecordEvent(context.Background(), models.Event{Kind: models.EventImport, Subject: "bench.csv", Detail: "1 new"}); err != nil {
					b.Fatal(err)
				}
				fresh = append(fresh, get())
			}
			b.ReportMetric(ms(percentile(fresh, 95)), "after-event-p95-ms")
			if name == "postgres" {
				// What the page costs once autovacuum has visited the tables
				// (index-only scans need the visibility map). A fresh server,
				// so the first load again counts every day.
				if err := testdb.Gorm(s).Exec("VACUUM ANALYZE").Error; err != nil {
					b.Fatal(err)
				}
				srv2, err := server.New(server.Deps{Config: cfg, Store: s, Campaigns: campaign.New(campaign.Options{Store: s, Location: time.UTC})})
				if err != nil {
					b.Fatal(err)
				}
				hs.Config.Handler = srv2.Handler()
				measure("-vacuumed")
			}
			// What each cache saves: a day's four range counts, and the
			// running campaign's count per state.
			var day, counts []time.Duration
			ctx := context.Background()
			for j := 0; j < 20; j++ {
				t0 := time.Now()
				if _, err := s.Activity(ctx, time.Now().UTC().Truncate(24*time.Hour).Add(-5*24*time.Hour)); err != nil {
					b.Fatal(err)
				}
				day = append(day, time.Since(t0))
				t0 = time.Now()
				if _, err := s.CountStates(ctx, running.ID, 0); err != nil {
					b.Fatal(err)
				}
				counts = append(counts, time.Since(t0))
			}
			b.ReportMetric(ms(percentile(day, 95)), "past-day-uncached-p95-ms")
			b.ReportMetric(ms(percentile(counts, 95)), "count-uncached-p95-ms")
		})
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
