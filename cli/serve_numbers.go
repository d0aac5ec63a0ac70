package cli

import (
	"context"
	"fmt"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/numbercheck"
	"github.com/sambad/sambad/whatsapp"
)

// offlineChecker stands in when the browser is turned off: jobs wait.
type offlineChecker struct{}

func (offlineChecker) Check(context.Context, string, string) (bool, error) {
	return false, fmt.Errorf("cli: %w (SAMBAD_NO_BROWSER)", numbercheck.ErrNotReady)
}
func (offlineChecker) ValidAccount(ctx context.Context, id string) error {
	return whatsapp.NumberChecker{}.ValidAccount(ctx, id)
}
func (offlineChecker) NotReadyReason(string) string {
	return "the browser is turned off (SAMBAD_NO_BROWSER)"
}

// startNumberChecks starts the number checker's runner. It stops in the
// campaign engine's stage, before the browser: a check in flight is
// abandoned and its number checked again at the next start.
func startNumberChecks(ctx context.Context, store *models.Store, reg *accounts.Registry, sd *shutdown) *numbercheck.Runner {
	var checker numbercheck.Checker = offlineChecker{}
	if reg != nil {
		checker = whatsapp.NumberChecker{Registry: reg}
	}
	r := numbercheck.New(numbercheck.Options{Store: store, Checker: checker})
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { r.Run(runCtx); close(done) }()
	if reg != nil {
		reg.Watch(func(a *accounts.Account) {
			fctx, stop := context.WithCancel(runCtx)
			context.AfterFunc(a.Context(), stop)
			go whatsapp.FeedSessionChanges(fctx, a.Manager(), r.SessionChanged)
		})
	}
	sd.add(stageEngine, "number checker", func(stopCtx context.Context) error {
		cancel()
		select {
		case <-done:
			return nil
		case <-stopCtx.Done():
			return fmt.Errorf("cli: the number checker did not stop in time: %w", stopCtx.Err())
		}
	})
	return r
}
