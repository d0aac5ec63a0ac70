package browser

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkSendPathOldVsNew measures the send path before and after the
// compose-timing work (issue 10) on the same simulator page, interleaved in
// the same run, with the simulator's compose timings on (its defaults: 20 %
// of chats show the box before its handlers, history 0.1-2 s, late text=
// fill 0.2-3 s). -benchtime Nx is the number of sends per side:
//
//	go test ./browser -run '^$' -bench SendPathOldVsNew -benchtime 100x -v
//
// A failed old send counts in old-failed and not in the old timings; the
// new path must not fail at all.
func BenchmarkSendPathOldVsNew(b *testing.B) {
	t := &testing.T{}
	m := sharedManager(t)
	if t.Failed() {
		b.Fatal("no linked manager")
	}
	b.Logf("simulator compose timings seed %d", sim.Seed())
	ctx := context.Background()
	var oldD, newD []time.Duration
	oldFailed := 0
	var firstFailure error
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		digits := fmt.Sprintf("91988%07d", i%25+1)
		start := time.Now()
		_, err := m.legacySendText(ctx, "+"+digits, fmt.Sprintf("old path %d", i))
		if err != nil {
			oldFailed++
			if firstFailure == nil {
				firstFailure = err
			}
		} else {
			oldD = append(oldD, time.Since(start))
		}
		start = time.Now()
		if _, err := m.SendText(ctx, "+"+digits, fmt.Sprintf("new path %d", i)); err != nil {
			b.Fatalf("new path, send %d: %v", i, err)
		}
		newD = append(newD, time.Since(start))
	}
	b.StopTimer()
	nm, np := percentile(newD, 0.5), percentile(newD, 0.95)
	b.ReportMetric(ms(nm), "new-median-ms")
	b.ReportMetric(ms(np), "new-p95-ms")
	b.ReportMetric(float64(oldFailed), "old-failed")
	if len(oldD) > 0 {
		om, op := percentile(oldD, 0.5), percentile(oldD, 0.95)
		b.ReportMetric(ms(om), "old-median-ms")
		b.ReportMetric(ms(op), "old-p95-ms")
		b.Logf("sends per side=%d | new: 0 failed, median %.0f ms p95 %.0f ms, mean %.0f ms | old: %d failed (%.0f %%; first: %v), successful ones median %.0f ms p95 %.0f ms, mean %.0f ms",
			b.N, ms(nm), ms(np), ms(mean(newD)), oldFailed, 100*float64(oldFailed)/float64(b.N), firstFailure, ms(om), ms(op), ms(mean(oldD)))
	}
}

func mean(d []time.Duration) time.Duration {
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return sum / time.Duration(max(len(d), 1))
}
