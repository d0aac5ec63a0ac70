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
	file     *fileInfo // nil for a text message; Text is then the caption
}

// fileInfo is a file message's attachment, as the page uploaded it.
type fileInfo struct {
	Kind   string // photo, video or document
	Name   string
	Mime   string
	Size   int64
	SHA256 string
	data   []byte
}

// LedgerEntry is one message that reached the simulated WhatsApp server.
// For a file, Text is its caption and Kind, FileName, Size and SHA256 (hex,
// of the bytes the page uploaded) describe the file.
type LedgerEntry struct {
	Phone    string    `json:"phone"`
	Text     string    `json:"text"`
	Time     time.Time `json:"time"`
	ID       string    `json:"id"`
	Kind     string    `json:"kind,omitempty"`
	FileName string    `json:"file_name,omitempty"`
	Size     int64     `json:"size,omitempty"`
	SHA256   string    `json:"sha256,omitempty"`
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

func (s *Server) accept(m *message, now time.Time) {
	m.queued = false
	m.accepted = now
	m.policy = s.acks
	e := LedgerEntry{Phone: m.Phone, Text: m.Text, Time: now, ID: m.ID}
	if f := m.file; f != nil {
		e.Kind, e.FileName, e.Size, e.SHA256 = f.Kind, f.Name, f.Size, f.SHA256
	}
	s.ledger = append(s.ledger, e)
}
