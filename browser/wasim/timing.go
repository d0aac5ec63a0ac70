package wasim

import (
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

// SeedEnv names the environment variable that fixes the timing seed when
// Options.Timing.Seed is zero, so a failed run can be replayed.
const SeedEnv = "SAMBAD_SIM_SEED"

// Default compose timings (whatsapp-web-surface.md 4a). Delays are drawn in
// [min, max], most of them near min (min + (max-min)·u³, mean a quarter of
// the way), as on a busy account where most chats open quickly and a few
// take seconds.
const (
	DefaultEarlyCompose = 0.2
	DefaultHistoryMin   = 100 * time.Millisecond
	DefaultHistoryMax   = 2 * time.Second
	DefaultHandlersMax  = 300 * time.Millisecond
	DefaultFillMin      = 200 * time.Millisecond
	DefaultFillMax      = 3 * time.Second
	DefaultAttachMax    = 800 * time.Millisecond
	DefaultEditorMax    = 1500 * time.Millisecond
)

// Timing makes the chat view as awkward as the real page's (section 4a):
// the compose box may be in the DOM before its input handlers are wired
// (text typed then stays, but the send button waits for the next input
// event), an empty box shows the microphone, the text= of click-to-chat is
// filled late and replaces what was typed, a chat keeps its unsent draft,
// and history loads slowly. It is on unless Off is set. Every delay is drawn
// from Seed, so a run can be replayed.
type Timing struct {
	// Off wires the compose box at once, loads history and fills text= as
	// soon as the chat opens, and keeps no drafts.
	Off bool
	// Seed drives every random delay; zero takes SAMBAD_SIM_SEED, else a
	// random seed (Server.Seed tells which).
	Seed uint64
	// EarlyCompose is the share of chat opens (0..1) whose compose box is
	// shown before its handlers are wired; the others show the box wired,
	// after the history. Negative means never.
	EarlyCompose float64
	// HistoryMin and HistoryMax bound how long a chat's history takes to load.
	HistoryMin, HistoryMax time.Duration
	// HandlersMax bounds how long after the history the handlers are wired.
	HandlersMax time.Duration
	// FillMin and FillMax bound when, after the chat opens, the box receives
	// the text= of the URL (never before the handlers are wired).
	FillMin, FillMax time.Duration
	// AttachMax bounds each step of the attach menu (section 4b): the menu
	// showing after a click, its file inputs attaching, and the media
	// editor wiring its caption box and showing its send button.
	AttachMax time.Duration
	// EditorMax bounds how long the media editor takes to render once files
	// are set.
	EditorMax time.Duration
}

func (t Timing) withDefaults() Timing {
	if t.EarlyCompose == 0 {
		t.EarlyCompose = DefaultEarlyCompose
	}
	if t.EarlyCompose < 0 {
		t.EarlyCompose = 0
	}
	if t.HistoryMax <= 0 {
		t.HistoryMin, t.HistoryMax = DefaultHistoryMin, DefaultHistoryMax
	}
	if t.HandlersMax <= 0 {
		t.HandlersMax = DefaultHandlersMax
	}
	if t.FillMax <= 0 {
		t.FillMin, t.FillMax = DefaultFillMin, DefaultFillMax
	}
	if t.AttachMax <= 0 {
		t.AttachMax = DefaultAttachMax
	}
	if t.EditorMax <= 0 {
		t.EditorMax = DefaultEditorMax
	}
	t.HistoryMin = min(t.HistoryMin, t.HistoryMax)
	t.FillMin = min(t.FillMin, t.FillMax)
	if t.Seed == 0 {
		t.Seed = seedFromEnv()
	}
	return t
}

func seedFromEnv() uint64 {
	if v := os.Getenv(SeedEnv); v != "" {
		if n, err := strconv.ParseUint(v, 10, 64); err == nil && n != 0 {
			return n
		}
	}
	return rand.Uint64()>>1 | 1
}

// timingBoot is what one page load learns of the timings: its own seed,
// drawn from the server's, so the sequence of page loads replays.
type timingBoot struct {
	Off          bool    `json:"off"`
	Seed         uint32  `json:"seed"`
	EarlyCompose float64 `json:"early"`
	HistoryMin   int64   `json:"historyMin"`
	HistoryMax   int64   `json:"historyMax"`
	HandlersMax  int64   `json:"handlersMax"`
	FillMin      int64   `json:"fillMin"`
	FillMax      int64   `json:"fillMax"`
	AttachMax    int64   `json:"attachMax"`
	EditorMax    int64   `json:"editorMax"`
}

// pageTiming draws the timings of the next page load.
func (s *Server) pageTiming() timingBoot {
	t := s.opts.Timing
	if t.Off {
		return timingBoot{Off: true}
	}
	s.mu.Lock()
	seed := s.rng.Uint32() | 1
	s.mu.Unlock()
	return timingBoot{
		Seed: seed, EarlyCompose: t.EarlyCompose,
		HistoryMin: t.HistoryMin.Milliseconds(), HistoryMax: t.HistoryMax.Milliseconds(),
		HandlersMax: t.HandlersMax.Milliseconds(),
		FillMin:     t.FillMin.Milliseconds(), FillMax: t.FillMax.Milliseconds(),
		AttachMax: t.AttachMax.Milliseconds(), EditorMax: t.EditorMax.Milliseconds(),
	}
}

// Seed is the seed of the compose timings (0 when they are off). Set
// SAMBAD_SIM_SEED to it to replay a run.
func (s *Server) Seed() uint64 {
	if s.opts.Timing.Off {
		return 0
	}
	return s.opts.Timing.Seed
}

// TestingT is the part of testing.TB that ReportSeedOnFailure needs.
type TestingT interface {
	Cleanup(func())
	Failed() bool
	Logf(format string, args ...any)
}

// ReportSeedOnFailure logs the timing seed when t fails, so the run can be
// replayed with SAMBAD_SIM_SEED.
func (s *Server) ReportSeedOnFailure(t TestingT) {
	t.Cleanup(func() {
		if t.Failed() && s.Seed() != 0 {
			t.Logf("wasim: compose timings were on with seed %d; replay with %s=%d", s.Seed(), SeedEnv, s.Seed())
		}
	})
}
