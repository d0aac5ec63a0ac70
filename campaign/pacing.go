package campaign

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/sambad/sambad/models"
)

// Preset is a named pair of delays between messages.
type Preset struct {
	Name, Label string
	Min, Max    time.Duration
}

// Presets are the pacing choices offered, slowest last. Medium is the default.
var Presets = []Preset{
	{"very_short", "Very short (1–5 s)", 1 * time.Second, 5 * time.Second},
	{"short", "Short (5–20 s)", 5 * time.Second, 20 * time.Second},
	{"medium", "Medium (20–50 s)", 20 * time.Second, 50 * time.Second},
	{"long", "Long (50–120 s)", 50 * time.Second, 120 * time.Second},
	{"very_long", "Very long (120–300 s)", 120 * time.Second, 300 * time.Second},
}

// DefaultPreset is used when no pacing is given.
const DefaultPreset = "medium"

// DefaultMaxFailures is how many failures in a row pause a campaign when the
// pacing does not say.
const DefaultMaxFailures = 5

const maxDelay = 24 * time.Hour

// FastDelay is the shortest delay between messages given without a warning:
// shorter is allowed, but looks like a bot to WhatsApp.
const FastDelay = time.Second

// TooFast reports whether the pacing may wait less than FastDelay between
// two messages.
func TooFast(p models.Pacing) bool { return time.Duration(p.MinDelayMS)*time.Millisecond < FastDelay }

// NormalizePacing fills a preset's delays (a named preset wins over delays
// given with it; "custom" or delays without a preset keep the delays) and
// checks every field, naming the one that is wrong.
func NormalizePacing(p models.Pacing) (models.Pacing, error) {
	bad := func(field, msg string) (models.Pacing, error) {
		return p, &models.ValidationError{Field: "pacing." + field, Message: msg}
	}
	switch {
	case p.Preset == "" && p.MinDelayMS == 0 && p.MaxDelayMS == 0:
		p.Preset = DefaultPreset
	case p.Preset == "":
		p.Preset = "custom"
	}
	if p.Preset != "custom" {
		found := false
		for _, pr := range Presets {
			if pr.Name == p.Preset {
				p.MinDelayMS, p.MaxDelayMS, found = pr.Min.Milliseconds(), pr.Max.Milliseconds(), true
			}
		}
		if !found {
			return bad("preset", fmt.Sprintf("%q is not a preset: use very_short, short, medium, long, very_long or custom", p.Preset))
		}
	}
	if p.MinDelayMS < 0 || p.MaxDelayMS < 0 {
		return bad("min_delay_ms", "delays cannot be negative")
	}
	if p.MaxDelayMS < p.MinDelayMS {
		return bad("max_delay_ms", fmt.Sprintf("must be at least the minimum delay (%d ms)", p.MinDelayMS))
	}
	if time.Duration(p.MaxDelayMS)*time.Millisecond > maxDelay {
		return bad("max_delay_ms", "must be at most 24 hours")
	}
	if p.PauseEvery < 0 || p.PauseMS < 0 || time.Duration(p.PauseMS)*time.Millisecond > maxDelay {
		return bad("pause_every", "the longer pause needs a positive count and a duration up to 24 hours")
	}
	if p.DailyCap < 0 {
		return bad("daily_cap", "cannot be negative (0 means no cap)")
	}
	if p.MaxFailures < 0 {
		return bad("max_failures", "cannot be negative")
	}
	if p.MaxFailures == 0 {
		p.MaxFailures = DefaultMaxFailures
	}
	if (p.QuietStart == "") != (p.QuietEnd == "") {
		return bad("quiet_start", "give both the start and the end of quiet hours, or neither")
	}
	for field, v := range map[string]string{"quiet_start": p.QuietStart, "quiet_end": p.QuietEnd} {
		if _, ok := clockMinutes(v); v != "" && !ok {
			return bad(field, fmt.Sprintf("%q is not a time of day like 21:30", v))
		}
	}
	return p, nil
}

// CheckPacingInput refuses custom pacing without delays, as a person or an
// API client gives it. Left empty, custom pacing used to mean 0 ms: as fast
// as WhatsApp takes messages, which gets a bulk sender's account banned. The
// engine itself still runs such an unpaced campaign (Sambad's tests and
// benchmarks make them through the store). Call it before NormalizePacing.
func CheckPacingInput(p models.Pacing) error {
	if p.Preset == "custom" && p.MaxDelayMS <= 0 {
		return &models.ValidationError{Field: "pacing.max_delay_ms", Message: "custom pacing needs its delays: give min_delay_ms and max_delay_ms (0 ms would send as fast as WhatsApp allows and risks your account)"}
	}
	return nil
}

// clockMinutes parses "HH:MM" into minutes after midnight.
func clockMinutes(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(m) != 2 {
		return 0, false
	}
	return hh*60 + mm, true
}

// NextDelay is a random wait between the pacing's minimum and maximum.
func NextDelay(p models.Pacing, rng *rand.Rand) time.Duration {
	lo, hi := p.MinDelayMS, p.MaxDelayMS
	if hi <= lo {
		return time.Duration(lo) * time.Millisecond
	}
	return time.Duration(lo+rng.Int64N(hi-lo+1)) * time.Millisecond
}

// ExtraPause is the longer pause due after the sent-th message of a run.
func ExtraPause(p models.Pacing, sent int64) time.Duration {
	if p.PauseEvery <= 0 || sent <= 0 || sent%int64(p.PauseEvery) != 0 {
		return 0
	}
	return time.Duration(p.PauseMS) * time.Millisecond
}

// QuietUntil reports whether now (read in loc) falls in the quiet hours and,
// if so, when they end. Quiet hours may cross midnight (22:00–08:00).
func QuietUntil(p models.Pacing, now time.Time, loc *time.Location) (time.Time, bool) {
	start, ok1 := clockMinutes(p.QuietStart)
	end, ok2 := clockMinutes(p.QuietEnd)
	if !ok1 || !ok2 || start == end {
		return time.Time{}, false
	}
	t := now.In(loc)
	mins := t.Hour()*60 + t.Minute()
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	at := func(day, m int) time.Time { return midnight.AddDate(0, 0, day).Add(time.Duration(m) * time.Minute) }
	if start < end {
		if mins >= start && mins < end {
			return at(0, end), true
		}
		return time.Time{}, false
	}
	switch {
	case mins >= start:
		return at(1, end), true
	case mins < end:
		return at(0, end), true
	}
	return time.Time{}, false
}

// StartOfDay is midnight of now's day in loc: the daily cap counts from here.
func StartOfDay(now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// CapUntil reports whether the daily cap is reached with sentToday messages
// and, if so, when the next day starts.
func CapUntil(p models.Pacing, sentToday int64, now time.Time, loc *time.Location) (time.Time, bool) {
	if p.DailyCap <= 0 || sentToday < int64(p.DailyCap) {
		return time.Time{}, false
	}
	return StartOfDay(now, loc).AddDate(0, 0, 1), true
}

// ETA estimates how long remaining messages take at this pacing, given the
// average time one send takes; quiet hours and the daily cap are not counted.
func ETA(p models.Pacing, remaining int64, perSend time.Duration) time.Duration {
	if remaining <= 0 {
		return 0
	}
	mean := time.Duration((p.MinDelayMS+p.MaxDelayMS)/2) * time.Millisecond
	eta := time.Duration(remaining) * (mean + perSend)
	if p.PauseEvery > 0 {
		eta += time.Duration(remaining/int64(p.PauseEvery)) * time.Duration(p.PauseMS) * time.Millisecond
	}
	return eta
}

// EstimateLeft is the time the remaining messages take: from the measured
// time per message once two gaps are measured (it includes what the pacing
// alone misses: typing, opening chats, recording), else from the pacing.
// measured says which. Quiet hours and the daily cap are not counted.
func EstimateLeft(p models.Pacing, remaining int64, l Live) (left time.Duration, measured bool) {
	if remaining <= 0 {
		return 0, l.Measured >= 2
	}
	if l.Measured < 2 {
		return ETA(p, remaining, l.PerSend), false
	}
	left = time.Duration(remaining) * l.PerMessage
	if p.PauseEvery > 0 {
		left += time.Duration(remaining/int64(p.PauseEvery)) * time.Duration(p.PauseMS) * time.Millisecond
	}
	return left, true
}
