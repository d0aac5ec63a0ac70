package importer_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// writeBigCSV writes rows contacts: phone, name, v1, v2, city, groups.
func writeBigCSV(tb testing.TB, rows int) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "big.csv")
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("phone,name,v1,v2,city,groups\n")
	cities := []string{"Pune", "Mumbai", "Delhi", "Chennai", "Kolkata"}
	for i := 0; i < rows; i++ {
		group := ""
		if i%10 == 0 {
			group = "Gold"
		}
		fmt.Fprintf(w, "98%08d,Person %d,Code %d,%d,%s,%s\n", i, i, i%97, i%13, cities[i%5], group)
	}
	w.Flush()
	f.Close()
	return p
}

// peakSampler follows the live heap while a benchmark runs.
type peakSampler struct {
	base, peak atomic.Uint64
	stop       chan struct{}
	wg         sync.WaitGroup
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func procKB(field string) uint64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, field+":") {
			n, _ := strconv.ParseUint(strings.Fields(l)[1], 10, 64)
			return n * 1024
		}
	}
	return 0
}

// cpuTime is the CPU time the process has used (user + system): unlike
// wall time, it does not grow when other programs load the machine.
func cpuTime() time.Duration {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

func startSampler() *peakSampler {
	runtime.GC()
	p := &peakSampler{stop: make(chan struct{})}
	p.base.Store(heapBytes())
	p.peak.Store(p.base.Load())
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				if h := heapBytes(); h > p.peak.Load() {
					p.peak.Store(h)
				}
			}
		}
	}()
	return p
}

func (p *peakSampler) extra() float64 {
	close(p.stop)
	p.wg.Wait()
	return float64(p.peak.Load()-p.base.Load()) / (1 << 20)
}

// BenchmarkImport100k imports a 100,000-row CSV into an empty SQLite store:
// the dry run, then the commit. Target: commit ≤ 2 s, ≤ 64 MiB extra memory.
func BenchmarkImport100k(b *testing.B) {
	const rows = 100_000
	path := writeBigCSV(b, rows)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := testdb.SQLite(b)
		b.StartTimer()

		// Dry run (the preview page).
		t0 := time.Now()
		rep, err := importer.Run(ctx, s, path, importer.Options{Mode: models.ImportUpdate, DryRun: true, Region: "IN"})
		if err != nil || rep.Imported != rows {
			b.Fatalf("dry run: %v %+v", err, rep.Invalid)
		}
		dry := time.Since(t0)

		// Commit, with the live heap and the process RSS followed.
		os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM
		rssBefore := procKB("VmRSS")
		sm := startSampler()
		cpu0 := cpuTime()
		t1 := time.Now()
		rep, err = importer.Run(ctx, s, path, importer.Options{Mode: models.ImportUpdate, Region: "IN"})
		commit := time.Since(t1)
		cpu := cpuTime() - cpu0
		heapExtra := sm.extra()
		// The kernel updates VmHWM lazily, so it can read below VmRSS.
		rssExtra := float64(int64(max(procKB("VmHWM"), procKB("VmRSS")))-int64(rssBefore)) / (1 << 20)
		if err != nil || rep.Imported != rows {
			b.Fatalf("commit: %v %+v", err, rep)
		}
		b.ReportMetric(dry.Seconds(), "dryrun-s")
		b.ReportMetric(commit.Seconds(), "commit-s")
		b.ReportMetric(cpu.Seconds(), "commit-cpu-s")
		b.ReportMetric(rows/commit.Seconds(), "rows/s")
		b.ReportMetric(heapExtra, "peak-extra-heap-MiB")
		b.ReportMetric(rssExtra, "peak-extra-RSS-MiB")
	}
}
