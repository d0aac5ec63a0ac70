package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/webhook"
)

// instantSender answers every send at once: the engine's own cost.
type instantSender struct{ n atomic.Int64 }

func (s *instantSender) Ready() bool { return true }
func (s *instantSender) SendText(context.Context, string, string) (campaign.SendResult, error) {
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: "m" + strconv.FormatInt(s.n.Add(1), 10)}, nil
}
func (s *instantSender) RecentOutgoing(context.Context, string, int) ([]campaign.OutgoingMessage, error) {
	return nil, nil
}

// SendFile answers at once too (the benchmark sends text only).
func (s *instantSender) SendFile(ctx context.Context, phone string, _ campaign.File) (campaign.SendResult, error) {
	return s.SendText(ctx, phone, "")
}

const benchAudience = 20_000

func seedBenchAudience(b *testing.B, s *models.Store) *models.Group {
	ctx := context.Background()
	g, err := s.CreateGroup(ctx, "Bench")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	var cs []models.Contact
	var ms []models.GroupMember
	for i := range benchAudience {
		id := models.NewID()
		cs = append(cs, models.Contact{ID: id, Phone: "+1415" + strconv.Itoa(1000000+i), Name: fmt.Sprintf("Person %d", i), CreatedAt: now, UpdatedAt: now})
		ms = append(ms, models.GroupMember{GroupID: g.ID, ContactID: id, CreatedAt: now})
	}
	if err := testdb.Gorm(s).CreateInBatches(cs, 1000).Error; err != nil {
		b.Fatal(err)
	}
	if err := testdb.Gorm(s).CreateInBatches(ms, 1000).Error; err != nil {
		b.Fatal(err)
	}
	return g
}

// BenchmarkEngineWithSlowWebhook sends a 20,000-recipient campaign through
// an instant sender, with no webhook and with a webhook whose receiver
// sleeps 10 s per request (the dispatcher running), and reports messages/s.
// The difference is what events cost the engine: one outbox row per send,
// written by the trigger in the send's own transaction.
func BenchmarkEngineWithSlowWebhook(b *testing.B) {
	for _, db := range []struct {
		name string
		open func(testing.TB) *models.Store
	}{{"sqlite", testdb.SQLite}, {"postgres", testdb.Postgres}} {
		for _, hooked := range []bool{false, true} {
			name := db.name + "/no-webhook"
			if hooked {
				name = db.name + "/receiver-sleeps-10s"
			}
			b.Run(name, func(b *testing.B) {
				s := db.open(b)
				g := seedBenchAudience(b, s)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if hooked {
					quit := make(chan struct{})
					slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						select {
						case <-time.After(10 * time.Second):
						case <-r.Context().Done():
						case <-quit:
						}
					}))
					defer func() { close(quit); slow.Close() }()
					if _, err := s.CreateWebhook(ctx, slow.URL, "bench-secret-0123456789", nil, true); err != nil {
						b.Fatal(err)
					}
					d := webhook.New(s, webhook.Options{AllowPrivate: true, Poll: 50 * time.Millisecond})
					done := make(chan struct{})
					go func() { d.Run(ctx); close(done) }()
					defer func() { cancel(); <-done }()
				}
				var total time.Duration
				for i := 0; i < b.N; i++ {
					c := &models.Campaign{Name: fmt.Sprintf("Run %d", i), Template: "Hi {{name}}", GroupIDs: []string{g.ID}, Pacing: models.Pacing{Preset: "custom"}}
					if err := s.CreateCampaign(ctx, c); err != nil {
						b.Fatal(err)
					}
					e := campaign.New(campaign.Options{Store: s, Sender: &instantSender{}, IdlePoll: 5 * time.Millisecond})
					if _, err := e.Start(ctx, c.ID); err != nil {
						b.Fatal(err)
					}
					runCtx, stop := context.WithCancel(ctx)
					ran := make(chan struct{})
					start := time.Now()
					go func() { e.Run(runCtx); close(ran) }()
					for {
						got, err := s.GetCampaign(ctx, c.ID)
						if err == nil && got.State == models.CampaignCompleted {
							break
						}
						time.Sleep(5 * time.Millisecond)
					}
					total += time.Since(start)
					stop()
					<-ran
				}
				b.ReportMetric(float64(benchAudience*b.N)/total.Seconds(), "msgs/s")
				if hooked {
					evs, _ := s.WebhookEventsAfter(ctx, 0, 1_000_000)
					b.ReportMetric(float64(len(evs)), "outbox-events")
				}
			})
		}
	}
}
