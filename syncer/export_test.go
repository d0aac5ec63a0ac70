package syncer

import (
	"context"
	"errors"
)

// SetAfterPush lets tests act between the cloud's answer to a push and the
// local acknowledgement (to kill the worker there).
func SetAfterPush(w *Worker, f func()) { w.afterPush = f }

// Push runs only the push half of a round (benchmarks).
func (w *Worker) Push(ctx context.Context) error { return w.push(ctx) }

// Prune prunes everything prunable now, whatever the interval and the
// bound per round (tests, benchmarks).
func (w *Worker) Prune(ctx context.Context) error {
	w.init()
	if err := w.enable(ctx); err != nil {
		return err
	}
	for {
		if err := w.prune(ctx); !errors.Is(err, errPruneMore) {
			return err
		}
	}
}
