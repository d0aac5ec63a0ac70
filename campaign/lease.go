package campaign

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// DefaultLeaseTTL is how long a campaign's lease runs unless renewed.
const DefaultLeaseTTL = 60 * time.Second

// statusElsewhere is the live status of a campaign another install sends.
const statusElsewhere = "sending on another install"

// statusNotHeld is the live status of a campaign none of whose accounts
// this install holds (hybrid mode): it never tries to take its lease.
const statusNotHeld = "sending from another install: this install holds none of its accounts"

// LeaseView is what the monitor shows of a campaign's lease (hybrid mode).
type LeaseView struct {
	Holder string    // install id; "" when not known
	Until  time.Time // by the database's clock
	Mine   bool      // this install holds it
}

// Leased reports whether the engine shares campaigns with other installs
// through leases (hybrid mode).
func (e *Engine) Leased() bool { return e.lease != nil }

// heldLease is this install's hold on one campaign's lease while the runner
// sends it: a goroutine renews it every ttl/3 until end is called.
type heldLease struct {
	e       *Engine
	id      string
	lost    atomic.Bool // the database said it is no longer ours
	offline atomic.Bool // the last call to the database failed
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	// acquired is what the database said when the lease was taken (zero
	// when taken offline, on the strength of a lease already held);
	// settled is set once a takeover from another install is done
	// (runner goroutine only).
	acquired LeaseInfo
	settled  bool
}

// takeLease acquires the campaign's lease; false when this install must not
// send it now (another install holds it, or the database cannot be reached
// and the lease this install last held has run out). It never changes the
// campaign's state: a campaign sending elsewhere stays running there.
func (e *Engine) takeLease(ctx context.Context, c *models.Campaign) (*heldLease, bool) {
	l := e.lease
	if l == nil {
		return nil, true
	}
	id := c.ID
	if !e.holdsAny(ctx, c) {
		// Not even tried: only an install holding one of the campaign's
		// accounts may send it.
		e.live.change(id, func(lv *Live) bool {
			if lv.Status == statusNotHeld && lv.Current == "" && lv.Until.IsZero() && !lv.Lease.Mine {
				return false
			}
			lv.Lease.Mine = false
			lv.Status, lv.Current, lv.Until = statusNotHeld, "", time.Time{}
			return true
		})
		return nil, false
	}
	if !e.campaignReady(c) {
		// Not taken while WhatsApp is down here: an install whose WhatsApp
		// is connected may send it meanwhile.
		e.live.update(id, func(lv *Live) { lv.Status, lv.Current = "waiting for WhatsApp on this install", "" })
		return nil, false
	}
	if l.InstallID() == "" {
		e.live.update(id, func(lv *Live) { lv.Status, lv.Current = "waiting for sync to start", "" })
		return nil, false
	}
	lctx, cancel := context.WithTimeout(ctx, e.opts.LeaseTTL/3)
	info, err := l.Acquire(lctx, id, e.opts.LeaseTTL)
	cancel()
	switch {
	case err == nil:
		e.noteLeaseOnline(id)
		e.live.update(id, func(lv *Live) { lv.Lease = LeaseView{Holder: info.Holder, Until: info.Until, Mine: true} })
	case errors.Is(err, ErrLeaseHeld):
		e.live.change(id, func(lv *Live) bool {
			want := LeaseView{Holder: info.Holder, Until: info.Until}
			if lv.Lease.Holder == want.Holder && lv.Lease.Until.Equal(want.Until) && !lv.Lease.Mine && lv.Status == statusElsewhere && lv.Current == "" && lv.Until.IsZero() {
				return false
			}
			lv.Lease = want
			lv.Status, lv.Current, lv.Until = statusElsewhere, "", time.Time{}
			return true
		})
		return nil, false
	case ctx.Err() != nil:
		return nil, false
	case l.HeldLocally(id):
		// Offline, but the lease taken before still runs: go on until it ends.
		e.noteLeaseOffline(id, err)
	default:
		e.noteLeaseOffline(id, err)
		e.live.update(id, func(lv *Live) {
			lv.Lease.Mine = false
			lv.Status, lv.Current, lv.Until = "waiting for the cloud database", "", time.Time{}
		})
		return nil, false
	}
	h := &heldLease{e: e, id: id, stop: make(chan struct{}), done: make(chan struct{})}
	h.offline.Store(err != nil)
	if err == nil {
		h.acquired = info
		e.claimFromLease(id, info)
	}
	go h.renew()
	return h, true
}

// noteLeaseOffline logs an unreachable lease table once per campaign until
// a lease call succeeds again.
func (e *Engine) noteLeaseOffline(id string, err error) {
	e.mu.Lock()
	first := !e.leaseOffline[id]
	e.leaseOffline[id] = true
	e.mu.Unlock()
	if first {
		logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Warn("campaign: unable to reach the campaign lease; sending only while the lease held runs")
	}
}

func (e *Engine) noteLeaseOnline(id string) {
	e.mu.Lock()
	delete(e.leaseOffline, id)
	e.mu.Unlock()
}

// renew keeps the lease alive while the runner sends.
func (h *heldLease) renew() {
	defer close(h.done)
	e := h.e
	every := e.opts.LeaseTTL / 3
	for {
		select {
		case <-h.stop:
			return
		case <-time.After(every):
		}
		if !h.renewNow(context.Background()) && h.lost.Load() {
			return
		}
	}
}

// renewNow renews the lease once; false when it could not (lost, or the
// database is unreachable).
func (h *heldLease) renewNow(ctx context.Context) bool {
	e := h.e
	ctx, cancel := context.WithTimeout(ctx, e.opts.LeaseTTL/3)
	info, err := e.lease.Renew(ctx, h.id, e.opts.LeaseTTL)
	cancel()
	switch {
	case err == nil:
		h.offline.Store(false)
		e.noteLeaseOnline(h.id)
		e.live.update(h.id, func(lv *Live) { lv.Lease = LeaseView{Holder: info.Holder, Until: info.Until, Mine: true} })
		return true
	case errors.Is(err, ErrLeaseLost):
		if !h.lost.Swap(true) {
			logrus.WithFields(logrus.Fields{"campaign": h.id}).Warn("campaign: the campaign's lease was lost; another install may send it")
			e.live.update(h.id, func(lv *Live) { lv.Lease.Mine = false })
			e.wake()
		}
	case ctx.Err() != nil:
		// Shutting down: not a sign of the network.
	default:
		h.offline.Store(true)
		e.noteLeaseOffline(h.id, err)
	}
	return false
}

// check is what the runner asks before each claim: while the database can
// be reached the lease is renewed first, so a lease another install took
// over (after this one stalled past its TTL, say while the machine slept)
// stops the send before it starts; offline, the lease counts while it runs
// by the local clock.
func (h *heldLease) check(ctx context.Context) bool {
	if h == nil {
		return true
	}
	if !h.lost.Load() && !h.offline.Load() {
		h.renewNow(ctx)
	}
	return h.ok()
}

// ok reports whether the runner may send the campaign now: the lease was
// not lost and, by the local clock, still runs (which covers being offline).
func (h *heldLease) ok() bool {
	if h == nil {
		return true
	}
	return !h.lost.Load() && h.e.lease.HeldLocally(h.id)
}

// end stops renewing and releases the lease, unless outcomes the database
// refused are still kept in memory for the campaign: the lease then runs
// out by itself, so no other install reconciles those sends meanwhile.
func (h *heldLease) end() {
	if h == nil {
		return
	}
	h.once.Do(func() {
		close(h.stop)
		<-h.done
		e := h.e
		e.mu.Lock()
		kept := len(e.unrecorded[h.id]) > 0
		e.mu.Unlock()
		if kept {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), e.opts.LeaseTTL/3)
		defer cancel()
		if !h.lost.Load() {
			h.narrowClaim(ctx)
		}
		if err := e.lease.Release(ctx, h.id); err != nil {
			logrus.WithFields(logrus.Fields{"campaign": h.id, "error": err}).Warn("campaign: unable to release the campaign's lease; it runs out by itself")
		}
		e.live.update(h.id, func(lv *Live) { lv.Lease = LeaseView{} })
	})
}
