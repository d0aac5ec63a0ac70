package cli

import (
	"context"
	"fmt"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/config"
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
