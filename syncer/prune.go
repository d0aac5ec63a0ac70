package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"
)

// pruneChunk is how many sync_applied rows one sync_prune call deletes at
// most (each call is its own short transaction), and pruneChunks how many
// calls one round makes; a bigger backlog (an upgrade from before 00007)
// goes on in the next rounds.
const (
	pruneChunk  = 5000
	pruneChunks = 20
)

// errPruneMore reports that a prune stopped at its bound with rows left.
var errPruneMore = errors.New("syncer: more applied ops to prune")

// pruneIfDue prunes after a round's push when something was pushed since the
// last complete prune (or this process has not pruned yet), at most once per
// PruneInterval, so idle rounds cost nothing. Pruning is housekeeping: a
// failure is logged and retried later, and never fails the round.
func (w *Worker) pruneIfDue(ctx context.Context) {
	if w.pruneClean || time.Since(w.lastPrune) < w.PruneInterval {
		return
	}
	err := w.prune(ctx)
	switch {
	case err == nil:
		w.pruneClean, w.lastPrune = true, time.Now()
	case errors.Is(err, errPruneMore):
		// Go on in the next round, without waiting for the interval.
	case ctx.Err() != nil:
	default:
		w.lastPrune = time.Now()
		logrus.WithFields(logrus.Fields{"error": err, "install_id": w.installID}).Warn("sync: unable to prune the cloud's record of applied changes; retrying later")
	}
}

// prune deletes the cloud's record of this install's applied ops that can
// never be sent again (see sync_prune in migration 00007): those below the
// lowest seq still in the outbox.
func (w *Worker) prune(ctx context.Context) error {
	cloud, err := w.connect(ctx)
	if err != nil {
		return err
	}
	below, err := retryFloor(ctx, w.Local.SQL())
	if err != nil || below == 0 {
		return err
	}
	for range pruneChunks {
		var n int64
		cctx, cancel := context.WithTimeout(ctx, w.opTimeout())
		err := cloud.QueryRowContext(cctx, qPrune, w.installID, below, pruneChunk).Scan(&n)
		cancel()
		if err != nil {
			return fmt.Errorf("syncer: unable to prune the cloud's record of applied changes: %w", err)
		}
		if n < pruneChunk {
			return nil
		}
	}
	return errPruneMore
}

// retryFloor returns the lowest seq this install may still send: the lowest
// in the outbox, or one past the highest ever written when the outbox is
// empty (0: nothing was ever written). One statement, so one snapshot: an op
// written meanwhile gets a higher seq (AUTOINCREMENT never reuses one), and
// an op whose acknowledgement was lost is still in the outbox.
func retryFloor(ctx context.Context, local *sql.DB) (int64, error) {
	var below int64
	err := local.QueryRowContext(ctx, qRetryFloor).Scan(&below)
	if err != nil {
		return 0, fmt.Errorf("syncer: unable to read the outbox's lowest seq: %w", err)
	}
	return below, nil
}
