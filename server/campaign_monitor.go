package server

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// monitorView is the live part of a campaign page: counts, not lists, so it
// costs the same for 10 recipients as for 100k.
type monitorView struct {
	C         *models.Campaign
	Counts    models.StateCounts
	States    []stateCount
	Total     int64
	Done      int64
	Pct       int64
	Remaining int64
	ETA       string // the time left, rounded as an estimate should be
	ETABasis  string // what the estimate rests on
	Live      campaign.Live
	Loc       *time.Location
	Leased    bool // hybrid mode: campaigns are sent by the install holding their lease
	// Accounts is the "By account" table of a campaign with accounts.
	Accounts []accountProgress
	// Held: the accounts holding recipients of the current run (left
	// "sending"), each releasable while it is not connected.
	Held []campaign.HeldAccount
}

type stateCount struct {
	State string
	N     int64
}

func (s *Server) monitorView(ctx context.Context, id string) (*monitorView, error) {
	cp, err := s.store.GetCampaign(ctx, id)
	if err != nil {
		return nil, err
	}
	counts, err := s.campaigns.Counts(ctx, id, cp.UpdatedAt)
	if err != nil {
		return nil, err
	}
	v := &monitorView{C: cp, Counts: counts, Total: counts.Total(), Done: counts.Done(), Live: s.campaigns.Live(id), Loc: s.cfg.Location(), Leased: s.campaigns.Leased()}
	for _, st := range models.RecipientStates {
		v.States = append(v.States, stateCount{st, counts[st]})
	}
	if v.Total > 0 {
		v.Pct = v.Done * 100 / v.Total
	}
	if v.Accounts, err = s.campaignAccounts(ctx, cp); err != nil {
		return nil, err
	}
	if cp.State == models.CampaignRunning || cp.State == models.CampaignPaused {
		v.Remaining = counts[models.RecipientPending] + counts[models.RecipientSending]
		v.ETA, v.ETABasis = estimateText(cp.Pacing, v.Remaining, v.Live)
		if counts[models.RecipientSending] > 0 {
			v.Held, _ = s.campaigns.Held(ctx, id) // the monitor goes on without it
		}
	}
	return v, nil
}

// humanDuration writes 3h 20m, 4m 10s or 12s.
func humanDuration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d <= 0:
		return "—"
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
	case d >= time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute && int(d.Seconds())%60 == 0:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d >= time.Minute:
		return fmt.Sprintf("%dm %ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}

// UntilText says when the runner's current wait ends, in the configured zone.
func (v *monitorView) UntilText() string {
	if v.Live.Until.IsZero() {
		return ""
	}
	left := time.Until(v.Live.Until)
	if left < time.Second {
		return ""
	}
	if left < time.Minute {
		return "— next in " + humanDuration(left)
	}
	return "until " + v.Live.Until.In(v.Loc).Format("Mon 15:04")
}

// Clock formats a time of day in the configured zone.
func (v *monitorView) Clock(t time.Time) string { return t.In(v.Loc).Format("15:04:05") }

// When formats a date and time in the configured zone ("" for nil).
func (v *monitorView) When(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(v.Loc).Format("2 Jan 2006 15:04")
}

// StatePct is a state's share of all recipients, for bar widths.
func (v *monitorView) StatePct(n int64) int64 {
	if v.Total == 0 {
		return 0
	}
	return n * 100 / v.Total
}

// Sent counts sent, delivered and read.
func (v *monitorView) Sent() int64 { return v.Counts.Sent() }

// Active reports whether the campaign may still send.
func (v *monitorView) Active() bool {
	return v.C.State == models.CampaignRunning || v.C.State == models.CampaignPaused
}

// Finished reports whether the campaign's run is over.
func (v *monitorView) Finished() bool {
	switch v.C.State {
	case models.CampaignCompleted, models.CampaignStopped, models.CampaignFailed:
		return true
	}
	return false
}

// At formats a time in the configured zone.
func (v *monitorView) At(t time.Time) string { return v.When(&t) }

// Delivered counts delivered and read.
func (v *monitorView) Delivered() int64 {
	return v.Counts[models.RecipientDelivered] + v.Counts[models.RecipientRead]
}

// PacingText describes the pacing in words.
func (v *monitorView) PacingText() string {
	p := v.C.Pacing
	secs := func(ms int64) string { return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64) }
	out := fmt.Sprintf("%s–%s s between messages", secs(p.MinDelayMS), secs(p.MaxDelayMS))
	if p.PauseEvery > 0 {
		out += fmt.Sprintf(", a %s pause every %d", humanDuration(time.Duration(p.PauseMS)*time.Millisecond), p.PauseEvery)
	}
	if p.DailyCap > 0 {
		out += fmt.Sprintf(", at most %d a day", p.DailyCap)
	}
	if p.QuietStart != "" {
		out += fmt.Sprintf(", quiet %s–%s (%s)", p.QuietStart, p.QuietEnd, v.Loc)
	}
	return out
}
