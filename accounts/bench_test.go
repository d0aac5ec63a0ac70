package accounts_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/internal/testdb"
)

// chromiumProcesses counts the Chromium processes on the machine.
func chromiumProcesses() int {
	files, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && strings.HasPrefix(string(b), "/usr/lib/chromium/chromium") {
			n++
		}
	}
	return n
}

// BenchmarkAccountsPSS links 1, 3 and 5 accounts, measures the total PSS of
// their Chromium process trees (sum of /proc/<pid>/smaps_rollup Pss) with
// every account ready, then lets them go idle and measures again after the
// idle stop. Run once: go test ./accounts -run '^$' -bench AccountsPSS -benchtime 1x
func BenchmarkAccountsPSS(b *testing.B) {
	for _, n := range []int{1, 3, 5} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				measureAccounts(b, n)
			}
		})
	}
}

func measureAccounts(b *testing.B, n int) {
	sim, base := startSimB(b)
	store := testdb.SQLite(b)
	var wantAll atomic.Bool
	wantAll.Store(true)
	var ids []string
	reg, err := accounts.Open(context.Background(), store, accounts.Options{
		DataDir: b.TempDir(), Browser: browserOptions(base), Max: 5, Idle: 3 * time.Second, CheckEvery: 200 * time.Millisecond,
		Wanted: func(context.Context) []string {
			if wantAll.Load() {
				return ids
			}
			return nil
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		reg.Close(ctx)
	}()
	list := []*accounts.Account{reg.First(context.Background())}
	for len(list) < n {
		a, err := reg.Create(context.Background(), fmt.Sprintf("Account %d", len(list)+1))
		if err != nil {
			b.Fatal(err)
		}
		list = append(list, a)
	}
	for i, a := range list {
		ids = append(ids, a.ID())
		link(b, sim, a, fmt.Sprintf("9198777000%02d", i+1))
	}
	time.Sleep(3 * time.Second) // let start-up work settle
	var pss, anon int64
	procs := 0
	for _, a := range list {
		m, err := a.Manager().Memory()
		if err != nil {
			b.Fatal(err)
		}
		pss, anon, procs = pss+m.PSS, anon+m.Anon, procs+m.Processes
	}
	foreign := chromiumProcesses() - procs
	b.ReportMetric(float64(pss)/(1<<20), "MiB-PSS-ready")
	b.Logf("%d accounts ready: total PSS %.0f MiB (anon+shmem %.0f MiB) over %d processes; %d other Chromium processes on the machine",
		n, float64(pss)/(1<<20), float64(anon)/(1<<20), procs, foreign)

	wantAll.Store(false)
	for _, a := range list {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		if _, err := a.Manager().WaitFor(ctx, browser.StateStopped); err != nil {
			b.Fatal(err)
		}
		cancel()
	}
	time.Sleep(time.Second)
	pss, procs = 0, 0
	for _, a := range list {
		m, _ := a.Manager().Memory()
		pss, procs = pss+m.PSS, procs+m.Processes
	}
	b.ReportMetric(float64(pss)/(1<<20), "MiB-PSS-idle")
	b.Logf("%d accounts after the idle stop: total PSS %.0f MiB over %d processes of ours", n, float64(pss)/(1<<20), procs)
}
