package auth

import (
	"sync"
	"time"
)

// Failures throttles clients that keep failing a check they can repeat
// cheaply (a wrong API token): after Max failures within Window a client is
// refused, without its credential being compared, until the oldest failure
// leaves the window. Successes are not counted.
type Failures struct {
	max    int
	window time.Duration
	now    func() time.Time
	mu     sync.Mutex
	fails  map[string][]time.Time
}

// NewFailures returns a throttle allowing max failures per window and client.
func NewFailures(max int, window time.Duration) *Failures {
	return &Failures{max: max, window: window, now: time.Now, fails: map[string][]time.Time{}}
}

// Blocked returns a *RateLimitError while client has failed too often.
func (f *Failures) Blocked(client string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	mine := prune(f.fails[client], now.Add(-f.window))
	if len(mine) == 0 {
		delete(f.fails, client)
		return nil
	}
	f.fails[client] = mine
	if len(mine) < f.max {
		return nil
	}
	return &RateLimitError{RetryAfter: mine[len(mine)-f.max].Add(f.window).Sub(now)}
}

// Fail counts one failure by client and reports whether it is now blocked.
func (f *Failures) Fail(client string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	cutoff := now.Add(-f.window)
	f.fails[client] = append(prune(f.fails[client], cutoff), now)
	if len(f.fails) > 10000 {
		// Bound memory under an attack from many addresses.
		for k, v := range f.fails {
			if len(prune(v, cutoff)) == 0 {
				delete(f.fails, k)
			}
		}
	}
	return len(f.fails[client]) >= f.max
}
