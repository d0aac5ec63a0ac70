package media_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

func statusKB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return -1
}

// peakRise runs fn and returns how far the process's peak RSS rose above
// its RSS before, in MiB.
func peakRise(fn func()) float64 {
	runtime.GC()
	debug.FreeOSMemory()
	base := statusKB("VmRSS")
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	fn()
	return float64(statusKB("VmHWM")-base) / 1024
}

// BenchmarkHybridFile100MB carries a 100 MB document from one hybrid
// install to another: the push of its chunk rows, the pull, and the
// rebuild of the file on the second install, each with the peak RSS rise
// it caused. Run:
//
//	go test -run '^$' -bench HybridFile100MB -benchtime 1x ./media/
func BenchmarkHybridFile100MB(b *testing.B) {
	ctx := context.Background()
	const size = 100 << 20
	for i := 0; i < b.N; i++ {
		url := testdb.PostgresURL(b)
		install := func() (*models.Store, *media.Library, *syncer.Worker) {
			s := testdb.SQLite(b)
			w := &syncer.Worker{Local: testdb.DB(s), CloudURL: url, Interval: time.Second, OpTimeout: 5 * time.Minute}
			if err := w.Round(ctx); err != nil {
				b.Fatal(err)
			}
			return s, media.New(s, media.Options{Dir: b.TempDir(), Chunks: true}), w
		}
		_, libA, wA := install()
		storeB, libB, wB := install()
		doc := io.MultiReader(strings.NewReader(string(mediatest.PDF(1000))), io.LimitReader(zeros{}, size-1100))
		m, _, err := libA.Save(ctx, "big.pdf", doc)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		var push, pull, rebuild float64
		var tPush, tPull, tRebuild time.Duration
		start := time.Now()
		push = peakRise(func() {
			if err := wA.Round(ctx); err != nil {
				b.Fatal(err)
			}
		})
		tPush = time.Since(start)
		start = time.Now()
		pull = peakRise(func() {
			if err := wB.Round(ctx); err != nil {
				b.Fatal(err)
			}
		})
		tPull = time.Since(start)
		got, err := storeB.GetMedia(ctx, m.ID)
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		rebuild = peakRise(func() {
			f, err := libB.Open(ctx, got)
			if err != nil {
				b.Fatal(err)
			}
			f.Close()
		})
		tRebuild = time.Since(start)
		b.StopTimer()
		b.ReportMetric(push, "MiB-push-peak-rise")
		b.ReportMetric(pull, "MiB-pull-peak-rise")
		b.ReportMetric(rebuild, "MiB-rebuild-peak-rise")
		b.ReportMetric(tPush.Seconds(), "s-push")
		b.ReportMetric(tPull.Seconds(), "s-pull")
		b.ReportMetric(tRebuild.Seconds(), "s-rebuild")
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
