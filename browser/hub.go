package browser

import "sync"

// hub fans events out to subscribers without ever blocking the publisher:
// a subscriber that falls behind loses its oldest events.
type hub struct {
	mu   sync.Mutex
	next int
	subs map[int]chan Event
}

const subscriberBuffer = 64

func (h *hub) subscribe() (<-chan Event, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[int]chan Event{}
	}
	id := h.next
	h.next++
	ch := make(chan Event, subscriberBuffer)
	h.subs[id] = ch
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.subs, id)
			close(ch)
		})
	}
}

func (h *hub) publish(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.subs {
		select {
		case ch <- e:
			continue
		default:
		}
		// Full: drop the oldest so the newest state is always delivered.
		select {
		case <-ch:
		default:
		}
		select {
		case ch <- e:
		default:
		}
	}
}
