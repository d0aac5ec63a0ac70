package auth

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Limits bounds sign-in attempts within a sliding window.
type Limits struct {
	PerClient int           // attempts one client (IP, or IPv6 /64) may make per window
	Global    int           // attempts on the account from unknown browsers per window
	Window    time.Duration // the sliding window
}

// DefaultLimits: 5 tries a minute from one address, 30 a minute on the
// account from browsers that never signed in (a spread-out guessing attack
// is slowed too). The account-wide limit does not apply to a browser that
// signed in before (its device cookie) or to loopback, so an attacker
// elsewhere cannot make the owner's correct password answer 429.
var DefaultLimits = Limits{PerClient: 5, Global: 30, Window: time.Minute}

// RateLimitError is returned when a client must wait before trying again.
type RateLimitError struct{ RetryAfter time.Duration }

// Seconds is the wait rounded up to whole seconds (at least 1).
func (e *RateLimitError) Seconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

// Error says how long to wait.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("too many sign-in attempts; try again in %d s", e.Seconds())
}

// Limiter counts sign-in attempts per client and overall. An attempt is
// counted before the password is checked, so parallel requests cannot slip
// past the limit; a successful sign-in forgets the client's attempts.
type Limiter struct {
	limits Limits
	now    func() time.Time
	mu     sync.Mutex
	client map[string][]time.Time
	global []time.Time
}

// NewLimiter returns a limiter with the given limits.
func NewLimiter(l Limits) *Limiter {
	return &Limiter{limits: l, now: time.Now, client: map[string][]time.Time{}}
}

// Reserve counts one attempt by client, or returns a *RateLimitError.
func (l *Limiter) Reserve(client string) error { return l.reserve(client, false) }

// ReserveKnown is Reserve for a browser known to the account (an earlier
// sign-in's device cookie, or loopback): only its own limit applies.
func (l *Limiter) ReserveKnown(client string) error { return l.reserve(client, true) }

func (l *Limiter) reserve(client string, known bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	cutoff := now.Add(-l.limits.Window)
	l.global = prune(l.global, cutoff)
	mine := prune(l.client[client], cutoff)
	if len(mine) >= l.limits.PerClient {
		l.client[client] = mine
		return &RateLimitError{RetryAfter: mine[0].Add(l.limits.Window).Sub(now)}
	}
	if !known && len(l.global) >= l.limits.Global {
		l.client[client] = mine
		return &RateLimitError{RetryAfter: l.global[0].Add(l.limits.Window).Sub(now)}
	}
	l.client[client] = append(mine, now)
	if !known {
		l.global = append(l.global, now)
	}
	if len(l.client) > 10000 {
		// Bound memory under an attack from many addresses.
		for k, v := range l.client {
			if len(prune(v, cutoff)) == 0 {
				delete(l.client, k)
			}
		}
	}
	return nil
}

// Forget clears a client's attempts after it signed in.
func (l *Limiter) Forget(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.client, client)
}

// prune drops the times at or before cutoff (times are in order).
func prune(ts []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	return ts[i:]
}
