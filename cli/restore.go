package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sambad/sambad/backup"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
)

// runRestore is `sambad restore FILE`: it saves a backup of the data there
// is now into the backups directory, then replaces it with FILE's. A file
// that is not a whole Sambad backup, or a running campaign, is refused and
// nothing changes.
func runRestore(ctx context.Context, cfg *config.Config, args []string, stdout, _ io.Writer) error {
	if len(args) != 1 {
		return errors.New("give the backup file to restore: sambad restore FILE")
	}
	file := args[0]
	if cfg.Storage == config.StorageHybrid {
		return errors.New("restore is not available in hybrid mode: it would push every restored row to the cloud; " +
			"restore into the cloud database (SAMBAD_STORAGE=cloud) or into a local install")
	}
	m, zr, err := backup.Inspect(file)
	if err != nil {
		return err
	}
	zr.Close()
	if err := config.EnsureDataDir(cfg.DataDir); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	files := media.New(store, media.Options{Dir: cfg.MediaDir()})
	saved, err := backup.Save(ctx, store, files, cfg.BackupDir(), backup.PrefixPreRestore, time.Now())
	if err != nil {
		return fmt.Errorf("the current data could not be backed up first, so nothing was restored: %w", err)
	}
	backup.Prune(cfg.BackupDir(), backup.PrefixPreRestore, max(cfg.BackupKeep, 1))
	fmt.Fprintf(stdout, "Saved the current data as %s\n", saved)
	res, err := backup.Restore(ctx, store, files, file, cfg.DataDir)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("Restored %s (made %s, %s): %s.", file, m.Created.Format(time.RFC3339), m.Dialect, res.Summary())
	if res.Paused > 0 {
		detail += fmt.Sprintf(" %d campaign(s) that were running are paused.", res.Paused)
	}
	store.RecordEvent(ctx, models.Event{Kind: models.EventBackup, State: "restored", Subject: file, Detail: detail})
	fmt.Fprintln(stdout, detail)
	return nil
}
