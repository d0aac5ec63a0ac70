package models_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// BenchmarkCountStatesByAccount100k: the "By account" count of a campaign
// of 100k recipients, half sent over three accounts, beside the campaign's
// own count (CountStates) it is shown with.
func BenchmarkCountStatesByAccount100k(b *testing.B) {
	for name, open := range map[string]func(testing.TB) *models.Store{"sqlite": testdb.SQLite, "postgres": testdb.Postgres} {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			ctx := context.Background()
			now := time.Now().UTC()
			var accts []string
			for _, n := range []string{"A", "B", "C"} {
				a := &models.WhatsAppAccount{Name: n}
				if err := s.CreateWhatsAppAccount(ctx, a, 0); err != nil {
					b.Fatal(err)
				}
				accts = append(accts, a.ID)
			}
			batch := make([]models.Contact, 0, 1000)
			ids := make([]string, 0, 100_000)
			for i := 0; i < 100_000; i++ {
				id := models.NewID()
				ids = append(ids, id)
				batch = append(batch, models.Contact{ID: id, Phone: "+1415" + strconv.Itoa(1000000+i), Name: fmt.Sprintf("P%d", i), CreatedAt: now, UpdatedAt: now})
				if len(batch) == cap(batch) {
					testdb.Gorm(s).CreateInBatches(batch, 1000)
					batch = batch[:0]
				}
			}
			c := &models.Campaign{Name: "Big", Template: "Hi", ContactIDs: ids, AccountIDs: models.IDList(accts)}
			if err := s.CreateCampaign(ctx, c); err != nil {
				b.Fatal(err)
			}
			if _, err := s.PlanRecipients(ctx, c.ID, func(*models.Contact) (string, error) { return "Hi", nil }); err != nil {
				b.Fatal(err)
			}
			for done := 0; done < 50_000; done += 1000 {
				recs, _ := s.ClaimPendingOn(ctx, c.ID, accts[(done/1000)%3], 1, 1000)
				outs := make([]models.Outcome, len(recs))
				for i, r := range recs {
					outs[i] = models.Outcome{Seq: r.Seq, State: models.RecipientSent, MessageID: "m" + strconv.FormatInt(r.Seq, 10), At: now}
				}
				s.RecordOutcomes(ctx, c.ID, outs)
			}
			b.ResetTimer()
			var per, all time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := s.CountStatesByAccount(ctx, c.ID); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := s.CountStates(ctx, c.ID, 0); err != nil {
					b.Fatal(err)
				}
				per, all = per+t1.Sub(t0), all+time.Since(t1)
			}
			b.ReportMetric(float64(per.Microseconds())/1000/float64(b.N), "by-account-ms")
			b.ReportMetric(float64(all.Microseconds())/1000/float64(b.N), "count-states-ms")
		})
	}
}
