package campaign_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
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
		if err := testdb.Gorm(s).CreateInBatches(batch, 1000).Error; err != nil {
			tb.Fatal(err)
		}
		if err := testdb.Gorm(s).CreateInBatches(members, 1000).Error; err != nil {
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
	return map[string]func(testing.TB) *models.Store{"sqlite": testdb.SQLite, "postgres": testdb.Postgres, "sqlite-hybrid": hybridSQLite}
}

// hybridSQLite is an install's SQLite store in hybrid mode: every write to a
// synced table also records an op in the outbox.
func hybridSQLite(tb testing.TB) *models.Store {
	s := testdb.SQLite(tb)
	if _, err := syncer.Enable(context.Background(), testdb.DB(s)); err != nil {
		tb.Fatal(err)
	}
	return s
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

// BenchmarkEngineThroughput sends a 100k campaign through a sender that
// costs nothing and reports messages per second and the engine's peak RSS.
// The engine runs in a child process (this test binary re-executed) so the
// RSS is the engine's own, not the benchmark's seeding.
func BenchmarkEngineThroughput(b *testing.B) {
	for name, kind := range map[string]string{"sqlite": "sqlite", "postgres": "postgres", "sqlite-hybrid": "sqlite-hybrid"} {
		b.Run(name, func(b *testing.B) {
			var s *models.Store
			var dsn string
			if kind != "postgres" {
				dsn = filepath.Join(b.TempDir(), "bench.db")
				var err error
				if s, err = testdb.Open(context.Background(), models.OpenOptions{SQLitePath: dsn}); err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				if kind == "sqlite-hybrid" {
					// The outbox triggers live in the database file: the child records ops too.
					if _, err := syncer.Enable(context.Background(), testdb.DB(s)); err != nil {
						b.Fatal(err)
					}
				}
			} else {
				dsn = testdb.PostgresURL(b)
				var err error
				if s, err = testdb.Open(context.Background(), models.OpenOptions{DatabaseURL: dsn}); err != nil {
					b.Fatal(err)
				}
				defer s.Close()
			}
			g := seedAudience(b, s, 100_000)
			var total time.Duration
			var peak float64
			for i := 0; i < b.N; i++ {
				c := &models.Campaign{Name: fmt.Sprintf("Run %d", i), Template: benchTemplate, GroupIDs: []string{g.ID}, Pacing: models.Pacing{Preset: "custom"}}
				s.CreateCampaign(context.Background(), c)
				if _, err := campaign.New(campaign.Options{Store: s, Sender: &instantSender{}}).Start(context.Background(), c.ID); err != nil {
					b.Fatal(err)
				}
				cmd := exec.Command(os.Args[0], "-test.run=^TestEngineBenchChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), "BENCH_KIND="+kind, "BENCH_DSN="+dsn, "BENCH_CAMPAIGN="+c.ID)
				out := &strings.Builder{}
				cmd.Stdout, cmd.Stderr = out, out
				start := time.Now()
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
			wait:
				for {
					select {
					case err := <-done:
						if err != nil {
							b.Fatalf("engine child: %v\n%s", err, out)
						}
						break wait
					case <-time.After(10 * time.Millisecond):
						peak = max(peak, rssMiB(cmd.Process.Pid))
					}
				}
				total += time.Since(start)
				counts, _ := s.CountStates(context.Background(), c.ID, 0)
				if counts[models.RecipientSent] != 98_000 {
					b.Fatalf("counts %v", counts)
				}
			}
			b.ReportMetric(float64(98_000*b.N)/total.Seconds(), "msgs/s")
			b.ReportMetric(peak, "peak-RSS-MiB")
		})
	}
}

// TestEngineBenchChild is the engine process BenchmarkEngineThroughput
// measures; it only runs when re-executed by it.
func TestEngineBenchChild(t *testing.T) {
	kind, dsn, id := os.Getenv("BENCH_KIND"), os.Getenv("BENCH_DSN"), os.Getenv("BENCH_CAMPAIGN")
	if kind == "" {
		t.Skip("run by BenchmarkEngineThroughput")
	}
	o := models.OpenOptions{SQLitePath: dsn}
	if kind == "postgres" {
		o = models.OpenOptions{DatabaseURL: dsn}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := testdb.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := campaign.New(campaign.Options{Store: s, Sender: &instantSender{}, IdlePoll: 5 * time.Millisecond})
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	for {
		c, err := s.GetCampaign(ctx, id)
		if err == nil && c.State == models.CampaignCompleted {
			cancel()
			<-done
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func rssMiB(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
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

// SendFile sends a file as its caption, for tests that do not look at files.
func (s *instantSender) SendFile(ctx context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	return s.SendText(ctx, phone, f.Caption)
}
