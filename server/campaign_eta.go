package server

import (
	"fmt"
	"strconv"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// estimateText is the time left for the remaining messages, rounded as an
// estimate should be (no "1m 23s" that suggests a precision it lacks), and
// what it rests on: the measured time per message, or the pacing alone
// before any was measured.
func estimateText(p models.Pacing, remaining int64, l campaign.Live) (eta, basis string) {
	left, measured := campaign.EstimateLeft(p, remaining, l)
	eta = roughDuration(left)
	if measured {
		return eta, fmt.Sprintf("at %s s a message so far", strconv.FormatFloat(l.PerMessage.Seconds(), 'f', 1, 64))
	}
	return eta, "going by the pacing until a few messages are out"
}

// roughDuration rounds a duration to what an estimate can tell: 10 s steps
// under two minutes, minutes under two hours, then 10-minute steps.
func roughDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < 10*time.Second:
		return "a few seconds"
	case d.Round(10*time.Second) < 2*time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(10*time.Second).Seconds()))
	case d < 2*time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
	case d < 48*time.Hour:
		d = d.Round(10 * time.Minute)
		if m := int(d.Minutes()) % 60; m != 0 {
			return fmt.Sprintf("%d h %d min", int(d.Hours()), m)
		}
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Round(24*time.Hour).Hours()/24))
}
