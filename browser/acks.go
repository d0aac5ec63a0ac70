package browser

import (
	"context"
	"time"
)

// maxTracked bounds the messages whose acks are followed.
const maxTracked = 2000

// track follows a sent message's acks until it is read.
func (m *Manager) track(phone, id string, ack Ack) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.tracked) >= maxTracked {
		var oldID string
		var old time.Time
		for k, v := range m.tracked {
			if oldID == "" || v.at.Before(old) {
				oldID, old = k, v.at
			}
		}
		delete(m.tracked, oldID)
	}
	m.tracked[id] = trackedMsg{phone: phone, ack: ack, at: time.Now()}
}

// noteAck publishes an ack event when a tracked message moved forward.
func (m *Manager) noteAck(id string, ack Ack) {
	m.mu.Lock()
	t, ok := m.tracked[id]
	if !ok || ack <= t.ack {
		m.mu.Unlock()
		return
	}
	t.ack = ack
	if ack >= AckRead {
		delete(m.tracked, id)
	} else {
		m.tracked[id] = t
	}
	m.mu.Unlock()
	m.hub.publish(Event{Kind: EventAck, Time: time.Now(), Status: m.Status(), Phone: t.phone, MessageID: id, Ack: ack})
}

// pollAcks reads the ticks of tracked messages shown in the open chat.
// Acks are only visible while their chat is open (the next send opens
// another chat); RecentOutgoing reads them later.
func (m *Manager) pollAcks(ctx context.Context, pd *pageDriver) {
	m.mu.Lock()
	ids := make([]string, 0, len(m.tracked))
	for id := range m.tracked {
		ids = append(ids, id)
	}
	m.mu.Unlock()
	if len(ids) == 0 {
		return
	}
	var r struct {
		Acks map[string]Ack `json:"acks"`
	}
	if err := pd.run(ctx, "acks", map[string]any{"ids": ids}, &r); err != nil {
		return
	}
	for id, a := range r.Acks {
		m.noteAck(id, a)
	}
}
