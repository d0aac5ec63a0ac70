package server_test

import (
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
)

// BenchmarkReportsPage measures GET /reports at 100,000 contacts and
// 1,000,000 recipients (the home benchmark's ten campaigns, each with its
// first run and, for the finished ones, a retry of its failures as run 2)
// over real HTTP: the first load, then p50 and p95 of 50 more, unfiltered,
// by name and by days.
func BenchmarkReportsPage(b *testing.B) {
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
			seedHistory(b, s, ids)
			seedRuns(b, s)
			if name == "postgres" {
				testdb.Gorm(s).Exec("VACUUM ANALYZE")
			}
			cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: b.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1, TimeZone: "UTC"}
			srv, err := server.New(server.Deps{Config: cfg, Store: s, Campaigns: campaign.New(campaign.Options{Store: s, Sender: &memSender{sent: map[string][]string{}}, Location: time.UTC})})
			if err != nil {
				b.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			defer hs.Close()
			week := time.Now().UTC().AddDate(0, 0, -7).Format("2006-01-02")
			paths := []struct{ label, path, want string }{
				{"all", "/reports", "Campaign 3"},
				{"name", "/reports?q=campaign+3", "Campaign 3"},
				{"week", "/reports?from=" + week, "Campaign 9"},
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, p := range paths {
					var lat []time.Duration
					for j := 0; j < 51; j++ {
						t0 := time.Now()
						resp, err := http.Get(hs.URL + p.path)
						if err != nil || resp.StatusCode != 200 {
							b.Fatalf("GET %s: %v %v", p.path, err, resp.Status)
						}
						body, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						lat = append(lat, time.Since(t0))
						if !strings.Contains(string(body), p.want) {
							b.Fatalf("GET %s lacks %q", p.path, p.want)
						}
					}
					// The first load counts (no campaign counted in the last 15 s).
					b.ReportMetric(ms(lat[0]), p.label+"-first-ms")
					lat = lat[1:]
					b.ReportMetric(ms(percentile(lat, 50)), p.label+"-p50-ms")
					b.ReportMetric(ms(percentile(lat, 95)), p.label+"-p95-ms")
				}
			}
			b.StopTimer()
			// One campaign's count per run and state, uncached.
			var lat []time.Duration
			for j := 0; j < 20; j++ {
				t0 := time.Now()
				if err := testdb.Gorm(s).Exec("SELECT run, state, COUNT(*) FROM campaign_recipients WHERE campaign_id = (SELECT id FROM campaigns WHERE name = 'Campaign 3') GROUP BY run, state").Error; err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			b.ReportMetric(ms(percentile(lat, 95)), "one-campaign-uncached-p95-ms")
		})
	}
}

// seedRuns writes the campaign_runs of seedHistory's campaigns: run 1 for
// each, and for the finished ones a retry (run 2) that moved their failed
// recipients into it.
func seedRuns(b *testing.B, s *models.Store) {
	b.Helper()
	var cs []struct {
		ID, State string
		StartedAt time.Time
	}
	if err := testdb.Gorm(s).Raw("SELECT id, state, started_at FROM campaigns").Scan(&cs).Error; err != nil {
		b.Fatal(err)
	}
	for _, c := range cs {
		runs := []models.CampaignRun{{CampaignID: c.ID, Run: 1, Kind: "full", Recipients: 100_000, StartedAt: c.StartedAt}}
		if c.State == models.CampaignCompleted {
			fin, retry := c.StartedAt.Add(48*time.Hour), c.StartedAt.Add(49*time.Hour)
			fin2 := retry.Add(time.Hour)
			runs[0].FinishedAt = &fin
			runs = append(runs, models.CampaignRun{CampaignID: c.ID, Run: 2, Kind: "retry", Recipients: 2703, StartedAt: retry, FinishedAt: &fin2})
			if err := testdb.Gorm(s).Exec("UPDATE campaign_recipients SET run = 2 WHERE campaign_id = ? AND state = ?", c.ID, models.RecipientFailed).Error; err != nil {
				b.Fatal(err)
			}
		}
		if err := testdb.Gorm(s).Create(&runs).Error; err != nil {
			b.Fatal(err)
		}
	}
}
