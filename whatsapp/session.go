package whatsapp

import (
	"context"
	"errors"

	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/server"
)

// Session presents the driver as the server's WhatsApp port: the session
// page, the API and single sends.
type Session struct{ Manager *browser.Manager }

var _ server.WhatsApp = Session{}

func toSessionStatus(st browser.Status) server.SessionStatus {
	out := server.SessionStatus{
		State: string(st.State), Percent: st.Percent, QRRotation: st.QRRotation,
		LinkCode: st.LinkCode, Since: st.Since, Error: st.Error, QRExpired: st.QRExpired, Phone: st.Phone,
	}
	if st.State == browser.StateQR && st.QR != "" {
		qr := st.QR
		out.QR = &qr
	}
	return out
}

// Status is the session as the pages show it.
func (a Session) Status() server.SessionStatus { return toSessionStatus(a.Manager.Status()) }

// Subscribe delivers every change of the session's state until cancel is called.
func (a Session) Subscribe() (<-chan server.SessionStatus, func()) {
	events, cancel := a.Manager.Subscribe()
	out := make(chan server.SessionStatus, 8)
	go func() {
		defer close(out)
		for e := range events {
			if e.Kind != browser.EventState {
				continue
			}
			select {
			case out <- toSessionStatus(e.Status):
			default: // a slow page misses an intermediate state, never the driver
			}
		}
	}()
	return out, cancel
}

// Start starts the browser.
func (a Session) Start(ctx context.Context) error { return a.Manager.Start(ctx) }

// Stop stops the browser.
func (a Session) Stop(ctx context.Context) error { return a.Manager.Stop(ctx) }

// Logout unlinks the WhatsApp account.
func (a Session) Logout(ctx context.Context) error { return a.Manager.Logout(ctx) }

// TakeOver makes this browser the active WhatsApp Web session again.
func (a Session) TakeOver(ctx context.Context) error { return a.Manager.TakeOver(ctx) }

// ReloadQR asks for a fresh QR code.
func (a Session) ReloadQR(ctx context.Context) error { return a.Manager.ReloadQR(ctx) }

// RequestLinkCode asks for a pairing code for phone.
func (a Session) RequestLinkCode(ctx context.Context, phone string) (string, error) {
	return a.Manager.RequestLinkCode(ctx, phone)
}

// SendText sends one message: a number not on WhatsApp and a failure are outcomes; "not ready" is an error.
func (a Session) SendText(ctx context.Context, phone, text string) (server.SendOutcome, error) {
	res, err := a.Manager.SendText(ctx, phone, text)
	return sessionOutcome(res, err)
}

// SendFile sends one file with its caption; outcomes as SendText.
func (a Session) SendFile(ctx context.Context, phone string, f server.OutgoingFile) (server.SendOutcome, error) {
	res, err := a.Manager.SendFile(ctx, phone, browser.File{Path: f.Path, Name: f.Name, Kind: f.Kind, Caption: f.Caption})
	return sessionOutcome(res, err)
}

func sessionOutcome(res browser.SendResult, err error) (server.SendOutcome, error) {
	switch {
	case err == nil:
		return server.SendOutcome{Status: "sent", MessageID: res.MessageID}, nil
	case errors.Is(err, browser.ErrInvalidNumber):
		return server.SendOutcome{Status: "invalid_number"}, nil
	case errors.Is(err, browser.ErrNotReady), errors.Is(err, browser.ErrStopped):
		return server.SendOutcome{}, err
	default:
		return server.SendOutcome{Status: "failed", MessageID: res.MessageID, Reason: err.Error()}, nil
	}
}
