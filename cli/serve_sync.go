package cli

import (
	"context"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// newSyncWorker returns the hybrid mode's sync worker over the local
// database, or nil in other modes.
func newSyncWorker(cfg *config.Config, local *models.DB) *syncer.Worker {
	if cfg.Storage != config.StorageHybrid {
		return nil
	}
	return &syncer.Worker{Local: local, CloudURL: cfg.DatabaseURL, PGExecMode: cfg.PGExecMode}
}

// hybridInstallID is this install's id in hybrid mode (nil outside it):
// WhatsApp accounts made here record it as their holder, and only the
// accounts held here are driven here. The outbox is enabled now rather
// than when the worker starts, so the id is known before the accounts
// open; if that fails, the worker's id is used once it knows it.
func hybridInstallID(ctx context.Context, w *syncer.Worker, local *models.DB) func() string {
	if w == nil {
		return nil
	}
	id, err := syncer.Enable(ctx, local)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Warn("cli: unable to learn the install id before opening the WhatsApp accounts")
		return w.InstallID
	}
	return func() string { return id }
}

// newCampaignLease returns the campaign engine's lease, kept by the sync
// worker in the cloud database (nil: no worker, so local or cloud mode).
func newCampaignLease(w *syncer.Worker) campaign.Lease {
	if w == nil {
		return nil
	}
	return w.CampaignLease()
}

// startSync runs the worker until the returned stop is called; stop waits
// for it to finish. Its context is its own so that shutdown can stop it after
// the HTTP server and before the database closes.
func startSync(w *syncer.Worker) (stop func()) {
	if w == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(ctx); err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("sync: the sync worker stopped")
		}
	}()
	return func() { cancel(); <-done }
}
