package cli

import (
	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/hybridlease"
	"github.com/sambad/sambad/syncer"
)

// newCampaignLease returns the campaign engine's lease over the sync
// worker's leases (nil: no worker, so local or cloud mode).
func newCampaignLease(w *syncer.Worker) campaign.Lease {
	if w == nil {
		return nil
	}
	return hybridlease.New(w.Leases(), w.InstallID, w.PullNow)
}
