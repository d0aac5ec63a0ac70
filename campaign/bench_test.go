package campaign_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// SeedAudience bulk-inserts n contacts in one group (benchmarks only).
func seedAudience(tb testing.TB, s *models.Store, n int) *models.Group {
	tb.Helper()
	ctx := context.Background()
	g, err := s.CreateGroup(ctx, "Bench")
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now().UTC()
	batch := make([]models.Contact, 0, 1000)
	members := make([]models.GroupMember, 0, 1000)
	flush := func() {
		if err := s.DB().CreateInBatches(batch, 1000).Error; err != nil {
			tb.Fatal(err)
		}
		if err := s.DB().CreateInBatches(members, 1000).Error; err != nil {
			tb.Fatal(err)
		}
		batch, members = batch[:0], members[:0]
	}
	for i := 0; i < n; i++ {
		id := models.NewID()
		batch = append(batch, models.Contact{ID: id, Phone: "+1415" + strconv.Itoa(1000000+i), Name: fmt.Sprintf("Person %d", i),
			V1: "Gold", Attributes: models.Attributes{"city": "Pune"}, OptedOut: i%50 == 0, CreatedAt: now, UpdatedAt: now})
		members = append(members, models.GroupMember{GroupID: g.ID, ContactID: id, CreatedAt: now})
		if len(batch) == cap(batch) {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	return g
}

const benchTemplate = "{Hi|Hello|Hey} {{name}}, your {{v1}} offer in {{city}} ends soon. {{v2|See you}}!"

func benchStores() map[string]func(testing.TB) *models.Store {
	return map[string]func(testing.TB) *models.Store{"sqlite": testdb.SQLite, "postgres": testdb.Postgres}
}

// BenchmarkPlan100k freezes a 100k-contact audience (2% opted out).
func BenchmarkPlan100k(b *testing.B) {
	for name, open := range benchStores() {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			g := seedAudience(b, s, 100_000)
			e := campaign.New(campaign.Options{Store: s, Sender: newNullSender()})
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				c := &models.Campaign{Name: fmt.Sprintf("Plan %d", i), Template: benchTemplate, GroupIDs: []string{g.ID}, Pacing: models.Pacing{Preset: "custom"}}
				if err := s.CreateCampaign(context.Background(), c); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res, err := e.Start(context.Background(), c.ID)
				if err != nil || res.Planned != 98_000 {
					b.Fatalf("plan = %+v, %v", res, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/plan")
		})
	}
}

// instantSender sends nothing and answers at once: the engine's own cost.
type instantSender struct{ n atomic.Int64 }

func (s *instantSender) Ready() bool { return true }
func (s *instantSender) SendText(context.Context, string, string) (campaign.SendResult, error) {
	n := s.n.Add(1)
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: "m" + strconv.FormatInt(n, 10)}, nil
}
func (s *instantSender) RecentOutgoing(context.Context, string, int) ([]campaign.OutgoingMessage, error) {
	return nil, nil
}

func rssMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkEngineThroughput sends a 100k campaign through a sender that
// costs nothing, and reports messages per second and the peak RSS while
// sending.
func BenchmarkEngineThroughput(b *testing.B) {
	for name, open := range benchStores() {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			g := seedAudience(b, s, 100_000)
			var total time.Duration
			var peak float64
			for i := 0; i < b.N; i++ {
				snd := &instantSender{}
				e := campaign.New(campaign.Options{Store: s, Sender: snd, IdlePoll: 5 * time.Millisecond})
				c := &models.Campaign{Name: fmt.Sprintf("Run %d", i), Template: benchTemplate, GroupIDs: []string{g.ID}, Pacing: models.Pacing{Preset: "custom"}}
				s.CreateCampaign(context.Background(), c)
				if _, err := e.Start(context.Background(), c.ID); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				start := time.Now()
				go func() { e.Run(ctx); close(done) }()
				for {
					peak = max(peak, rssMiB())
					got, _ := s.GetCampaign(context.Background(), c.ID)
					if got.State == models.CampaignCompleted {
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
				total += time.Since(start)
				cancel()
				<-done
				if snd.n.Load() != 98_000 {
					b.Fatalf("sent %d", snd.n.Load())
				}
			}
			b.ReportMetric(float64(98_000*b.N)/total.Seconds(), "msgs/s")
			b.ReportMetric(peak, "peak-RSS-MiB")
		})
	}
}
