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
	pull    func(context.Context) error
}

// New returns the lease of the install install() names (it may be "" until
// the sync worker has started; the engine then waits). pull applies the
// cloud's changes now (the sync worker's PullNow); nil when the installs
// share one database and there is nothing to pull.
func New(leases *syncer.Leases, install func() string, pull func(context.Context) error) *Lease {
	return &Lease{leases: leases, install: install, pull: pull}
}

// Claim renews the lease and claims the recipients of run up to seq through.
func (l *Lease) Claim(ctx context.Context, id string, run int, through int64, ttl time.Duration) (campaign.LeaseInfo, error) {
	return result(l.leases.Claim(ctx, id, l.install(), run, through, ttl))
}

// Pull applies the cloud's changes now.
func (l *Lease) Pull(ctx context.Context) error {
	if l.pull == nil {
		return nil
	}
	return l.pull(ctx)
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
	out := campaign.LeaseInfo{Holder: info.InstallID, Until: info.ExpiresAt,
		ClaimHolder: info.Claim.InstallID, ClaimRun: info.Claim.Run, ClaimSeq: info.Claim.Seq}
	switch {
	case errors.Is(err, syncer.ErrLeaseHeld):
		return out, fmt.Errorf("%w: %w", campaign.ErrLeaseHeld, err)
	case errors.Is(err, syncer.ErrLeaseLost):
		return out, fmt.Errorf("%w: %w", campaign.ErrLeaseLost, err)
	}
	return out, err
}
