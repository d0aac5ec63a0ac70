package accounts

import (
	"sync"

	"github.com/sambad/sambad/browser"
)

// StatusEvent is a change of one account's session (or its removal).
type StatusEvent struct {
	AccountID string
	Status    browser.Status
	Asleep    bool
	Removed   bool
}

// statusHub fans StatusEvents out to subscribers; a slow one loses events,
// never stalls the browsers.
type statusHub struct {
	mu   sync.Mutex
	subs map[chan StatusEvent]struct{}
}

func (h *statusHub) subscribe() (<-chan StatusEvent, func()) {
	ch := make(chan StatusEvent, 32)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[chan StatusEvent]struct{}{}
	}
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	}
}

func (h *statusHub) publish(e StatusEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- e:
		default:
		}
	}
}

// Subscribe delivers every account's session changes until cancel is called.
func (r *Registry) Subscribe() (<-chan StatusEvent, func()) { return r.hub.subscribe() }

func (r *Registry) publishStatus(a *Account) {
	st, asleep := a.Status()
	r.hub.publish(StatusEvent{AccountID: a.id, Status: st, Asleep: asleep})
}
