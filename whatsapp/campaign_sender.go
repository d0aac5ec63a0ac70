package whatsapp

import (
	"context"
	"errors"
	"fmt"

	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/campaign"
)

// Sender is a campaign.Sender that sends through the browser driver.
type Sender struct{ Manager *browser.Manager }

var _ campaign.Sender = Sender{}

// SendText sends one message. A number not on WhatsApp is a result, not an
// error; "not ready" wraps campaign.ErrNotReady; a dead browser or a timeout
// after the click is an error of unknown outcome, for reconciliation.
func (s Sender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	res, err := s.Manager.SendText(ctx, phone, text)
	return sendOutcome(res, err)
}

// SendFile sends one file with its caption; outcomes as SendText.
func (s Sender) SendFile(ctx context.Context, phone string, f campaign.File) (campaign.SendResult, error) {
	res, err := s.Manager.SendFile(ctx, phone, browser.File{Path: f.Path, Name: f.Name, Kind: f.Kind, Caption: f.Caption})
	return sendOutcome(res, err)
}

func sendOutcome(res browser.SendResult, err error) (campaign.SendResult, error) {
	switch {
	case err == nil:
		return campaign.SendResult{Status: campaign.StatusSent, MessageID: res.MessageID}, nil
	case errors.Is(err, browser.ErrInvalidNumber):
		return campaign.SendResult{Status: campaign.StatusInvalidNumber, Reason: "this number is not on WhatsApp"}, nil
	case errors.Is(err, browser.ErrNotReady), errors.Is(err, browser.ErrStopped):
		return campaign.SendResult{}, fmt.Errorf("whatsapp: %w: %w", campaign.ErrNotReady, err)
	case errors.Is(err, browser.ErrBadPhone):
		return campaign.SendResult{Status: campaign.StatusFailed, Reason: "the phone number cannot be used: " + err.Error()}, nil
	case errors.Is(err, browser.ErrBrowserDied), errors.Is(err, browser.ErrTimeout), res.MessageID != "":
		return campaign.SendResult{MessageID: res.MessageID}, fmt.Errorf("whatsapp: outcome unknown: %w", err)
	}
	// Refused before anything happened (empty or too long text).
	return campaign.SendResult{Status: campaign.StatusFailed, Reason: err.Error()}, nil
}

// RecentOutgoing reads the chat's last outgoing messages; "not ready" wraps
// campaign.ErrNotReady so the recipient waits for the session instead of
// becoming "unknown".
func (s Sender) RecentOutgoing(ctx context.Context, phone string, n int) ([]campaign.OutgoingMessage, error) {
	msgs, err := s.Manager.RecentOutgoing(ctx, phone, n)
	if errors.Is(err, browser.ErrNotReady) || errors.Is(err, browser.ErrStopped) {
		return nil, fmt.Errorf("whatsapp: %w: %w", campaign.ErrNotReady, err)
	}
	if err != nil {
		return nil, fmt.Errorf("whatsapp: %w", err)
	}
	out := make([]campaign.OutgoingMessage, len(msgs))
	for i, m := range msgs {
		out[i] = campaign.OutgoingMessage{ID: m.ID, Text: m.Text, Ack: m.Ack.String(), Media: m.Media, FileName: m.FileName}
	}
	return out, nil
}

// Ready reports whether the session is linked and ready.
func (s Sender) Ready() bool { return s.Manager.Status().State == browser.StateReady }

// Feed passes the driver's events to the engine until ctx is done: state
// changes wake the engine (it pauses or resumes campaigns on its own), acks
// move recipients to delivered and read. Run it in a goroutine.
func Feed(ctx context.Context, m *browser.Manager, e *campaign.Engine) {
	events, cancel := m.Subscribe()
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			switch ev.Kind {
			case browser.EventState:
				e.SessionChanged()
			case browser.EventAck:
				switch ev.Ack {
				case browser.AckDelivered:
					e.HandleAck(ev.MessageID, "delivered")
				case browser.AckRead:
					e.HandleAck(ev.MessageID, "read")
				}
			}
		}
	}
}
