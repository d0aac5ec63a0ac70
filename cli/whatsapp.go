package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/server"
)

// browserOptions maps Sambad's configuration onto the driver's options.
func browserOptions(cfg *config.Config) browser.Options {
	return browser.Options{
		DataDir:       cfg.DataDir,
		BaseURL:       cfg.WhatsAppURL,
		ChromePath:    cfg.ChromePath,
		AllowDownload: cfg.ChromeDownload,
		Headless:      cfg.Headless,
		MemoryLimitMB: cfg.BrowserMemoryMB,
	}
}

// startWhatsApp starts the driver (it links with the saved profile by
// itself, or shows a QR code) unless SAMBAD_NO_BROWSER is set, and registers
// its shutdown. Start returns at once; a missing browser shows as the failed
// state on the WhatsApp page, not as a start-up error.
func startWhatsApp(ctx context.Context, cfg *config.Config, sd *shutdown) *browser.Manager {
	if cfg.NoBrowser {
		return nil
	}
	m := browser.NewManager(browserOptions(cfg))
	if err := m.Start(ctx); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("unable to start WhatsApp")
	}
	sd.add(stageBrowser, "browser", m.Stop)
	return m
}

// browserReady is /readyz's browser check: ready means WhatsApp is linked.
func browserReady(m *browser.Manager) func(context.Context) error {
	return func(context.Context) error {
		st := m.Status()
		if st.State == browser.StateReady {
			return nil
		}
		if st.Error != "" {
			return fmt.Errorf("whatsapp is %s: %s", st.State, st.Error)
		}
		return fmt.Errorf("whatsapp is %s", st.State)
	}
}

// whatsappAdapter presents the driver as the server's WhatsApp interface.
type whatsappAdapter struct{ m *browser.Manager }

func toSessionStatus(st browser.Status) server.SessionStatus {
	out := server.SessionStatus{
		State: string(st.State), Percent: st.Percent, QRRotation: st.QRRotation,
		LinkCode: st.LinkCode, Since: st.Since, Error: st.Error, QRExpired: st.QRExpired,
	}
	if st.State == browser.StateQR && st.QR != "" {
		qr := st.QR
		out.QR = &qr
	}
	return out
}

func (a whatsappAdapter) Status() server.SessionStatus { return toSessionStatus(a.m.Status()) }

func (a whatsappAdapter) Subscribe() (<-chan server.SessionStatus, func()) {
	events, cancel := a.m.Subscribe()
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

func (a whatsappAdapter) Start(ctx context.Context) error    { return a.m.Start(ctx) }
func (a whatsappAdapter) Stop(ctx context.Context) error     { return a.m.Stop(ctx) }
func (a whatsappAdapter) Logout(ctx context.Context) error   { return a.m.Logout(ctx) }
func (a whatsappAdapter) TakeOver(ctx context.Context) error { return a.m.TakeOver(ctx) }
func (a whatsappAdapter) ReloadQR(ctx context.Context) error { return a.m.ReloadQR(ctx) }
func (a whatsappAdapter) RequestLinkCode(ctx context.Context, phone string) (string, error) {
	return a.m.RequestLinkCode(ctx, phone)
}

func (a whatsappAdapter) SendText(ctx context.Context, phone, text string) (server.SendOutcome, error) {
	res, err := a.m.SendText(ctx, phone, text)
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
