package syncer_test

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// bulkContacts writes n contacts in one transaction, the import's path.
func bulkContacts(b *testing.B, s *models.Store, n int, prefix int) {
	b.Helper()
	rows := make([]models.Contact, n)
	for i := range rows {
		rows[i] = models.Contact{ID: models.NewID(), Phone: fmt.Sprintf("+91%d%08d", prefix, i), Name: fmt.Sprintf("Contact %d", i),
			V1: "Pune", Attributes: models.Attributes{"tier": "gold"}}
	}
	if err := testdb.Gorm(s).CreateInBatches(rows, 500).Error; err != nil {
		b.Fatal(err)
	}
}

// pushSetup returns an install whose outbox holds 100,000 new contacts, a
// fresh migrated cloud database, and a worker between them (not running).
func pushSetup(b *testing.B) (*models.Store, *models.Store, *syncer.Worker) {
	b.Helper()
	ctx := context.Background()
	local := testdb.SQLite(b)
	if _, err := syncer.Enable(ctx, testdb.DB(local)); err != nil {
		b.Fatal(err)
	}
	bulkContacts(b, local, 100_000, 9)
	url := testdb.PostgresURL(b)
	cloud, err := testdb.Open(ctx, models.OpenOptions{DatabaseURL: url})
	if err != nil {
		b.Fatal(err)
	}
	return local, cloud, &syncer.Worker{Local: testdb.DB(local), CloudURL: url, OpTimeout: time.Minute}
}

// timedPush pushes the whole outbox with the benchmark timer running.
func timedPush(b *testing.B, w *syncer.Worker) time.Duration {
	b.Helper()
	b.StartTimer()
	start := time.Now()
	if err := w.Push(context.Background()); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	b.StopTimer()
	return took
}

// BenchmarkPush100k: push 100,000 outbox ops (new contacts) to the local
// Postgres, 1,000 per round trip. Goal: 30 s or less.
func BenchmarkPush100k(b *testing.B) {
	logrus.SetOutput(io.Discard)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		_, cloud, w := pushSetup(b)
		took := timedPush(b, w)
		if n, _ := cloud.CountContacts(ctx); n != 100_000 {
			b.Fatalf("cloud has %d contacts", n)
		}
		b.ReportMetric(took.Seconds(), "s/100k-ops")
		b.ReportMetric(100_000/took.Seconds(), "ops/s")
		cloud.Close()
	}
}

// BenchmarkPushDeletes100k: 100,000 contacts already synced are deleted
// locally in one statement (100,000 delete ops); the figure is the push of
// those deletes, 1,000 ops per round trip.
func BenchmarkPushDeletes100k(b *testing.B) {
	logrus.SetOutput(io.Discard)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		local, cloud, w := pushSetup(b)
		if err := w.Push(ctx); err != nil {
			b.Fatal(err)
		}
		if err := testdb.Gorm(local).Exec(`DELETE FROM contacts`).Error; err != nil {
			b.Fatal(err)
		}
		took := timedPush(b, w)
		if n, _ := cloud.CountContacts(ctx); n != 0 {
			b.Fatalf("cloud has %d contacts", n)
		}
		b.ReportMetric(took.Seconds(), "s/100k-deletes")
		b.ReportMetric(100_000/took.Seconds(), "ops/s")
		cloud.Close()
	}
}

// BenchmarkPrune100k: the cloud holds the records of 100,000 applied ops of
// an install whose outbox is empty; the figure is pruning them all (20
// sync_prune calls of 5,000 rows, what one round does at most).
func BenchmarkPrune100k(b *testing.B) {
	logrus.SetOutput(io.Discard)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		_, cloud, w := pushSetup(b)
		if err := w.Push(ctx); err != nil {
			b.Fatal(err)
		}
		var before int64
		testdb.Gorm(cloud).Raw(`SELECT COUNT(*) FROM sync_applied`).Scan(&before)
		if before != 100_000 {
			b.Fatalf("%d records before pruning", before)
		}
		b.StartTimer()
		start := time.Now()
		if err := w.Prune(ctx); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.StopTimer()
		var left int64
		testdb.Gorm(cloud).Raw(`SELECT COUNT(*) FROM sync_applied`).Scan(&left)
		if left != 0 {
			b.Fatalf("%d records left", left)
		}
		b.ReportMetric(took.Seconds(), "s/100k-records")
		cloud.Close()
	}
}

// BenchmarkConvergeAfterHeal: install A makes 1,000 changes (500 new
// contacts, 500 edits) while the network is cut; the network heals; the
// figure is the time until install B holds them all, with the workers'
// default interval and backoff. Goal: 5 s or less.
func BenchmarkConvergeAfterHeal(b *testing.B) {
	logrus.SetOutput(io.Discard)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dbURL := testdb.PostgresURL(b)
		cloud, err := testdb.Open(ctx, models.OpenOptions{DatabaseURL: dbURL})
		if err != nil {
			b.Fatal(err)
		}
		target, _ := url.Parse(dbURL)
		px := testdb.NewProxy(b, target.Host)
		via := *target
		via.Host = px.Addr()
		a, bb := testdb.SQLite(b), testdb.SQLite(b)
		wa := &syncer.Worker{Local: testdb.DB(a), CloudURL: via.String()}
		wb := &syncer.Worker{Local: testdb.DB(bb), CloudURL: via.String()}
		runCtx, cancel := context.WithCancel(ctx)
		for _, w := range []*syncer.Worker{wa, wb} {
			go w.Run(runCtx)
		}
		var edit []models.Contact
		for j := 0; j < 500; j++ {
			c := models.Contact{Phone: fmt.Sprintf("+9198%08d", j), Name: "before"}
			if err := a.CreateContact(ctx, &c); err != nil {
				b.Fatal(err)
			}
			edit = append(edit, c)
		}
		waitUntil(b, func() bool { n, _ := bb.CountContacts(ctx); return n == 500 })

		px.Cut()
		for j := 0; j < 500; j++ {
			c := models.Contact{Phone: fmt.Sprintf("+9197%08d", j), Name: "offline"}
			if err := a.CreateContact(ctx, &c); err != nil {
				b.Fatal(err)
			}
			edit[j].Name = "edited offline"
			if err := a.UpdateContact(ctx, &edit[j]); err != nil {
				b.Fatal(err)
			}
		}
		time.Sleep(3 * time.Second) // both workers notice and back off
		b.StartTimer()
		start := time.Now()
		px.Restore()
		pushed := make(chan time.Duration, 1)
		go func() {
			for {
				if st, err := wa.Status(ctx); err == nil && st.Pending == 0 {
					pushed <- time.Since(start)
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
		waitUntil(b, func() bool {
			var n int64
			testdb.Gorm(bb).Raw(`SELECT COUNT(*) FROM contacts WHERE name IN ('offline', 'edited offline')`).Scan(&n)
			return n == 1000
		})
		took := time.Since(start)
		b.StopTimer()
		b.ReportMetric(took.Seconds(), "s-to-converge")
		b.ReportMetric((<-pushed).Seconds(), "s-to-push")
		cancel()
		px.Cut()
		cloud.Close()
	}
}

func waitUntil(b *testing.B, ok func() bool) {
	deadline := time.Now().Add(2 * time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			b.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkPull100k: a new install joins a cloud database holding 100,000
// contacts; the figure is the time to pull and apply them all locally.
func BenchmarkPull100k(b *testing.B) {
	logrus.SetOutput(io.Discard)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		url := testdb.PostgresURL(b)
		cloud, err := testdb.Open(ctx, models.OpenOptions{DatabaseURL: url})
		if err != nil {
			b.Fatal(err)
		}
		bulkContacts(b, cloud, 100_000, 8)
		fresh := testdb.SQLite(b)
		w := &syncer.Worker{Local: testdb.DB(fresh), CloudURL: url, OpTimeout: time.Minute}
		b.StartTimer()
		start := time.Now()
		if err := w.Round(ctx); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.StopTimer()
		if n, _ := fresh.CountContacts(ctx); n != 100_000 {
			b.Fatalf("the new install has %d contacts", n)
		}
		b.ReportMetric(took.Seconds(), "s/100k-rows")
		cloud.Close()
	}
}

// BenchmarkOutboxWrite100k: what the outbox triggers add to a bulk write of
// 100,000 contacts (the import's path) in one transaction.
func BenchmarkOutboxWrite100k(b *testing.B) {
	ctx := context.Background()
	for _, on := range []bool{false, true} {
		name := "outbox-off"
		if on {
			name = "outbox-on"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s := testdb.SQLite(b)
				if on {
					if _, err := syncer.Enable(ctx, testdb.DB(s)); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				start := time.Now()
				bulkContacts(b, s, 100_000, 7)
				b.ReportMetric(time.Since(start).Seconds(), "s/100k-rows")
			}
		})
	}
}
