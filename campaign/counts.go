package campaign

import (
	"context"
	"sync"
	"time"

	"github.com/sambad/sambad/models"
)

// countsMaxAge is how stale the monitor's counts may be. Counting 100k rows
// costs ~30 ms on Postgres; with this, any number of viewers and SSE
// streams cost one count per second per campaign.
const countsMaxAge = time.Second

type cachedCounts struct {
	at     time.Time
	stamp  time.Time // the campaign's updated_at when counted
	counts models.StateCounts
}

type cachedAccountCounts struct {
	at     time.Time
	stamp  time.Time
	counts map[string]models.StateCounts
}

type countCache struct {
	mu        sync.Mutex
	m         map[string]cachedCounts
	byAccount map[string]cachedAccountCounts
}

// Counts returns a campaign's counts per recipient state, at most a second
// old; a campaign whose row changed since (a state change: started, paused,
// completed, ...) is counted afresh. stamp is the campaign's UpdatedAt.
func (e *Engine) Counts(ctx context.Context, id string, stamp time.Time) (models.StateCounts, error) {
	e.counts.mu.Lock()
	c, ok := e.counts.m[id]
	e.counts.mu.Unlock()
	if ok && c.stamp.Equal(stamp) && time.Since(c.at) < countsMaxAge {
		return c.counts, nil
	}
	counts, err := e.store.CountStates(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	e.counts.mu.Lock()
	if len(e.counts.m) > 1000 {
		e.counts.m = map[string]cachedCounts{}
	}
	e.counts.m[id] = cachedCounts{at: time.Now(), stamp: stamp, counts: counts}
	e.counts.mu.Unlock()
	return counts, nil
}

// AccountCounts returns a campaign's counts per WhatsApp account (the
// account_id its recipients record, "" for those not claimed yet) and
// state, cached as Counts is: the monitor's "By account" costs one grouped
// count per second per campaign whatever the number of viewers.
func (e *Engine) AccountCounts(ctx context.Context, id string, stamp time.Time) (map[string]models.StateCounts, error) {
	e.counts.mu.Lock()
	c, ok := e.counts.byAccount[id]
	e.counts.mu.Unlock()
	if ok && c.stamp.Equal(stamp) && time.Since(c.at) < countsMaxAge {
		return c.counts, nil
	}
	counts, err := e.store.CountStatesByAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	e.counts.mu.Lock()
	if e.counts.byAccount == nil || len(e.counts.byAccount) > 1000 {
		e.counts.byAccount = map[string]cachedAccountCounts{}
	}
	e.counts.byAccount[id] = cachedAccountCounts{at: time.Now(), stamp: stamp, counts: counts}
	e.counts.mu.Unlock()
	return counts, nil
}
