package browser

import "time"

// State is where the WhatsApp session is.
type State string

// Session states.
const (
	StateStopped      State = "stopped"
	StateStarting     State = "starting"
	StateLoading      State = "loading"
	StateQR           State = "qr"
	StateReady        State = "ready"
	StateConflict     State = "conflict"
	StatePhoneOffline State = "phone_offline"
	StateLoggedOut    State = "logged_out"
	StateCrashed      State = "crashed"
	StateRestarting   State = "restarting"
	StateFailed       State = "failed"
)

// Status is a snapshot of the session.
type Status struct {
	State State `json:"state"`
	// Percent is the loading progress (0-100) while loading.
	Percent int `json:"percent"`
	// QR is the payload to render as a QR code while State is qr.
	QR string `json:"qr,omitempty"`
	// QRRotation counts QR payload changes since the QR appeared.
	QRRotation int `json:"qr_rotation"`
	// QRExpired is true when WhatsApp stopped rotating and wants a reload (ReloadQR).
	QRExpired bool `json:"qr_expired,omitempty"`
	// LinkCode is the 8-character code to type on the phone, if requested.
	LinkCode string `json:"link_code,omitempty"`
	// Phone is the linked account's own number (E.164), read from the page
	// once ready; kept while the browser is stopped, cleared when the
	// device is not linked any more. A hint for people, never a key.
	Phone string `json:"phone,omitempty"`
	// Since is when State was entered.
	Since time.Time `json:"since"`
	// Error explains crashed, restarting and failed.
	Error string `json:"error,omitempty"`
}

// Ack is how far an outgoing message got.
type Ack int

// Acknowledgement levels, in order.
const (
	AckUnknown   Ack = -1
	AckPending   Ack = 0
	AckSent      Ack = 1
	AckDelivered Ack = 2
	AckRead      Ack = 3
)

// String names the ack.
func (a Ack) String() string {
	switch a {
	case AckPending:
		return "pending"
	case AckSent:
		return "sent"
	case AckDelivered:
		return "delivered"
	case AckRead:
		return "read"
	}
	return "unknown"
}

// MarshalText renders the ack by name in JSON.
func (a Ack) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// EventKind tells which field of an Event is set.
type EventKind string

// Event kinds.
const (
	EventState EventKind = "state"
	EventAck   EventKind = "ack"
)

// Event is a state transition or an acknowledgement change.
type Event struct {
	Kind   EventKind `json:"kind"`
	Time   time.Time `json:"time"`
	Status Status    `json:"status"`
	// For ack events:
	Phone     string `json:"phone,omitempty"`
	MessageID string `json:"message_id,omitempty"`
	Ack       Ack    `json:"ack"`
}

// SendResult is what SendText learned about the message it sent.
type SendResult struct {
	Phone     string `json:"phone"`
	MessageID string `json:"message_id"`
	Ack       Ack    `json:"ack"`
	// Duration is the wall time of the send.
	Duration time.Duration `json:"duration"`
}

// OutgoingMessage is an outgoing bubble read from a chat.
type OutgoingMessage struct {
	ID   string `json:"id"`
	Text string `json:"text"` // for a file: its caption
	Ack  Ack    `json:"ack"`
	// Media is "" for a text message, else "photo", "video" or "document";
	// FileName is the document's name as the row shows it.
	Media    string `json:"media,omitempty"`
	FileName string `json:"fileName,omitempty"`
}
