package server

import (
	"strings"

	"github.com/sambad/sambad/models"
)

// recipientWords are the words every page uses for a recipient's state, so
// the monitor, the recipients list and the report say the same thing. The
// API and the exports keep the codes.
var recipientWords = map[string]string{
	models.RecipientPending:   "not sent yet",
	models.RecipientSending:   "sending",
	models.RecipientSent:      "sent",
	models.RecipientDelivered: "delivered",
	models.RecipientRead:      "read",
	models.RecipientFailed:    "failed",
	models.RecipientInvalid:   "not on WhatsApp",
	models.RecipientUnknown:   "unknown",
	models.RecipientSkipped:   "skipped",
}

// stateWord is a state in words; campaign states and activity (running,
// paused, resumed, ...) are words already.
func stateWord(state string) string {
	if w, ok := recipientWords[state]; ok {
		return w
	}
	return state
}

// funnelStep is one number of a campaign's outcome. Sent counts every
// message that went out, delivered every one that arrived (read ones too):
// the monitor and the report show these same steps from the same counts.
type funnelStep struct {
	Key, Label string
	N          int64
	Filter     string // the recipients list's state filter that shows them
}

// Funnel is the campaign's outcome, the one set of numbers its pages show.
func (v *monitorView) Funnel() []funnelStep { return funnel(v.Counts) }

// funnel is the outcome steps of any counts (one campaign's, or the
// reports page's totals).
func funnel(k models.StateCounts) []funnelStep {
	steps := []funnelStep{
		{"sent", "sent", k.Sent(), "sent,delivered,read"},
		{"delivered", "delivered", k[models.RecipientDelivered] + k[models.RecipientRead], "delivered,read"},
		{"read", "read", k[models.RecipientRead], "read"},
		{"failed", "failed", k[models.RecipientFailed], "failed"},
		{"invalid_number", stateWord(models.RecipientInvalid), k[models.RecipientInvalid], "invalid_number"},
		{"unknown", stateWord(models.RecipientUnknown), k[models.RecipientUnknown], "unknown"},
		{"pending", stateWord(models.RecipientPending), k[models.RecipientPending] + k[models.RecipientSending], "pending,sending"},
	}
	// Skipped (known not to be on WhatsApp, with the campaign's option on)
	// shows only when there are some: most campaigns never skip.
	if n := k[models.RecipientSkipped]; n > 0 {
		steps = append(steps, funnelStep{"skipped", "skipped: not on WhatsApp", n, models.RecipientSkipped})
	}
	return steps
}

// parseStateFilter reads the recipients list's filter: one state or several
// joined by commas. Unknown states make it no filter.
func parseStateFilter(s string) []string {
	if s == "" {
		return nil
	}
	states := strings.Split(s, ",")
	for _, st := range states {
		if !models.ValidRecipientState(st) {
			return nil
		}
	}
	return states
}

// filterWords says a filter in words: "delivered or read".
func filterWords(states []string) string {
	words := make([]string, len(states))
	for i, st := range states {
		words[i] = stateWord(st)
	}
	return strings.Join(words, " or ")
}
