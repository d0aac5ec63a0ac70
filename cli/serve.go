package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/logging"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// runServe starts Sambad and serves until ctx is done. Shutdown order (see
// shutdown.go): HTTP server, campaign engine, browser, sync, database.
func runServe(ctx context.Context, cfg *config.Config, _ []string, stdout, stderr io.Writer) error {
	if err := config.EnsureDataDir(cfg.DataDir); err != nil {
		return err
	}
	logCloser, err := logging.Setup(logging.Options{Path: cfg.LogPath(), Level: cfg.LogLevel, MaxSizeMB: cfg.LogMaxSizeMB, MaxBackups: cfg.LogMaxBackups, Stderr: stderr})
	if err != nil {
		return err
	}
	defer logCloser.Close()

	if cfg.Storage == config.StorageCloud {
		if err := cloudNeedsPassword(cfg); err != nil {
			logrus.WithFields(logrus.Fields{"error": err, "addr": cfg.Addr}).Error("unable to start")
			return err
		}
		return serveCloud(ctx, cfg, stdout)
	}
	var sd shutdown
	// One pool, handed to each owner of tables in it: the models store
	// (business data) and, in hybrid mode, the sync worker (sync tables).
	db, err := openDB(ctx, cfg)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err, "storage": cfg.Storage}).Error("unable to open the database")
		return err
	}
	store := models.NewStore(db)
	sd.add(stageDatabase, "database", func(context.Context) error { return store.Close() })
	srv, err := startApp(ctx, cfg, db, store, &sd)
	if err != nil {
		sd.run(cfg.ShutdownGrace)
		return err
	}
	ln, err := listen(cfg, stdout)
	if err != nil {
		sd.run(cfg.ShutdownGrace)
		return err
	}
	// Stage 1: ListenAndServe returns once ctx is done and the HTTP server
	// has drained; then the other parts stop in order.
	serveErr := srv.ListenAndServe(ctx, ln, cfg.ShutdownGrace)
	return stopServe(cfg, serveErr, &sd)
}

// listen opens the HTTP listener and says where Sambad runs.
func listen(cfg *config.Config, stdout io.Writer) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("unable to listen on %s (set SAMBAD_ADDR to another address): %w", cfg.Addr, err)
	}
	logrus.WithFields(logrus.Fields{"addr": ln.Addr().String(), "storage": cfg.Storage, "data_dir": cfg.DataDir}).Info("Sambad is running")
	fmt.Fprintf(stdout, "Sambad is running at http://%s (data in %s)\n", ln.Addr(), cfg.DataDir)
	return ln, nil
}

// stopServe runs the stages after the HTTP server's.
func stopServe(cfg *config.Config, serveErr error, sd *shutdown) error {
	logrus.Info("shutting down")
	if serveErr == nil {
		logrus.WithFields(logrus.Fields{"part": stageNames[stageHTTP]}).Info("shutdown: stopped")
	}
	return errors.Join(serveErr, sd.run(cfg.ShutdownGrace))
}

// startAuth applies SAMBAD_PASSWORD and refuses to serve beyond loopback
// without a password: anyone on the network could otherwise send messages
// from the user's WhatsApp account.
func startAuth(ctx context.Context, cfg *config.Config, store *models.Store) (*auth.Service, error) {
	a, err := auth.New(ctx, store, nil)
	if err != nil {
		return nil, err
	}
	if err := a.ApplyConfigPassword(ctx, cfg.Password); err != nil {
		return nil, err
	}
	if !cfg.IsLoopback() && !a.PasswordSet() {
		return nil, fmt.Errorf("refusing to listen on %s without a password: set SAMBAD_PASSWORD (or SAMBAD_PASSWORD_FILE), "+
			"or start once on 127.0.0.1 and set one at /setup", cfg.Addr)
	}
	return a, nil
}

// openDB opens (and migrates) the database the storage mode asks for.
func openDB(ctx context.Context, cfg *config.Config) (*models.DB, error) {
	switch cfg.Storage {
	case config.StorageCloud:
		return models.OpenDB(ctx, models.OpenOptions{DatabaseURL: cfg.DatabaseURL, PGExecMode: cfg.PGExecMode})
	default:
		// local; hybrid also reads and writes the local SQLite file.
		db, err := models.OpenDB(ctx, models.OpenOptions{SQLitePath: cfg.SQLitePath()})
		if err != nil {
			return nil, err
		}
		// Before anything writes: an outbox that is on records the columns
		// this version's migrations added (also in local mode).
		if err := syncer.RefreshOutbox(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
}

// openStore opens the business store alone (cloud mode has no sync tables
// of its own to hand out).
func openStore(ctx context.Context, cfg *config.Config) (*models.Store, error) {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return models.NewStore(db), nil
}
