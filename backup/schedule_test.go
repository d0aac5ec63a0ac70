package backup_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/backup"
	"github.com/sambad/sambad/internal/testdb"
)

// TestSchedulerMakesDailyBackupsAndKeepsTheNewest runs the scheduler on a
// clock the test moves: one backup at start, none while the day is not
// over, one per day after, never more than Keep.
func TestSchedulerMakesDailyBackupsAndKeepsTheNewest(t *testing.T) {
	s := testdb.SQLite(t)
	seed(t, s, "Live")
	dir := t.TempDir()
	var clock atomic.Int64
	start := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	clock.Store(start.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	sch := &backup.Scheduler{Store: s, Dir: dir, Keep: 3, Check: 5 * time.Millisecond, Now: now}
	go func() { sch.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	names := func() []string {
		all, err := backup.List(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, b := range all {
			out = append(out, b.Name)
		}
		return out
	}
	waitFor := func(n int, newest string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if got := names(); len(got) == n && got[0] == newest {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("backups = %v, want %d with the newest %s", names(), n, newest)
	}
	waitFor(1, "sambad-backup-20260301-020000.zip")

	clock.Store(start.Add(23 * time.Hour).UnixNano())
	time.Sleep(100 * time.Millisecond) // twenty checks
	if got := names(); len(got) != 1 {
		t.Fatalf("a backup before the day was over: %v", got)
	}
	for day := 1; day <= 4; day++ {
		at := start.Add(time.Duration(day) * 24 * time.Hour)
		clock.Store(at.UnixNano())
		waitFor(min(day+1, 3), backup.FileName(backup.PrefixScheduled, at))
	}
	got := names()
	if got[2] != "sambad-backup-20260303-020000.zip" {
		t.Fatalf("kept %v, want the three newest", got)
	}
	// What it wrote restores.
	m, zr, err := backup.Inspect(dir + "/" + got[0])
	if err != nil {
		t.Fatal(err)
	}
	zr.Close()
	if m.Tables[0].Name == "" {
		t.Fatalf("manifest %+v", m)
	}
}
