// Package hybridlease adapts syncer's campaign leases to the campaign
// engine's Lease port, so that installs sharing one Postgres send each
// campaign from one install. The campaign package does not import syncer;
// this adapter is where the two meet (cli wires it in hybrid mode).
package hybridlease

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/syncer"
)

// Lease is a campaign.Lease over syncer.Leases for one install.
type Lease struct {
	leases  *syncer.Leases
	install func() string
}

// New returns the lease of the install install() names (it may be "" until
// the sync worker has started; the engine then waits).
func New(leases *syncer.Leases, install func() string) *Lease {
	return &Lease{leases: leases, install: install}
}

// InstallID is this install's id.
func (l *Lease) InstallID() string { return l.install() }

// Acquire takes or renews the campaign's lease.
func (l *Lease) Acquire(ctx context.Context, id string, ttl time.Duration) (campaign.LeaseInfo, error) {
	return result(l.leases.Acquire(ctx, id, l.install(), ttl))
}

// Renew extends a held lease.
func (l *Lease) Renew(ctx context.Context, id string, ttl time.Duration) (campaign.LeaseInfo, error) {
	return result(l.leases.Renew(ctx, id, l.install(), ttl))
}

// Release gives the lease up.
func (l *Lease) Release(ctx context.Context, id string) error {
	return l.leases.Release(ctx, id, l.install())
}

// HeldLocally reports whether the lease this install last took still runs
// by the local clock.
func (l *Lease) HeldLocally(id string) bool { return l.leases.HeldLocally(id, l.install()) }

// result maps syncer's lease errors onto the engine's.
func result(info syncer.LeaseInfo, err error) (campaign.LeaseInfo, error) {
	out := campaign.LeaseInfo{Holder: info.InstallID, Until: info.ExpiresAt}
	switch {
	case errors.Is(err, syncer.ErrLeaseHeld):
		return out, fmt.Errorf("%w: %w", campaign.ErrLeaseHeld, err)
	case errors.Is(err, syncer.ErrLeaseLost):
		return out, fmt.Errorf("%w: %w", campaign.ErrLeaseLost, err)
	}
	return out, err
}
