package server

import (
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// currentLease is who sends a running campaign in hybrid mode, as the
// engine last saw it; false when no install is known to hold its lease now.
func currentLease(live campaign.Live, cp *models.Campaign, now time.Time) (campaign.LeaseView, bool) {
	l := live.Lease
	if cp.State != models.CampaignRunning || l.Holder == "" || (!l.Mine && !l.Until.After(now)) {
		return campaign.LeaseView{}, false
	}
	return l, true
}

// leaseJSON is a campaign's lease in the API (hybrid mode only): holder is
// the sending install's id ("" and until null when none holds it).
type leaseJSON struct {
	Holder      string     `json:"holder"`
	Until       *time.Time `json:"until"`
	ThisInstall bool       `json:"this_install"`
}

func newLeaseJSON(live campaign.Live, cp *models.Campaign) *leaseJSON {
	l, ok := currentLease(live, cp, time.Now())
	if !ok {
		return &leaseJSON{}
	}
	until := l.Until.UTC()
	return &leaseJSON{Holder: l.Holder, Until: &until, ThisInstall: l.Mine}
}

// LeaseLine says which install sends the campaign (hybrid mode), for the
// monitor and the report.
func (v *monitorView) LeaseLine() string {
	if !v.Leased {
		return ""
	}
	l, ok := currentLease(v.Live, v.C, time.Now())
	if !ok {
		return ""
	}
	until := ""
	if !l.Until.IsZero() {
		until = ", lease until " + l.Until.In(v.Loc).Format("15:04:05")
	}
	if l.Mine {
		return "Sending from this install" + until
	}
	return "Sending from install " + l.Holder + until
}
