package server

import (
	"context"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// homeSnapshotMaxAge is how old the home page's counts may be before a
// refresh starts in the background. Counting 100k contacts and a large
// campaign's recipients costs tens of milliseconds on Postgres; with this,
// a page load almost never waits for it.
const homeSnapshotMaxAge = 5 * time.Second

// homeFreshWait is how long a load after a new event waits for fresh
// counts before it shows the previous ones (the refresh goes on, and the
// next load has it).
const homeFreshWait = 25 * time.Millisecond

// homeSnapshot is the costly part of the home page: totals, the chart's
// days, and the campaigns under way with their progress.
type homeSnapshot struct {
	at      time.Time
	eventID int64 // the newest event when it was taken
	totals  models.Totals
	days    []models.DayActivity
	active  []activeCampaign
	today   todaySends
}

// homeCache holds the last snapshot and the refresh under way, if any. A
// snapshot older than homeSnapshotMaxAge is refreshed in the background. A
// new event (a campaign changed state, an import finished, a restore)
// starts a refresh at once, and the load waits up to homeFreshWait for it,
// so the counts agree with the events list whenever they can be had fast.
type homeCache struct {
	mu       sync.Mutex
	snap     *homeSnapshot
	inflight *homeRefresh
}

type homeRefresh struct {
	done chan struct{}
	err  error
}

// forget drops the snapshot (after a restore).
func (c *homeCache) forget() {
	c.mu.Lock()
	c.snap = nil
	c.mu.Unlock()
}

// refreshHome starts a snapshot unless one is being taken; call with mu held.
func (s *Server) refreshHome(eventID int64) *homeRefresh {
	c := &s.homeCache
	if c.inflight != nil {
		return c.inflight
	}
	r := &homeRefresh{done: make(chan struct{})}
	c.inflight = r
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		fresh, err := s.takeHomeSnapshot(ctx, eventID)
		c.mu.Lock()
		if err == nil && (c.snap == nil || c.snap.at.Before(fresh.at)) {
			c.snap = fresh
		}
		r.err = err
		c.inflight = nil
		c.mu.Unlock()
		if err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to count the home page's figures")
		}
		close(r.done)
	}()
	return r
}

func (s *Server) homeSnapshot(ctx context.Context, newestEvent int64) (*homeSnapshot, error) {
	c := &s.homeCache
	c.mu.Lock()
	snap := c.snap
	if snap != nil && snap.eventID == newestEvent {
		if time.Since(snap.at) > homeSnapshotMaxAge {
			s.refreshHome(newestEvent)
		}
		c.mu.Unlock()
		return snap, nil
	}
	r := s.refreshHome(newestEvent)
	c.mu.Unlock()
	var timeout <-chan time.Time
	if snap != nil {
		timeout = time.After(homeFreshWait)
	}
	select {
	case <-r.done:
	case <-timeout:
		return snap, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c.mu.Lock()
	snap = c.snap
	c.mu.Unlock()
	if snap == nil {
		if r.err != nil {
			return nil, r.err
		}
		return s.takeHomeSnapshot(ctx, newestEvent) // forgotten meanwhile (a restore)
	}
	return snap, nil
}

func (s *Server) takeHomeSnapshot(ctx context.Context, eventID int64) (*homeSnapshot, error) {
	snap := &homeSnapshot{at: time.Now(), eventID: eventID}
	var err error
	if snap.totals, err = s.store.CountTotals(ctx); err != nil {
		return nil, err
	}
	if snap.days, err = s.activity(ctx, snap.at, s.cfg.Location()); err != nil {
		return nil, err
	}
	snap.today.Sent = snap.days[len(snap.days)-1].Sent
	if snap.active, err = s.activeCampaigns(ctx, &snap.today); err != nil {
		return nil, err
	}
	return snap, nil
}
