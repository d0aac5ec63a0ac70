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

// homeCache holds the last snapshot. A new event (a campaign changed state,
// an import finished, a restore) makes the next load take a fresh one at
// once, so what the events list says is never contradicted by the counts;
// otherwise a snapshot older than homeSnapshotMaxAge is refreshed in the
// background and the page shows the previous one meanwhile.
type homeCache struct {
	mu         sync.Mutex
	snap       *homeSnapshot
	refreshing bool
}

// forget drops the snapshot (after a restore).
func (c *homeCache) forget() {
	c.mu.Lock()
	c.snap = nil
	c.mu.Unlock()
}

func (s *Server) homeSnapshot(ctx context.Context, newestEvent int64) (*homeSnapshot, error) {
	c := &s.homeCache
	c.mu.Lock()
	snap := c.snap
	stale := snap != nil && snap.eventID == newestEvent && time.Since(snap.at) > homeSnapshotMaxAge && !c.refreshing
	if stale {
		c.refreshing = true
	}
	c.mu.Unlock()
	if snap != nil && snap.eventID == newestEvent {
		if stale {
			go func() {
				bg, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				fresh, err := s.takeHomeSnapshot(bg, newestEvent)
				c.mu.Lock()
				c.refreshing = false
				if err == nil && (c.snap == nil || c.snap.at.Before(fresh.at)) {
					c.snap = fresh
				}
				c.mu.Unlock()
				if err != nil {
					logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to refresh the home page's counts")
				}
			}()
		}
		return snap, nil
	}
	fresh, err := s.takeHomeSnapshot(ctx, newestEvent)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.snap == nil || c.snap.at.Before(fresh.at) {
		c.snap = fresh
	}
	c.mu.Unlock()
	return fresh, nil
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
