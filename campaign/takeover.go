package campaign

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// DefaultTakeoverGrace is how long a new lease holder waits for the last
// holder's unreported sends to arrive before it checks their chats instead.
const DefaultTakeoverGrace = 30 * time.Second

// claimAhead is how many recipient seqs one claim covers beyond the next
// send: what an install that loses the cloud may still send while its
// lease runs.
const claimAhead = 10

// claimState is what this install has claimed of a campaign (runner
// goroutine only): it may send recipients of run up to seq, and it has
// attempted up to attempted.
type claimState struct {
	run       int
	seq       int64
	attempted int64
}

// claimFromLease keeps this install's claim when the lease row says it is
// ours, and forgets it when another install claimed since.
func (e *Engine) claimFromLease(id string, info LeaseInfo) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if info.ClaimHolder != e.lease.InstallID() {
		delete(e.claims, id)
		return
	}
	c := e.claims[id]
	if c.run != info.ClaimRun || c.seq != info.ClaimSeq {
		e.claims[id] = claimState{run: info.ClaimRun, seq: info.ClaimSeq, attempted: min(c.attempted, info.ClaimSeq)}
	}
}

// cover makes sure the claim covers recipient seq of run before it is sent,
// claiming the next claimAhead seqs when it does not. False when the claim
// could not be made (the lease was lost, or the cloud cannot be reached and
// the recipient is beyond what was claimed).
func (h *heldLease) cover(ctx context.Context, run int, seq int64) bool {
	if h == nil {
		return true
	}
	e := h.e
	e.mu.Lock()
	c, ok := e.claims[h.id]
	e.mu.Unlock()
	if !ok || c.run != run || seq > c.seq {
		through := seq + claimAhead
		cctx, cancel := context.WithTimeout(ctx, e.opts.LeaseTTL/3)
		info, err := e.lease.Claim(cctx, h.id, run, through, e.opts.LeaseTTL)
		cancel()
		switch {
		case err == nil:
			h.offline.Store(false)
			e.noteLeaseOnline(h.id)
			e.live.update(h.id, func(lv *Live) { lv.Lease = LeaseView{Holder: info.Holder, Until: info.Until, Mine: true} })
			if !ok || c.run != run {
				c = claimState{run: run}
			}
			c.seq = through
		case errors.Is(err, ErrLeaseLost):
			if !h.lost.Swap(true) {
				logrus.WithFields(logrus.Fields{"campaign": h.id}).Warn("campaign: the campaign's lease was lost; another install may send it")
				e.wake()
			}
			return false
		default:
			if ctx.Err() == nil {
				h.offline.Store(true)
				e.noteLeaseOffline(h.id, err)
			}
			return false
		}
	}
	c.attempted = max(c.attempted, seq)
	e.mu.Lock()
	e.claims[h.id] = c
	e.mu.Unlock()
	return true
}

// narrowClaim shrinks this install's claim to what it attempted, before the
// lease is released, so that the next holder waits only for those.
func (h *heldLease) narrowClaim(ctx context.Context) {
	e := h.e
	e.mu.Lock()
	c, ok := e.claims[h.id]
	delete(e.claims, h.id)
	e.mu.Unlock()
	if !ok || c.seq == c.attempted {
		return
	}
	if _, err := e.lease.Claim(ctx, h.id, c.run, c.attempted, e.opts.LeaseTTL); err != nil {
		logrus.WithFields(logrus.Fields{"campaign": h.id, "error": err}).Warn("campaign: unable to narrow the claim before releasing the lease")
	}
}

// takeover runs once after this install takes a campaign's lease from
// another install: it pulls what the cloud holds, then waits (up to
// TakeoverGrace) for the results of the recipients the last holder claimed
// to arrive; those still missing then are marked "sending", so the
// reconciler settles each from its chat before anything is sent. False when
// the runner must not go on now (the lease was lost, the campaign is no
// longer running, ctx ended).
func (e *Engine) takeover(ctx context.Context, c *models.Campaign) bool {
	h := e.cur
	if h == nil || h.settled {
		return true
	}
	prev := h.acquired
	if prev.ClaimHolder == "" || prev.ClaimHolder == e.lease.InstallID() || prev.ClaimSeq <= 0 {
		h.settled = true
		return true
	}
	id, gen := c.ID, e.live.gen(c.ID)
	start := e.clock.Now()
	for {
		if !h.check(ctx) {
			return false
		}
		pctx, cancel := context.WithTimeout(ctx, e.opts.LeaseTTL/3)
		err := e.lease.Pull(pctx)
		cancel()
		var n int64
		if err == nil {
			var fresh *models.Campaign
			if fresh, err = e.store.GetCampaign(ctx, id); err == nil && fresh.State != models.CampaignRunning {
				return false
			}
		}
		if err == nil {
			n, err = e.store.CountInDoubt(ctx, id, prev.ClaimRun, prev.ClaimSeq)
		}
		now := e.clock.Now()
		switch {
		case err != nil && ctx.Err() != nil:
			return false
		case err != nil:
			logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Warn("campaign: unable to read the last holder's results before taking over")
		case n == 0:
			h.settled = true
			return true
		case !now.Before(start.Add(e.opts.TakeoverGrace)):
			m, err := e.store.MarkInDoubt(ctx, id, prev.ClaimRun, prev.ClaimSeq)
			if err != nil {
				logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Error("campaign: unable to mark recipients in doubt")
				break
			}
			logrus.WithFields(logrus.Fields{"campaign": id, "from_install": prev.ClaimHolder, "in_doubt": m}).Warn("campaign: took a campaign over without the last holder's results; checking chats before sending")
			e.live.event(id, Event{At: now, State: "resumed", Detail: fmt.Sprintf("took over from install %s: %d recipients it may have sent are checked in their chats first", shortID(prev.ClaimHolder), m)})
			h.settled = true
			return true
		}
		status := fmt.Sprintf("waiting for install %s to report %d sends", shortID(prev.ClaimHolder), n)
		if err != nil {
			status = "waiting for the cloud database"
		}
		if !e.wait(ctx, id, gen, now.Add(time.Second), status) {
			return false
		}
	}
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// planLease takes a campaign's lease before its recipients are frozen
// (hybrid mode), so that two installs never both start one campaign: the
// cloud's changes are pulled first, and the campaign must still be a draft
// or scheduled here afterwards. The lease is kept for the runner when the
// plan succeeds (release(nil)) and given up when it fails.
func (e *Engine) planLease(ctx context.Context, id string) (release func(error), err error) {
	lctx, cancel := context.WithTimeout(ctx, e.opts.LeaseTTL/3)
	defer cancel()
	if err := e.lease.Pull(lctx); err != nil {
		return nil, fmt.Errorf("%w (starting a campaign in hybrid mode needs it, so that two installs never start it twice): %w", ErrCloudNeeded, err)
	}
	c, err := e.store.GetCampaign(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := models.ActionStart.Check(c.State); err != nil {
		return nil, &Error{Status: http.StatusConflict, Message: err.Error() + " (another install started it)", Err: err}
	}
	info, err := e.lease.Acquire(lctx, id, e.opts.LeaseTTL)
	switch {
	case errors.Is(err, ErrLeaseHeld):
		return nil, fmt.Errorf("campaign: install %s is starting or sending this campaign: %w", shortID(info.Holder), err)
	case err != nil:
		return nil, fmt.Errorf("%w (starting a campaign in hybrid mode needs it, so that two installs never start it twice): %w", ErrCloudNeeded, err)
	}
	return func(err error) {
		if err == nil {
			return
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.opts.LeaseTTL/3)
		defer cancel()
		e.lease.Release(rctx, id)
	}, nil
}
