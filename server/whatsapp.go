package server

import (
	"context"
	"time"
)

// SessionStatus is the WhatsApp session as the pages and API show it.
type SessionStatus struct {
	State      string  `json:"state"`
	Percent    int     `json:"percent"`
	QR         *string `json:"qr"`
	QRRotation int     `json:"qr_rotation"`
	QRExpired  bool    `json:"qr_expired,omitempty"`
	LinkCode   string  `json:"link_code,omitempty"`
	// Phone is the linked account's own number, read from the page.
	Phone string `json:"phone,omitempty"`
	// Asleep: the browser stopped for want of work and starts when needed.
	Asleep bool      `json:"asleep,omitempty"`
	Since  time.Time `json:"since"`
	Error  string    `json:"error,omitempty"`
}

// SendOutcome is the result of sending one message.
type SendOutcome struct {
	Status    string `json:"status"` // sent, invalid_number, failed
	MessageID string `json:"message_id,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// WhatsApp is what the server needs from the WhatsApp Web driver.
type WhatsApp interface {
	Status() SessionStatus
	// Subscribe delivers every change of status until cancel is called.
	Subscribe() (updates <-chan SessionStatus, cancel func())
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Logout(ctx context.Context) error
	TakeOver(ctx context.Context) error
	ReloadQR(ctx context.Context) error
	RequestLinkCode(ctx context.Context, phone string) (string, error)
	SendText(ctx context.Context, phone, text string) (SendOutcome, error)
	// SendFile sends one file with its caption; outcomes as SendText.
	SendFile(ctx context.Context, phone string, f OutgoingFile) (SendOutcome, error)
}

// OutgoingFile is one file a single send carries: a file on disk, the name
// a recipient sees, its kind (photo, video, document) and its caption.
type OutgoingFile struct {
	Path, Name, Kind, Caption string
}
