package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/syncer"
)

// campaignLease adapts the sync worker's leases to the campaign engine, so
// that installs sharing one Postgres send each campaign from one install.
type campaignLease struct {
	leases  *syncer.Leases
	install func() string // the worker's install id, known once it has started
}

// newCampaignLease returns the engine's Lease for the worker (nil: no worker,
// not hybrid mode).
func newCampaignLease(w *syncer.Worker) campaign.Lease {
	if w == nil {
		return nil
	}
	return &campaignLease{leases: w.Leases(), install: w.InstallID}
}

func (c *campaignLease) InstallID() string { return c.install() }

func (c *campaignLease) Acquire(ctx context.Context, id string, ttl time.Duration) (campaign.LeaseInfo, error) {
	return leaseResult(c.leases.Acquire(ctx, id, c.install(), ttl))
}

func (c *campaignLease) Renew(ctx context.Context, id string, ttl time.Duration) (campaign.LeaseInfo, error) {
	return leaseResult(c.leases.Renew(ctx, id, c.install(), ttl))
}

func (c *campaignLease) Release(ctx context.Context, id string) error {
	return c.leases.Release(ctx, id, c.install())
}

func (c *campaignLease) HeldLocally(id string) bool { return c.leases.HeldLocally(id, c.install()) }

// leaseResult maps syncer's lease errors onto the engine's.
func leaseResult(info syncer.LeaseInfo, err error) (campaign.LeaseInfo, error) {
	out := campaign.LeaseInfo{Holder: info.InstallID, Until: info.ExpiresAt}
	switch {
	case errors.Is(err, syncer.ErrLeaseHeld):
		return out, fmt.Errorf("%w: %w", campaign.ErrLeaseHeld, err)
	case errors.Is(err, syncer.ErrLeaseLost):
		return out, fmt.Errorf("%w: %w", campaign.ErrLeaseLost, err)
	}
	return out, err
}
