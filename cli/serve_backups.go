package cli

import (
	"context"

	"github.com/sambad/sambad/backup"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
)

// startBackups makes a backup every day into the data directory's backups
// folder, keeping SAMBAD_BACKUP_KEEP of them (0 turns this off). It stops in
// the sync stage, before the database closes; a backup cut short leaves no
// file.
func startBackups(ctx context.Context, cfg *config.Config, store *models.Store, sd *shutdown) {
	if cfg.BackupKeep <= 0 {
		return
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	s := &backup.Scheduler{Store: store, Media: media.New(store, media.Options{Dir: cfg.MediaDir()}), Dir: cfg.BackupDir(), Keep: cfg.BackupKeep}
	go func() { s.Run(runCtx); close(done) }()
	sd.add(stageSync, "backups", func(stopCtx context.Context) error {
		cancel()
		select {
		case <-done:
			return nil
		case <-stopCtx.Done():
			return stopCtx.Err()
		}
	})
}
