package syncer

import "context"

// SetAfterPush lets tests act between the cloud's answer to a push and the
// local acknowledgement (to kill the worker there).
func SetAfterPush(w *Worker, f func()) { w.afterPush = f }

// Push runs only the push half of a round (benchmarks).
func (w *Worker) Push(ctx context.Context) error { return w.push(ctx) }

// Prune runs a prune now, whatever the interval (tests, benchmarks).
func (w *Worker) Prune(ctx context.Context) error {
	w.init()
	return w.prune(ctx)
}
