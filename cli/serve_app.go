package cli

import (
	"context"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
	"github.com/sambad/sambad/settings"
	"github.com/sambad/sambad/whatsapp"
)

// startApp starts everything that works on the open database (sign-in, the
// WhatsApp browser, the campaign engine, sync) and builds the server: store
// is the business store over db, and the sync worker gets db itself, since
// it owns the sync tables. Each part registers its closer with sd; on error
// the caller runs sd.
func startApp(ctx context.Context, cfg *config.Config, db *models.DB, store *models.Store, sd *shutdown) (*server.Server, error) {
	// Before anything reads cfg: the Settings page's start-up values.
	if err := settings.Apply(ctx, cfg, store); err != nil {
		return nil, err
	}
	authSvc, err := startAuth(ctx, cfg, store)
	if err != nil {
		return nil, err
	}
	deps := server.Deps{Config: cfg, Store: store, Auth: authSvc, Diagnose: supportDiagnose(cfg)}
	worker := newSyncWorker(cfg, db)
	reg, err := startWhatsApp(ctx, cfg, store, hybridInstallID(ctx, worker, db), sd)
	if err != nil {
		return nil, err
	}
	if reg != nil {
		deps.WhatsApp = whatsapp.FirstAccount{Registry: reg}
		deps.Accounts = whatsapp.Accounts{Registry: reg}
		deps.BrowserReady = browserReady(reg)
		go recordAccountEvents(ctx, reg, store)
	} else {
		deps.WhatsAppOffReason = "turned off by SAMBAD_NO_BROWSER"
	}
	deps.Media = server.NewMediaLibrary(cfg, store)
	deps.Campaigns = startCampaigns(ctx, cfg, store, reg, deps.Media, newCampaignLease(worker), sd)
	deps.NumberChecks = startNumberChecks(ctx, store, reg, sd)
	if worker != nil {
		deps.Sync = worker // only when set: a typed nil would not compare equal to nil
	}
	srv, err := server.New(deps)
	if err != nil {
		return nil, err
	}
	stopMedia := startMediaReconcile(srv.Media())
	sd.add(stageEngine, "media library", func(context.Context) error { stopMedia(); return nil })
	stopWebhooks := startWebhooks(srv.Webhooks())
	sd.add(stageEngine, "webhooks", func(context.Context) error { stopWebhooks(); return nil })
	startBackups(ctx, cfg, store, sd)
	stopSync := startSync(worker)
	sd.add(stageSync, "sync", func(context.Context) error { stopSync(); return nil })
	return srv, nil
}
