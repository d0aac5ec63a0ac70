package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sambad/sambad/campaign"
)

// Leases gives each campaign exactly one sending install when several
// installs share one Postgres. A lease is taken with a conditional write in
// Postgres (free, expired, or already ours) and timed by the database's clock,
// so installs' clocks do not matter. The campaign engine renews it well
// within the TTL while sending and, while offline, sends only while
// HeldLocally says the lease it last took or renewed is still running.
type Leases struct {
	cloud func(ctx context.Context) (*sql.DB, error)

	mu   sync.Mutex
	held map[string]heldLease // campaign id → what this process took
}

type heldLease struct {
	installID string
	deadline  time.Time // local monotonic clock; never later than the server's expiry
}

// NewLeases returns leases kept in the database cloud returns.
func NewLeases(cloud func(ctx context.Context) (*sql.DB, error)) *Leases {
	return &Leases{cloud: cloud, held: map[string]heldLease{}}
}

const leaseColumns = `install_id, acquired_at, expires_at, claim_install, claim_run, claim_seq`

func scanLease(row *sql.Row) (campaign.LeaseInfo, error) {
	var l campaign.LeaseInfo
	err := row.Scan(&l.Holder, &l.Acquired, &l.Until, &l.ClaimHolder, &l.ClaimRun, &l.ClaimSeq)
	return l, err
}

// Acquire takes the campaign's lease for installID for ttl, or renews it if
// installID already holds it. It fails with campaign.ErrLeaseHeld (and the holder)
// when another install holds an unexpired lease.
func (l *Leases) Acquire(ctx context.Context, campaignID, installID string, ttl time.Duration) (campaign.LeaseInfo, error) {
	db, err := l.cloud(ctx)
	if err != nil {
		return campaign.LeaseInfo{}, fmt.Errorf("syncer: unable to take the campaign lease: %w", err)
	}
	start := time.Now()
	// The conditional upsert is the whole protocol: the row is written only
	// when it is free, expired, or ours; concurrent takers serialise on it.
	info, err := scanLease(db.QueryRowContext(ctx, qLeaseAcquire, campaignID, installID, ttl.Seconds()))
	if errors.Is(err, sql.ErrNoRows) {
		holder, ok, herr := l.Holder(ctx, campaignID)
		if herr == nil && ok {
			return holder, fmt.Errorf("syncer: campaign %s: %w (install %s, until %s)", campaignID, campaign.ErrLeaseHeld, holder.Holder, holder.Until.UTC().Format(time.RFC3339))
		}
		return campaign.LeaseInfo{}, fmt.Errorf("syncer: campaign %s: %w", campaignID, campaign.ErrLeaseHeld)
	}
	if err != nil {
		return campaign.LeaseInfo{}, fmt.Errorf("syncer: unable to take the campaign lease: %w", err)
	}
	l.remember(campaignID, installID, start.Add(ttl))
	return info, nil
}

// Renew extends a lease installID holds; campaign.ErrLeaseLost when it has expired
// or another install holds it now.
func (l *Leases) Renew(ctx context.Context, campaignID, installID string, ttl time.Duration) (campaign.LeaseInfo, error) {
	db, err := l.cloud(ctx)
	if err != nil {
		return campaign.LeaseInfo{}, fmt.Errorf("syncer: unable to renew the campaign lease: %w", err)
	}
	start := time.Now()
	info, err := scanLease(db.QueryRowContext(ctx, qLeaseRenew, campaignID, installID, ttl.Seconds()))
	if errors.Is(err, sql.ErrNoRows) {
		l.forget(campaignID)
		return campaign.LeaseInfo{}, fmt.Errorf("syncer: campaign %s: %w", campaignID, campaign.ErrLeaseLost)
	}
	if err != nil {
		return campaign.LeaseInfo{}, fmt.Errorf("syncer: unable to renew the campaign lease: %w", err)
	}
	l.remember(campaignID, installID, start.Add(ttl))
	return info, nil
}

// Claim renews a lease installID holds and sets its claim to the
// recipients of run up to seq through (a claim may shrink: at release the
// holder narrows it to what it really attempted). campaign.ErrLeaseLost when the
// lease has expired or another install holds it now.
func (l *Leases) Claim(ctx context.Context, campaignID, installID string, run int, through int64, ttl time.Duration) (campaign.LeaseInfo, error) {
	db, err := l.cloud(ctx)
	if err != nil {
		return campaign.LeaseInfo{}, fmt.Errorf("syncer: unable to claim recipients: %w", err)
	}
	start := time.Now()
	info, err := scanLease(db.QueryRowContext(ctx, qLeaseClaim, campaignID, installID, ttl.Seconds(), run, through))
	if errors.Is(err, sql.ErrNoRows) {
		l.forget(campaignID)
		return campaign.LeaseInfo{}, fmt.Errorf("syncer: campaign %s: %w", campaignID, campaign.ErrLeaseLost)
	}
	if err != nil {
		return campaign.LeaseInfo{}, fmt.Errorf("syncer: unable to claim recipients: %w", err)
	}
	l.remember(campaignID, installID, start.Add(ttl))
	return info, nil
}

// Release gives the lease up if installID holds it. The row stays, expired,
// with its claim: the next holder reads it.
func (l *Leases) Release(ctx context.Context, campaignID, installID string) error {
	l.forget(campaignID)
	db, err := l.cloud(ctx)
	if err != nil {
		return fmt.Errorf("syncer: unable to release the campaign lease: %w", err)
	}
	if _, err := db.ExecContext(ctx, qLeaseRelease, campaignID, installID); err != nil {
		return fmt.Errorf("syncer: unable to release the campaign lease: %w", err)
	}
	return nil
}

// Holder returns the unexpired lease on the campaign, if any (for the UI).
func (l *Leases) Holder(ctx context.Context, campaignID string) (campaign.LeaseInfo, bool, error) {
	db, err := l.cloud(ctx)
	if err != nil {
		return campaign.LeaseInfo{}, false, fmt.Errorf("syncer: unable to read the campaign lease: %w", err)
	}
	info, err := scanLease(db.QueryRowContext(ctx, qLeaseHolder, campaignID))
	if errors.Is(err, sql.ErrNoRows) {
		return campaign.LeaseInfo{}, false, nil
	}
	if err != nil {
		return campaign.LeaseInfo{}, false, fmt.Errorf("syncer: unable to read the campaign lease: %w", err)
	}
	return info, true, nil
}

// HeldLocally reports whether installID took or renewed the campaign's
// lease in this process and its TTL, counted on the local monotonic clock
// from before the request, has not run out: what an offline install checks
// before sending.
func (l *Leases) HeldLocally(campaignID, installID string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.held[campaignID]
	return ok && h.installID == installID && time.Now().Before(h.deadline)
}

func (l *Leases) remember(campaignID, installID string, deadline time.Time) {
	l.mu.Lock()
	l.held[campaignID] = heldLease{installID: installID, deadline: deadline}
	l.mu.Unlock()
}

func (l *Leases) forget(campaignID string) {
	l.mu.Lock()
	delete(l.held, campaignID)
	l.mu.Unlock()
}

// Leases returns campaign leases kept in this worker's cloud database. Call
// it once and keep the value: HeldLocally remembers what that value took.
func (w *Worker) Leases() *Leases { return NewLeases(w.connect) }

// CampaignLease returns the campaign engine's lease for this install (hybrid
// mode): leases in this worker's cloud database, taken in the name of its
// install id (the engine waits while it is not known yet), and a pull that
// is the worker's PullNow. Call it once and keep the value.
func (w *Worker) CampaignLease() campaign.Lease {
	return w.Leases().For(w.InstallID, w.PullNow)
}

// For returns these leases as the campaign engine's Lease of the install
// install() names. pull applies the cloud's changes now; nil when the
// installs share one database and there is nothing to pull.
func (l *Leases) For(install func() string, pull func(context.Context) error) campaign.Lease {
	return &installLease{leases: l, install: install, pull: pull}
}

// installLease is Leases bound to one install: what the engine holds.
type installLease struct {
	leases  *Leases
	install func() string
	pull    func(context.Context) error
}

func (l *installLease) InstallID() string { return l.install() }

func (l *installLease) Acquire(ctx context.Context, id string, ttl time.Duration) (campaign.LeaseInfo, error) {
	return l.leases.Acquire(ctx, id, l.install(), ttl)
}

func (l *installLease) Renew(ctx context.Context, id string, ttl time.Duration) (campaign.LeaseInfo, error) {
	return l.leases.Renew(ctx, id, l.install(), ttl)
}

func (l *installLease) Claim(ctx context.Context, id string, run int, through int64, ttl time.Duration) (campaign.LeaseInfo, error) {
	return l.leases.Claim(ctx, id, l.install(), run, through, ttl)
}

func (l *installLease) Release(ctx context.Context, id string) error {
	return l.leases.Release(ctx, id, l.install())
}

func (l *installLease) HeldLocally(id string) bool { return l.leases.HeldLocally(id, l.install()) }

func (l *installLease) Pull(ctx context.Context) error {
	if l.pull == nil {
		return nil
	}
	return l.pull(ctx)
}

// InstallID returns this install's id (empty until Run or Round started).
func (w *Worker) InstallID() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.installID
}
