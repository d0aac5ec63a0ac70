package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// swapHandler serves whichever handler was set last.
type swapHandler struct{ h atomic.Pointer[http.Handler] }

func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}

// serveCloud serves cloud mode. The cloud database may be out of reach when
// Sambad starts (network down, Supabase project paused): Sambad listens at
// once and answers every page with a 503 saying why, while a loop keeps
// trying; once the database opens, the full app takes over the same
// listener. A DATABASE_URL that cannot be parsed still fails start-up.
//
// Shutdown: the HTTP server stops first, then the loop (a store it opened
// late is closed, or handed to the stages), then the stages in order.
func serveCloud(ctx context.Context, cfg *config.Config, stdout io.Writer) error {
	if err := models.CheckDatabaseURL(cfg.DatabaseURL, cfg.PGExecMode); err != nil {
		return err
	}
	o := newCloudOpener(cfg)
	pending, err := server.NewCloudUnreachable(cfg, o.status)
	if err != nil {
		return err
	}
	var h swapHandler
	h.set(pending)
	ln, err := listen(cfg, stdout)
	if err != nil {
		return err
	}
	serveCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		sd     shutdown
		appErr error // a start-up error after the database opened; ends serve
		done   = make(chan struct{})
	)
	go func() {
		defer close(done)
		if appErr = openCloudApp(serveCtx, cfg, o, &h, &sd); appErr != nil {
			cancel()
		}
	}()
	serveErr := server.Serve(serveCtx, ln, &h, cfg.ShutdownGrace)
	cancel()
	<-done // sd is complete only once the loop has returned
	return errors.Join(appErr, stopServe(cfg, serveErr, &sd))
}

// cloudNeedsPassword refuses cloud mode beyond loopback without
// SAMBAD_PASSWORD. A password set at /setup lives in the cloud database,
// which may be out of reach for hours while Sambad listens: the requirement
// is checked before the database is opened, not once it answers.
func cloudNeedsPassword(cfg *config.Config) error {
	if cfg.IsLoopback() || cfg.Password != "" {
		return nil
	}
	return fmt.Errorf("refusing to listen on %s in cloud mode without SAMBAD_PASSWORD: a password set at /setup is kept in the "+
		"cloud database, which cannot be checked before it answers. Set SAMBAD_PASSWORD (or SAMBAD_PASSWORD_FILE), or listen on 127.0.0.1", cfg.Addr)
}

// openCloudApp waits for the cloud store, starts the app on it and swaps it
// in. It returns nil when ctx ends first.
func openCloudApp(ctx context.Context, cfg *config.Config, o *cloudOpener, h *swapHandler, sd *shutdown) error {
	store, err := o.open(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	sd.add(stageDatabase, "database", func(context.Context) error { return store.Close() })
	if ctx.Err() != nil {
		return nil // stopping: the database stage closes the store
	}
	// No database for a sync worker: cloud mode has none.
	srv, err := startApp(ctx, cfg, nil, store, sd)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		logrus.WithFields(logrus.Fields{"error": err}).Error("unable to start on the cloud database")
		return err
	}
	h.set(srv.Handler())
	return nil
}
