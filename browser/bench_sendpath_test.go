package browser

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sambad/sambad/browser/wasim"
)

// benchLinked starts a simulator with the compose timings on and seed, and
// a manager linked to it, both stopped when b ends.
func benchLinked(b *testing.B, seed uint64) (*wasim.Server, *Manager) {
	o := simOptions()
	o.Timing = wasim.Timing{Seed: seed}
	return benchLinkedWith(b, o)
}

// benchLinkedWith is benchLinked on a simulator configured by o.
func benchLinkedWith(b *testing.B, o wasim.Options) (*wasim.Server, *Manager) {
	s := wasim.New(o)
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	opts := testOptions(filepath.Join(b.TempDir(), "data"))
	opts.BaseURL = base
	m := NewManager(opts)
	if err := m.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = m.Stop(ctx)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		st, err := m.WaitFor(ctx, StateQR, StateReady)
		if err != nil {
			b.Fatalf("not linked: %v (%+v)", err, st)
		}
		if st.State == StateReady {
			return s, m
		}
		if st.QR != "" {
			_ = s.ScanRef(st.QR)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// BenchmarkSendPathOldVsNew measures the send path before and after the
// compose-timing work (issue 10) on the same page: two simulators with the
// same seed, so send i of the old path and send i of the new path meet the
// same page timings (page loads are drawn in order), each driven by its own
// browser, alternately. The timings are the simulator's defaults (20 % of
// chats show the box before its handlers, history 0.1-2 s). -benchtime Nx
// is the number of sends per side:
//
//	go test ./browser -run '^$' -bench SendPathOldVsNew -benchtime 100x -v
//
// "same sends" compares the sends the old path delivered with the same
// sends of the new path; the new path must not fail at all.
func BenchmarkSendPathOldVsNew(b *testing.B) {
	seed := wasim.New(wasim.Options{}).Seed()
	_, mOld := benchLinked(b, seed)
	_, mNew := benchLinked(b, seed)
	b.Logf("both simulators: compose timings seed %d", seed)
	ctx := context.Background()
	var oldD, newD, newSame []time.Duration
	oldFailed := 0
	var firstFailure error
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		digits := fmt.Sprintf("91988%07d", i%25+1)
		text := fmt.Sprintf("bench message %d", i)
		start := time.Now()
		_, oldErr := mOld.legacySendText(ctx, "+"+digits, text)
		took := time.Since(start)
		start = time.Now()
		if _, err := mNew.SendText(ctx, "+"+digits, text); err != nil {
			b.Fatalf("new path, send %d: %v", i, err)
		}
		newD = append(newD, time.Since(start))
		if oldErr != nil {
			oldFailed++
			if firstFailure == nil {
				firstFailure = oldErr
			}
			continue
		}
		oldD = append(oldD, took)
		newSame = append(newSame, newD[len(newD)-1])
	}
	b.StopTimer()
	nm, np := percentile(newD, 0.5), percentile(newD, 0.95)
	b.ReportMetric(ms(nm), "new-median-ms")
	b.ReportMetric(float64(oldFailed), "old-failed")
	if len(oldD) == 0 {
		b.Logf("sends per side=%d | the old path failed every send (%v) | new: 0 failed, median %.0f ms", b.N, firstFailure, ms(nm))
		return
	}
	om, op := percentile(oldD, 0.5), percentile(oldD, 0.95)
	sm, sp := percentile(newSame, 0.5), percentile(newSame, 0.95)
	b.ReportMetric(ms(om), "old-median-ms")
	b.ReportMetric(ms(sm), "new-same-sends-median-ms")
	b.Logf("sends per side=%d | old: %d failed (%.0f %%; first: %v) | same %d sends delivered by both: old median %.0f ms p95 %.0f ms mean %.0f ms, new median %.0f ms p95 %.0f ms mean %.0f ms | new over all %d sends: 0 failed, median %.0f ms p95 %.0f ms mean %.0f ms",
		b.N, oldFailed, 100*float64(oldFailed)/float64(b.N), firstFailure, len(oldD), ms(om), ms(op), ms(mean(oldD)), ms(sm), ms(sp), ms(mean(newSame)), len(newD), ms(nm), ms(np), ms(mean(newD)))
}

func mean(d []time.Duration) time.Duration {
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return sum / time.Duration(max(len(d), 1))
}

// BenchmarkSendPathMedia measures the time of one message by kind on the
// simulator, with its timings on (compose and attach timings, seeded) and,
// for reference, off (what the driver itself costs): per round a text, a
// photo (a 400×300 PNG, ~360 KB) and a PDF document (~250 KB) with a
// caption, each to the next of 25 numbers, all through one browser.
// -benchtime Nx is the number of rounds:
//
//	go test ./browser -run '^$' -bench SendPathMedia -benchtime 20x -v
func BenchmarkSendPathMedia(b *testing.B) {
	b.Run("timings-on", func(b *testing.B) {
		seed := wasim.New(wasim.Options{}).Seed()
		o := simOptions()
		o.Timing = wasim.Timing{Seed: seed}
		b.Logf("simulator: compose and attach timings seed %d", seed)
		benchMedia(b, o)
	})
	b.Run("timings-off", func(b *testing.B) {
		o := simOptions()
		o.Timing = wasim.Timing{Off: true}
		benchMedia(b, o)
	})
}

func benchMedia(b *testing.B, o wasim.Options) {
	_, m := benchLinkedWith(b, o)
	photo, _ := storeFile(b, pngBytes(b, 400, 300, 11))
	doc, _ := storeFile(b, pdfBytes(14000))
	ctx := context.Background()
	var text, ph, dc []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		phone := fmt.Sprintf("+91989%07d", i%25+1)
		start := time.Now()
		if _, err := m.SendText(ctx, phone, fmt.Sprintf("bench text %d", i)); err != nil {
			b.Fatalf("text %d: %v", i, err)
		}
		text = append(text, time.Since(start))
		start = time.Now()
		if _, err := m.SendFile(ctx, phone, File{Path: photo, Name: "offer.png", Kind: KindPhoto, Caption: fmt.Sprintf("bench photo %d", i)}); err != nil {
			b.Fatalf("photo %d: %v", i, err)
		}
		ph = append(ph, time.Since(start))
		start = time.Now()
		if _, err := m.SendFile(ctx, phone, File{Path: doc, Name: "Price list.pdf", Kind: KindDocument, Caption: fmt.Sprintf("bench document %d", i)}); err != nil {
			b.Fatalf("document %d: %v", i, err)
		}
		dc = append(dc, time.Since(start))
	}
	b.StopTimer()
	for _, k := range []struct {
		name string
		d    []time.Duration
	}{{"text", text}, {"photo", ph}, {"document", dc}} {
		b.ReportMetric(ms(percentile(k.d, 0.5)), k.name+"-median-ms")
		b.Logf("%-8s n=%d median %.0f ms p95 %.0f ms mean %.0f ms", k.name, len(k.d), ms(percentile(k.d, 0.5)), ms(percentile(k.d, 0.95)), ms(mean(k.d)))
	}
}
