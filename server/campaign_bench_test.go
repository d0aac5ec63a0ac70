package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// BenchmarkCampaignPages100k measures the monitor, the SSE monitor render,
// the recipients list and the report of a campaign with 100k recipients,
// half of them sent: p95 over 200 requests each.
func BenchmarkCampaignPages100k(b *testing.B) {
	for name, open := range map[string]func(testing.TB) *models.Store{"sqlite": testdb.SQLite, "postgres": testdb.Postgres} {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			f := newFixture(b, s, 0)
			ctx := context.Background()
			now := time.Now().UTC()
			batch := make([]models.Contact, 0, 1000)
			members := make([]models.GroupMember, 0, 1000)
			for i := 0; i < 100_000; i++ {
				id := models.NewID()
				batch = append(batch, models.Contact{ID: id, Phone: "+1415" + strconv.Itoa(1000000+i), Name: fmt.Sprintf("Person %d", i), CreatedAt: now, UpdatedAt: now})
				members = append(members, models.GroupMember{GroupID: f.group.ID, ContactID: id, CreatedAt: now})
				if len(batch) == cap(batch) {
					testdb.Gorm(s).CreateInBatches(batch, 1000)
					testdb.Gorm(s).CreateInBatches(members, 1000)
					batch, members = batch[:0], members[:0]
				}
			}
			c := &models.Campaign{Name: "Big", Template: "{Hi|Hello} {{name}}, a long enough message to look real.", GroupIDs: []string{f.group.ID}, Pacing: models.Pacing{Preset: "custom", MinDelayMS: 60000, MaxDelayMS: 60000}}
			s.CreateCampaign(ctx, c)
			if _, err := s.PlanRecipients(ctx, c.ID, func(ct *models.Contact) (string, error) { return "Hello " + ct.Name, nil }); err != nil {
				b.Fatal(err)
			}
			// Half sent, with some failures, as in the middle of a campaign.
			for done := 0; done < 50_000; done += 1000 {
				recs, _ := s.ClaimPending(ctx, c.ID, 1, 1000)
				outs := make([]models.Outcome, len(recs))
				for i, r := range recs {
					outs[i] = models.Outcome{Seq: r.Seq, State: models.RecipientSent, MessageID: "m" + strconv.FormatInt(r.Seq, 10), At: now}
					if r.Seq%37 == 0 {
						outs[i].State = models.RecipientFailed
					}
				}
				s.RecordOutcomes(ctx, c.ID, outs)
			}
			paths := map[string]string{
				"monitor":          "/campaigns/" + c.ID,
				"recipients":       "/campaigns/" + c.ID + "/recipients",
				"recipients-p500":  "/campaigns/" + c.ID + "/recipients?page=500",
				"recipients-state": "/campaigns/" + c.ID + "/recipients?state=failed&page=10",
				"report":           "/campaigns/" + c.ID + "/report",
				"api-get":          "/api/v1/campaigns/" + c.ID,
			}
			b.ResetTimer()
			measure := func(suffix string) {
				for label, path := range paths {
					var lat []time.Duration
					for i := 0; i < 200; i++ {
						t0 := time.Now()
						resp, err := http.Get(f.url + path)
						if err != nil || resp.StatusCode != 200 {
							b.Fatalf("%s: %v %v", path, err, resp.Status)
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						lat = append(lat, time.Since(t0))
					}
					sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
					b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, label+suffix+"-p95-ms")
				}
			}
			// The monitor counts at most once a second per campaign; this is
			// what that count costs when it runs.
			var counts []time.Duration
			for i := 0; i < 20; i++ {
				t0 := time.Now()
				if _, err := s.CountStates(ctx, c.ID, 0); err != nil {
					b.Fatal(err)
				}
				counts = append(counts, time.Since(t0))
			}
			sort.Slice(counts, func(i, j int) bool { return counts[i] < counts[j] })
			b.ReportMetric(float64(counts[len(counts)*95/100].Microseconds())/1000, "count-uncached-p95-ms")
			measure("")
			if name == "postgres" {
				// What the pages cost once autovacuum has visited the table.
				if err := testdb.Gorm(s).Exec("VACUUM ANALYZE campaign_recipients").Error; err != nil {
					b.Fatal(err)
				}
				measure("-vacuumed")
			}
		})
	}
}
