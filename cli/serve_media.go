package cli

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/media"
)

// mediaReconcileEvery is how often the media library brings disk and chunk
// rows in line: files whose rows came with the sync are rebuilt from their
// chunks before anyone asks for them (a campaign taken over from another
// install), and files stored before hybrid mode get their chunks.
const mediaReconcileEvery = 30 * time.Second

// mediaReconcileFirst is when the first run comes: after start-up's own
// work (the browser, resuming campaigns), and in hybrid mode after the
// first pull has brought what changed while this install was off.
const mediaReconcileFirst = 10 * time.Second

// startMediaReconcile runs lib.Reconcile mediaReconcileFirst after start and
// then every mediaReconcileEvery until the returned stop is called; stop waits for a
// run in progress. It stops with the campaign engine, before sync, so the
// chunks it wrote are pushed at shutdown.
func startMediaReconcile(lib *media.Library) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-ctx.Done():
			return
		case <-time.After(mediaReconcileFirst):
		}
		tick := time.NewTicker(mediaReconcileEvery)
		defer tick.Stop()
		for {
			rep, err := lib.Reconcile(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				logrus.WithFields(logrus.Fields{"error": err}).Error("media: unable to reconcile the library")
			case rep.Chunked > 0 || rep.Rebuilt > 0:
				logrus.WithFields(logrus.Fields{"chunked": rep.Chunked, "rebuilt": rep.Rebuilt, "waiting": rep.Waiting}).Info("media: library reconciled")
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
