package campaign

import (
	"sync"
	"time"
)

// Event is one line of a campaign's recent activity.
type Event struct {
	At     time.Time
	Phone  string
	Name   string
	State  string
	Detail string
}

const recentEvents = 15

// Live is what the runner is doing for one campaign right now; it lives in
// memory only and feeds the monitor page.
type Live struct {
	Status  string    // "sending", "waiting", "quiet hours", "daily cap reached", ...
	Until   time.Time // when a wait ends
	Current string    // the recipient being sent to
	PerSend time.Duration
	// PerMessage is the measured time from one message to the next: the
	// send, the delay and everything in between, but no longer pause, quiet
	// hours or cap wait. Measured counts the gaps it is measured over.
	PerMessage time.Duration
	Measured   int
	lastDone   time.Time // the last message of an unbroken stretch
	Events     []Event   // newest first
	Lease      LeaseView // hybrid mode: who sends the campaign
	UpdatedAt  time.Time
	subs       map[chan struct{}]struct{}
	generation uint64 // bumped by every control action
}

type liveBoard struct {
	mu sync.Mutex
	m  map[string]*Live
}

func (b *liveBoard) get(id string) *Live {
	l := b.m[id]
	if l == nil {
		l = &Live{subs: map[chan struct{}]struct{}{}}
		b.m[id] = l
	}
	return l
}

// update changes a campaign's live state under the lock and wakes its
// watchers. Notifications coalesce: a watcher that has not read the last
// one gets no second, so 10k sends never queue 10k renders.
func (b *liveBoard) update(id string, fn func(*Live)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.get(id)
	if fn != nil {
		fn(l)
	}
	l.UpdatedAt = time.Now()
	for ch := range l.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// change is update for a change that may be none: watchers are woken only
// when fn reports it changed something (an idle install polling another's
// lease every second does not re-render every monitor).
func (b *liveBoard) change(id string, fn func(*Live) bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.get(id)
	if !fn(l) {
		return
	}
	l.UpdatedAt = time.Now()
	for ch := range l.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (b *liveBoard) event(id string, e Event) {
	b.update(id, func(l *Live) {
		l.Events = append([]Event{e}, l.Events...)
		if len(l.Events) > recentEvents {
			l.Events = l.Events[:recentEvents]
		}
	})
}

func (b *liveBoard) snapshot(id string) Live {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.get(id)
	out := *l
	out.Events = append([]Event(nil), l.Events...)
	out.subs = nil
	return out
}

func (b *liveBoard) subscribe(id string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	b.mu.Lock()
	b.get(id).subs[ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.get(id).subs, ch)
		b.mu.Unlock()
	}
}

func (b *liveBoard) bump(id string) {
	b.update(id, func(l *Live) { l.generation++ })
}

func (b *liveBoard) gen(id string) uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.get(id).generation
}

// noteMessage measures the gap since the last message, as a moving average
// that follows a change of pace within a few messages.
func (l *Live) noteMessage(at time.Time) {
	if !l.lastDone.IsZero() {
		gap := at.Sub(l.lastDone)
		if l.Measured == 0 {
			l.PerMessage = gap
		} else {
			l.PerMessage = (l.PerMessage*3 + gap) / 4
		}
		l.Measured++
	}
	l.lastDone = at
}

// breakStretch says the next gap is not a message's: a longer wait or a
// restart came between.
func (l *Live) breakStretch() { l.lastDone = time.Time{} }
