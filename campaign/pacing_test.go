package campaign

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sambad/sambad/models"
)

func TestNormalizePacing(t *testing.T) {
	p, err := NormalizePacing(models.Pacing{})
	if err != nil || p.Preset != "medium" || p.MinDelayMS != 20000 || p.MaxDelayMS != 50000 || p.MaxFailures != DefaultMaxFailures {
		t.Fatalf("default = %+v, %v", p, err)
	}
	p, err = NormalizePacing(models.Pacing{Preset: "very_long", MinDelayMS: 1})
	if err != nil || p.MinDelayMS != 120000 || p.MaxDelayMS != 300000 {
		t.Fatalf("preset = %+v, %v", p, err)
	}
	p, err = NormalizePacing(models.Pacing{MinDelayMS: 5, MaxDelayMS: 9})
	if err != nil || p.Preset != "custom" || p.MinDelayMS != 5 {
		t.Fatalf("custom = %+v, %v", p, err)
	}
	for _, in := range []models.Pacing{{Preset: "custom"}, {Preset: "custom", PauseEvery: 5}, {Preset: "custom", MinDelayMS: 0, MaxDelayMS: 0}} {
		if err := CheckPacingInput(in); err == nil {
			t.Errorf("custom pacing without delays %+v accepted", in)
		}
	}
	if err := CheckPacingInput(models.Pacing{Preset: "custom", MaxDelayMS: 500}); err != nil {
		t.Errorf("custom 0–500 ms refused: %v", err)
	}
	if !TooFast(p) {
		t.Error("5–9 ms is not reported as under a second")
	}
	if p, _ = NormalizePacing(models.Pacing{Preset: "very_short"}); TooFast(p) {
		t.Error("the 1–5 s preset is reported as under a second")
	}
	for _, bad := range []models.Pacing{
		{Preset: "warp"}, {Preset: "custom", MinDelayMS: 10, MaxDelayMS: 5}, {Preset: "custom", MinDelayMS: -1},
		{QuietStart: "22:00"}, {QuietStart: "25:00", QuietEnd: "08:00"}, {QuietStart: "22:0", QuietEnd: "08:00"}, {DailyCap: -1},
	} {
		if _, err := NormalizePacing(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestDelaysStayInRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := models.Pacing{MinDelayMS: 5000, MaxDelayMS: 20000}
	lo, hi := time.Hour, time.Duration(0)
	for i := 0; i < 10000; i++ {
		d := NextDelay(p, rng)
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo < 5*time.Second || hi > 20*time.Second || lo > 5100*time.Millisecond || hi < 19900*time.Millisecond {
		t.Fatalf("delays ranged %v..%v", lo, hi)
	}
	p = models.Pacing{PauseEvery: 50, PauseMS: 60000}
	if ExtraPause(p, 49) != 0 || ExtraPause(p, 50) != time.Minute || ExtraPause(p, 100) != time.Minute || ExtraPause(p, 0) != 0 {
		t.Fatal("extra pause not every 50th message")
	}
	eta := ETA(models.Pacing{MinDelayMS: 20000, MaxDelayMS: 50000, PauseEvery: 10, PauseMS: 60000}, 100, time.Second)
	if want := 100*36*time.Second + 10*time.Minute; eta != want {
		t.Fatalf("eta %v, want %v", eta, want)
	}
}

func TestQuietHours(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Kolkata")
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, loc) }
	overnight := models.Pacing{QuietStart: "22:00", QuietEnd: "08:00"}
	daytime := models.Pacing{QuietStart: "13:00", QuietEnd: "14:30"}
	for _, tc := range []struct {
		p     models.Pacing
		now   time.Time
		quiet bool
		until time.Time
	}{
		{overnight, at(5, 21, 59), false, time.Time{}},
		{overnight, at(5, 22, 0), true, at(6, 8, 0)},
		{overnight, at(6, 3, 0), true, at(6, 8, 0)},
		{overnight, at(6, 8, 0), false, time.Time{}},
		{daytime, at(5, 13, 30), true, at(5, 14, 30)},
		{daytime, at(5, 14, 30), false, time.Time{}},
		{models.Pacing{}, at(5, 3, 0), false, time.Time{}},
		// The same instant given in UTC is read in the configured zone.
		{overnight, at(5, 23, 0).UTC(), true, at(6, 8, 0)},
	} {
		until, quiet := QuietUntil(tc.p, tc.now, loc)
		if quiet != tc.quiet || !until.Equal(tc.until) {
			t.Errorf("%v at %v: quiet %v until %v; want %v until %v", tc.p, tc.now, quiet, until, tc.quiet, tc.until)
		}
	}
	if _, capped := CapUntil(models.Pacing{DailyCap: 10}, 9, at(5, 12, 0), loc); capped {
		t.Fatal("capped below the cap")
	}
	if until, capped := CapUntil(models.Pacing{DailyCap: 10}, 10, at(5, 12, 0), loc); !capped || !until.Equal(at(6, 0, 0)) {
		t.Fatalf("cap until %v", until)
	}
}
