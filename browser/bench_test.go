package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
	"github.com/sambad/sambad/launcher"
)

// Benchmarks print their figures with b.Log and b.ReportMetric; run them as
//
//	go test ./browser -run '^$' -bench . -benchtime 1x -v
//
// (BenchmarkSendText uses -benchtime Nx as the number of sends per side).

func percentile(d []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p*float64(len(s)-1) + 0.5)
	return s[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// rawSend is the floor: the same click-to-chat steps in bare rod on the same
// page with the tightest polling (5 ms), JS focus and click, no checks.
func rawSend(page *rod.Page, base, digits, text string) error {
	const compose = `footer div[contenteditable="true"][data-tab="10"]`
	poll := func(js string) error {
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			r, err := page.Eval(js)
			if err == nil && r.Value.Bool() {
				return nil
			}
			time.Sleep(5 * time.Millisecond)
		}
		return fmt.Errorf("raw: timed out on %s", js)
	}
	if err := page.Navigate(base + "/send?phone=" + digits); err != nil {
		return err
	}
	if err := poll(`() => { const b = document.querySelector('` + compose + `'); if (b) b.focus(); return !!b }`); err != nil {
		return err
	}
	if err := (proto.InputInsertText{Text: text}).Call(page); err != nil {
		return err
	}
	// The page may wire the box late: wait for the button, with an input
	// event now and then, as any script that survives the page must.
	if err := poll(`() => { const b = document.querySelector('button[aria-label="Send"]'); if (!b && Date.now() - (window.__nudged || 0) > 300) { window.__nudged = Date.now(); document.querySelector('` + compose + `').dispatchEvent(new InputEvent('input', {bubbles: true})) } return !!b }`); err != nil {
		return err
	}
	if _, err := page.Eval(`() => { window.__n = document.querySelectorAll('[data-id^="true_"]').length; document.querySelector('button[aria-label="Send"]').click() }`); err != nil {
		return err
	}
	return poll(`() => { const r = document.querySelectorAll('[data-id^="true_"]'); return r.length > window.__n && !!r[r.length-1].querySelector('[data-icon="msg-check"],[data-icon="msg-dblcheck"]') }`)
}

// BenchmarkSendText compares SendText with the raw-CDP floor, interleaved on
// the same page so both see the same simulator and browser.
func BenchmarkSendText(b *testing.B) {
	t := &testing.T{}
	m := sharedManager(t)
	if t.Failed() {
		b.Fatal("no linked manager")
	}
	ctx := context.Background()
	page := m.session().pd.page
	var drv, url, raw []time.Duration
	// Warm both paths once.
	_, _ = m.SendText(ctx, "+919890000000", "warm up")
	_ = rawSend(page, m.opts.BaseURL, "919890000000", "warm up")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		digits := fmt.Sprintf("91989%07d", i%20+1)
		text := fmt.Sprintf("bench message %d", i)
		start := time.Now()
		if _, err := m.SendText(ctx, "+"+digits, text); err != nil {
			b.Fatal(err)
		}
		drv = append(drv, time.Since(start))

		m.opts.TextMode = TextURL
		start = time.Now()
		_, err := m.SendText(ctx, "+"+digits, text+" url")
		url = append(url, time.Since(start))
		m.opts.TextMode = TextInsert
		if err != nil {
			b.Fatal(err)
		}

		m.ops <- struct{}{} // hold the page like a command does
		start = time.Now()
		err = rawSend(page, m.opts.BaseURL, digits, text+" raw")
		raw = append(raw, time.Since(start))
		<-m.ops
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if mem, err := m.session().chrome.Memory(); err == nil {
		b.Logf("after %d sends: PSS %.0f MiB (anon+shmem %.0f MiB) over %d processes", 3*b.N, float64(mem.PSS)/(1<<20), float64(mem.Anon)/(1<<20), mem.Processes)
	}
	dm, dp := percentile(drv, 0.5), percentile(drv, 0.95)
	um, up := percentile(url, 0.5), percentile(url, 0.95)
	rm, rp := percentile(raw, 0.5), percentile(raw, 0.95)
	b.ReportMetric(ms(dm), "driver-median-ms")
	b.ReportMetric(ms(dp), "driver-p95-ms")
	b.ReportMetric(ms(um), "driver-url-median-ms")
	b.ReportMetric(ms(rm), "floor-median-ms")
	b.ReportMetric(ms(rp), "floor-p95-ms")
	b.ReportMetric(float64(dm)/float64(rm), "median-ratio")
	b.Logf("sends=%d driver (insert) median %.1f ms p95 %.1f ms | driver (text= in URL) median %.1f ms p95 %.1f ms | raw floor median %.1f ms p95 %.1f ms | ratio %.2f (url %.2f)",
		len(drv), ms(dm), ms(dp), ms(um), ms(up), ms(rm), ms(rp), float64(dm)/float64(rm), float64(um)/float64(rm))
}

// readyPSS launches Chromium with opts, links it to the simulator, waits for
// the chat list and returns the process tree's PSS in MiB.
func readyPSS(b *testing.B, opts launcher.Options) (launcher.Memory, int) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := launcher.Launch(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	p, err := c.NewPage()
	if err != nil {
		b.Fatal(err)
	}
	p = p.Context(ctx)
	if err := p.Navigate(simURL + "/"); err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if has, _, _ := p.Has("#pane-side"); has {
			break
		}
		if has, el, _ := p.Has("div[data-ref]"); has {
			if ref, _ := el.Attribute("data-ref"); ref != nil && *ref != "" {
				_ = sim.ScanRef(*ref)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if has, _, _ := p.Has("#pane-side"); !has {
		txt, _ := p.Eval(`() => location.href + " " + document.body.innerText.slice(0, 300)`)
		b.Fatalf("chat list not shown (rod defaults %v): %v", opts.RodDefaults, txt.Value)
	}
	time.Sleep(3 * time.Second) // let start-up work settle
	mem, err := c.Memory()
	if err != nil {
		b.Fatal(err)
	}
	return mem, foreignChromium(mem.Processes)
}

// foreignChromium counts Chromium processes on the machine outside the
// measured tree (ours has n): they share pages with ours and lower its PSS.
func foreignChromium(ours int) int {
	files, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	total := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err == nil && strings.HasPrefix(string(b), "/usr/lib/chromium/chromium") {
			total++
		}
	}
	return total - ours
}

// BenchmarkMemoryAtReady measures the Chromium process tree's PSS with the
// chat list shown: rod's default flags, Sambad's flags, and Sambad's flags
// with --single-process.
func BenchmarkMemoryAtReady(b *testing.B) {
	configs := []struct {
		name string
		opts func(dir string) launcher.Options
	}{
		{"rod-defaults", func(dir string) launcher.Options {
			return launcher.Options{DataDir: dir, ChromePath: chromiumBin, Headless: true, RodDefaults: true, TestHostRules: "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"}
		}},
		{"sambad-multi-process", func(dir string) launcher.Options {
			o := testOptions(dir).launcherOptions()
			o.SingleProcess = false
			return o
		}},
		{"sambad-single-process-default", func(dir string) launcher.Options {
			o := testOptions(dir).launcherOptions()
			o.SingleProcess = true
			return o
		}},
	}
	samples := map[string][]float64{}
	anon := map[string][]float64{}
	clean := map[string][]float64{}
	for i := 0; i < b.N; i++ {
		var lines []string
		for _, c := range configs {
			dir, err := os.MkdirTemp("", "sambad-bench-*")
			if err != nil {
				b.Fatal(err)
			}
			mem, foreign := readyPSS(b, c.opts(filepath.Join(dir, "data")))
			_ = os.RemoveAll(dir)
			mib, n := float64(mem.PSS)/(1<<20), mem.Processes
			samples[c.name] = append(samples[c.name], mib)
			anon[c.name] = append(anon[c.name], float64(mem.Anon)/(1<<20))
			if foreign == 0 {
				clean[c.name] = append(clean[c.name], mib)
			}
			lines = append(lines, fmt.Sprintf("%s: %.0f MiB PSS (anon+shmem %.0f MiB) over %d processes (%d other Chromium processes running)", c.name, mib, float64(mem.Anon)/(1<<20), n, foreign))
		}
		b.Log(strings.Join(lines, "\n"))
	}
	median := func(v []float64) float64 {
		s := append([]float64(nil), v...)
		sort.Float64s(s)
		if len(s) == 0 {
			return 0
		}
		return s[len(s)/2]
	}
	base := median(samples[configs[0].name])
	baseAnon := median(anon[configs[0].name])
	var lines []string
	for _, c := range configs {
		mm, ma := median(samples[c.name]), median(anon[c.name])
		b.ReportMetric(mm, c.name+"-MiB")
		b.ReportMetric(ma, c.name+"-anon-MiB")
		lines = append(lines, fmt.Sprintf("median %s: PSS %.0f MiB (%.2fx rod defaults), anon+shmem %.0f MiB (%.2fx); PSS on a quiet machine: %.0f", c.name, mm, mm/base, ma, ma/baseAnon, clean[c.name]))
	}
	b.Log(strings.Join(lines, "\n"))
}

// BenchmarkStart measures Start → QR payload shown on a fresh profile, and
// Start → ready on a linked profile.
func BenchmarkStart(b *testing.B) {
	var cold, warm []time.Duration
	for i := 0; i < b.N; i++ {
		dir, err := os.MkdirTemp("", "sambad-bench-*")
		if err != nil {
			b.Fatal(err)
		}
		opts := testOptions(filepath.Join(dir, "data"))
		m := NewManager(opts)
		start := time.Now()
		_ = m.Start(context.Background())
		for m.Status().QR == "" {
			if time.Since(start) > 30*time.Second {
				b.Fatal("no QR")
			}
			time.Sleep(5 * time.Millisecond)
		}
		cold = append(cold, time.Since(start))
		_ = sim.ScanRef(m.Status().QR)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if _, err := m.WaitFor(ctx, StateReady); err != nil {
			b.Fatal(err)
		}
		_ = m.Stop(ctx)
		m2 := NewManager(opts)
		start = time.Now()
		_ = m2.Start(ctx)
		if _, err := m2.WaitFor(ctx, StateReady); err != nil {
			b.Fatal(err)
		}
		warm = append(warm, time.Since(start))
		_ = m2.Stop(ctx)
		cancel()
		_ = os.RemoveAll(dir)
	}
	b.ReportMetric(ms(percentile(cold, 0.5)), "cold-to-qr-ms")
	b.ReportMetric(ms(percentile(warm, 0.5)), "warm-to-ready-ms")
	b.Logf("runs=%d start→QR median %.0f ms (max %.0f) | warm start→ready median %.0f ms (max %.0f)",
		len(cold), ms(percentile(cold, 0.5)), ms(percentile(cold, 1)), ms(percentile(warm, 0.5)), ms(percentile(warm, 1)))
}

// BenchmarkComposeAndClick isolates the driver's own work in an open chat:
// prepare + type + checked send + wait for the new bubble's id, against raw
// CDP focus + Input.insertText + JS click + 5 ms polling for the bubble.
func BenchmarkComposeAndClick(b *testing.B) {
	t := &testing.T{}
	m := sharedManager(t)
	if t.Failed() {
		b.Fatal("no linked manager")
	}
	ctx := context.Background()
	if _, err := m.SendText(ctx, "+919891000001", "open the chat"); err != nil {
		b.Fatal(err)
	}
	m.ops <- struct{}{}
	defer func() { <-m.ops }()
	pd := m.session().pd
	page := pd.page
	driverStep := func(text string) error {
		var prep okResult
		if err := pd.run(ctx, "prepare", nil, &prep); err != nil || !prep.OK {
			return fmt.Errorf("prepare: %v %s", err, prep.Reason)
		}
		if err := pd.typeText(ctx, text); err != nil {
			return err
		}
		var r sendResult
		err := pd.runOnce(ctx, "send", map[string]any{"text": text, "wait": map[string]any{"minAck": int(AckPending), "timeout": 10000}}, &r)
		if err != nil || !r.OK || r.Msg == nil || r.TimedOut {
			return fmt.Errorf("send: %v %s", err, r.Reason)
		}
		return nil
	}
	rawStep := func(text string) error {
		if _, err := page.Eval(`() => document.querySelector('footer div[contenteditable="true"][data-tab="10"]').focus()`); err != nil {
			return err
		}
		if err := (proto.InputInsertText{Text: text}).Call(page); err != nil {
			return err
		}
		if _, err := page.Eval(`() => { window.__n = document.querySelectorAll('[data-id^="true_"]').length; document.querySelector('button[aria-label="Send"]').click() }`); err != nil {
			return err
		}
		for {
			r, err := page.Eval(`() => document.querySelectorAll('[data-id^="true_"]').length > window.__n`)
			if err != nil {
				return err
			}
			if r.Value.Bool() {
				return nil
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	var drv, raw []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := driverStep(fmt.Sprintf("driver %d", i)); err != nil {
			b.Fatal(err)
		}
		drv = append(drv, time.Since(start))
		start = time.Now()
		if err := rawStep(fmt.Sprintf("raw %d", i)); err != nil {
			b.Fatal(err)
		}
		raw = append(raw, time.Since(start))
	}
	b.StopTimer()
	dm, dp := percentile(drv, 0.5), percentile(drv, 0.95)
	rm, rp := percentile(raw, 0.5), percentile(raw, 0.95)
	b.ReportMetric(ms(dm), "driver-median-ms")
	b.ReportMetric(ms(rm), "floor-median-ms")
	b.ReportMetric(float64(dm)/float64(rm), "median-ratio")
	b.Logf("messages=%d driver median %.1f ms p95 %.1f ms | raw floor median %.1f ms p95 %.1f ms | ratio %.2f", len(drv), ms(dm), ms(dp), ms(rm), ms(rp), float64(dm)/float64(rm))
}
