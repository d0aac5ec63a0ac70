package wasim

import (
	"regexp"
	"time"
)

// Ack levels of an outgoing message, as the page renders them.
const (
	AckPending   = 0 // clock: not on the server
	AckSent      = 1 // one tick
	AckDelivered = 2 // two grey ticks
	AckRead      = 3 // two blue ticks
)

// message is one bubble in a chat.
type message struct {
	ID       string
	Phone    string
	Text     string
	FromMe   bool
	Time     time.Time
	queued   bool // held while the phone is offline; not accepted yet
	accepted time.Time
	policy   AckPolicy
}

// LedgerEntry is one message that reached the simulated WhatsApp server.
type LedgerEntry struct {
	// Account is the sender's own number: which linked account sent it.
	Account string    `json:"account"`
	Phone   string    `json:"phone"`
	Text    string    `json:"text"`
	Time    time.Time `json:"time"`
	ID      string    `json:"id"`
}

func (m *message) ack(now time.Time) int {
	if !m.FromMe {
		return AckRead
	}
	if m.queued {
		return AckPending
	}
	since := now.Sub(m.accepted)
	p := m.policy
	// Acks never overtake each other: a long SentAfter delays the rest too.
	delivered := max(p.DeliveredAfter, p.SentAfter)
	read := max(p.ReadAfter, delivered)
	switch {
	case since < p.SentAfter:
		return AckPending
	case p.DeliveredAfter < 0 || since < delivered:
		return AckSent
	case p.ReadAfter < 0 || since < read:
		return AckDelivered
	}
	return AckRead
}

var plausiblePhone = regexp.MustCompile(`^[1-9][0-9]{6,14}$`)

// knownPhone reports whether click-to-chat opens a chat for phone.
func (s *Server) knownPhone(phone string) bool {
	return plausiblePhone.MatchString(phone) && !s.unknown[phone]
}

func (s *Server) accept(a *account, m *message, now time.Time) {
	m.queued = false
	m.accepted = now
	m.policy = s.acks
	s.ledger = append(s.ledger, LedgerEntry{Account: a.phone, Phone: m.Phone, Text: m.Text, Time: now, ID: m.ID})
}
