package campaign_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// BenchmarkRotation sends a campaign through 1 or 5 accounts, each a
// sender that costs nothing, on SQLite: unpaced (the engine's own cost with
// the account choice per claim) and paced at 20 ms between messages per
// account (each account's own pacing clock: 5 accounts should send about
// 5 times as fast as 1).
func BenchmarkRotation(b *testing.B) {
	for _, tc := range []struct {
		name     string
		accounts int
		n        int
		delayMS  int64
	}{
		{"unpaced-1", 1, 20_000, 0}, {"unpaced-5", 5, 20_000, 0},
		{"paced20ms-1", 1, 100, 20}, {"paced20ms-5", 5, 500, 20},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := testdb.SQLite(b)
			ctx := context.Background()
			senders := map[string]campaign.Sender{}
			var ids []string
			for i := 0; i < tc.accounts; i++ {
				a := &models.WhatsAppAccount{Name: fmt.Sprintf("Account %d", i)}
				if err := s.CreateWhatsAppAccount(ctx, a, 0); err != nil {
					b.Fatal(err)
				}
				ids, senders[a.ID] = append(ids, a.ID), &instantSender{}
			}
			g := seedAudience(b, s, tc.n)
			var total time.Duration
			var sent int64
			for i := 0; i < b.N; i++ {
				e := campaign.New(campaign.Options{Store: s, Sender: &instantSender{}, IdlePoll: 5 * time.Millisecond,
					AccountSender: func(id string) campaign.Sender { return senders[id] }})
				c := &models.Campaign{Name: fmt.Sprintf("Rotation %d", i), Template: "Hi {{name}}", GroupIDs: []string{g.ID},
					Pacing: models.Pacing{Preset: "custom", MinDelayMS: tc.delayMS, MaxDelayMS: tc.delayMS}, AccountIDs: ids}
				if err := s.CreateCampaign(ctx, c); err != nil {
					b.Fatal(err)
				}
				res, err := e.Start(ctx, c.ID)
				if err != nil {
					b.Fatal(err)
				}
				runCtx, cancel := context.WithCancel(ctx)
				done := make(chan struct{})
				began := time.Now()
				go func() { e.Run(runCtx); close(done) }()
				for {
					got, err := s.GetCampaign(ctx, c.ID)
					if err == nil && got.State == models.CampaignCompleted {
						break
					}
					time.Sleep(2 * time.Millisecond)
				}
				total += time.Since(began)
				sent += int64(res.Planned)
				cancel()
				<-done
			}
			b.ReportMetric(float64(sent)/total.Seconds(), "msg/s")
		})
	}
}
