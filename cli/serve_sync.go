package cli

import (
	"context"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// newSyncWorker returns the hybrid mode's sync worker, or nil in other modes.
func newSyncWorker(cfg *config.Config, store *models.Store) *syncer.Worker {
	if cfg.Storage != config.StorageHybrid {
		return nil
	}
	return &syncer.Worker{Local: store, CloudURL: cfg.DatabaseURL, PGExecMode: cfg.PGExecMode}
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
