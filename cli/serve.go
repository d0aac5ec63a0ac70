package cli

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/logging"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// runServe starts Sambad and serves until ctx is done. Shutdown order: HTTP
// server, sync worker, then the database.
func runServe(ctx context.Context, cfg *config.Config, _ []string, stdout, stderr io.Writer) error {
	if err := config.EnsureDataDir(cfg.DataDir); err != nil {
		return err
	}
	logCloser, err := logging.Setup(logging.Options{Path: cfg.LogPath(), Level: cfg.LogLevel, MaxSizeMB: cfg.LogMaxSizeMB, MaxBackups: cfg.LogMaxBackups, Stderr: stderr})
	if err != nil {
		return err
	}
	defer logCloser.Close()

	store, err := openStore(ctx, cfg)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err, "storage": cfg.Storage}).Error("unable to open the database")
		return err
	}
	defer store.Close()

	deps := server.Deps{Config: cfg, Store: store}
	worker := newSyncWorker(cfg, store)
	if worker != nil {
		deps.Sync = worker
	}
	srv, err := server.New(deps)
	if err != nil {
		return err
	}
	stopSync := startSync(worker)
	defer stopSync()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("unable to listen on %s (set SAMBAD_ADDR to another address): %w", cfg.Addr, err)
	}
	logrus.WithFields(logrus.Fields{"addr": ln.Addr().String(), "storage": cfg.Storage, "data_dir": cfg.DataDir}).Info("Sambad is running")
	fmt.Fprintf(stdout, "Sambad is running at http://%s (data in %s)\n", ln.Addr(), cfg.DataDir)
	return srv.ListenAndServe(ctx, ln, cfg.ShutdownGrace)
}

// openStore opens the database the storage mode asks for.
func openStore(ctx context.Context, cfg *config.Config) (*models.Store, error) {
	switch cfg.Storage {
	case config.StorageCloud:
		return models.Open(ctx, models.OpenOptions{DatabaseURL: cfg.DatabaseURL, PGExecMode: cfg.PGExecMode})
	default:
		// local; hybrid also reads and writes the local SQLite file.
		return models.Open(ctx, models.OpenOptions{SQLitePath: cfg.SQLitePath()})
	}
}
