package server

import (
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// campaignBody is the JSON a campaign is created from.
type campaignBody struct {
	Name        string        `json:"name"`
	Template    string        `json:"template"`
	GroupIDs    []string      `json:"group_ids"`
	ContactIDs  []string      `json:"contact_ids"`
	Pacing      models.Pacing `json:"pacing"`
	ScheduledAt *time.Time    `json:"scheduled_at"`
	// SkipNotOnWhatsApp leaves out contacts known not to be on WhatsApp.
	SkipNotOnWhatsApp bool `json:"skip_not_on_whatsapp"`
	// AccountIDs: the accounts to send through (absent: the first).
	AccountIDs  []string `json:"account_ids"`
	MediaIDs    []string `json:"media_ids"`
	CaptionMode string   `json:"caption_mode"`
}

// campaignJSON is a campaign with its counts per recipient state and what
// the runner is doing.
type campaignJSON struct {
	*models.Campaign
	Counts models.StateCounts `json:"counts"`
	Total  int64              `json:"total"`
	Status string             `json:"status,omitempty"`
	Lease  *leaseJSON         `json:"lease,omitempty"` // hybrid mode only
}

func newCampaignJSON(c *models.Campaign, counts models.StateCounts, live campaign.Live, leased bool) campaignJSON {
	full := models.StateCounts{}
	for _, st := range models.RecipientStates {
		full[st] = counts[st]
	}
	out := campaignJSON{Campaign: c, Counts: full, Total: counts.Total(), Status: live.Status}
	if leased {
		out.Lease = newLeaseJSON(live, c)
	}
	return out
}
