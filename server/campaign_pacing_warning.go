package server

import (
	"strconv"
	"strings"

	"github.com/sambad/sambad/campaign"
)

// TooFast reports whether the campaign may wait less than a second between
// messages: allowed, but its pages say so.
func (v *monitorView) TooFast() bool { return campaign.TooFast(v.C.Pacing) }

// TooFast reports whether the form's custom pacing waits less than a second
// between messages, so the form warns before saving.
func (f campaignForm) TooFast() bool {
	if f.Preset != "custom" || strings.TrimSpace(f.MinDelay) == "" {
		return false
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(f.MinDelay), 64)
	return err == nil && n*1000 < float64(campaign.FastDelay.Milliseconds())
}
