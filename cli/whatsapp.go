package cli

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/settings"
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

// startWhatsApp opens the WhatsApp accounts (upgrading an old single
// session into the first account) and starts the first account's browser
// (it links with the saved profile by itself, or shows a QR code), unless
// SAMBAD_NO_BROWSER is set; it registers their shutdown. A missing browser
// shows as the failed state on the accounts page, not as a start-up error.
func startWhatsApp(ctx context.Context, cfg *config.Config, store *models.Store, installID func() string, sd *shutdown) (*accounts.Registry, error) {
	if cfg.NoBrowser {
		return nil, nil
	}
	reg, err := accounts.Open(ctx, store, accounts.Options{
		DataDir:   cfg.DataDir,
		Browser:   browserOptions(cfg),
		Max:       cfg.MaxAccounts,
		Idle:      cfg.AccountIdle,
		Wanted:    campaignsWanting(store),
		InstallID: installID,
		DefaultCap: func() (int, string, string) {
			d, err := settings.Campaign(context.Background(), store)
			if err != nil {
				logrus.WithFields(logrus.Fields{"error": err}).Error("cli: unable to read the campaign defaults for a new account")
			}
			limit, _ := strconv.Atoi(d.DailyCap)
			return limit, d.QuietStart, d.QuietEnd
		},
	})
	if err != nil {
		return nil, fmt.Errorf("cli: unable to open the WhatsApp accounts: %w", err)
	}
	sd.add(stageBrowser, "browser", reg.Close)
	return reg, nil
}

// campaignsWanting lists the accounts that running campaigns (or campaigns
// paused only because WhatsApp was not ready) send through: a sleeping
// browser wakes for them. "" is the first account.
func campaignsWanting(store *models.Store) func(ctx context.Context) []string {
	return func(ctx context.Context) []string {
		cs, err := store.CampaignsInState(ctx, models.CampaignRunning, models.CampaignPaused)
		if err != nil {
			return nil
		}
		var ids []string
		for _, c := range cs {
			if c.State == models.CampaignPaused && c.PauseReason != models.PauseWhatsApp {
				continue
			}
			if len(c.AccountIDs) == 0 {
				ids = append(ids, "")
			}
			for _, id := range c.AccountIDs {
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
}

// browserReady is /readyz's browser check: ready means the first WhatsApp
// account is linked (or linked and asleep: its browser stopped for want of
// work and starts when needed).
func browserReady(reg *accounts.Registry) func(context.Context) error {
	return func(ctx context.Context) error {
		a := reg.First(ctx)
		if a == nil {
			return fmt.Errorf("whatsapp has no account on this install")
		}
		st, asleep := a.Status()
		if st.State == browser.StateReady || (asleep && st.Phone != "") {
			return nil
		}
		if st.Error != "" {
			return fmt.Errorf("whatsapp is %s: %s", st.State, st.Error)
		}
		return fmt.Errorf("whatsapp is %s", st.State)
	}
}
