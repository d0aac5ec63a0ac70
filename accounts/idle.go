package accounts

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/browser"
)

// loop stops browsers idle for Options.Idle and wakes sleeping ones that
// running campaigns want, every CheckEvery, until ctx ends.
func (r *Registry) loop(ctx context.Context) {
	defer close(r.done)
	t := time.NewTicker(r.opts.CheckEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.checkIdle(ctx)
		}
	}
}

// checkIdle is one round of the loop.
func (r *Registry) checkIdle(ctx context.Context) {
	wanted := map[string]bool{}
	if r.opts.Wanted != nil {
		for _, id := range r.opts.Wanted(ctx) {
			if id == "" {
				if f := r.First(ctx); f != nil {
					id = f.ID()
				}
			}
			wanted[id] = true
		}
	}
	r.mu.Lock()
	list := r.heldLocked()
	r.mu.Unlock()
	for _, a := range list {
		if ctx.Err() != nil {
			return
		}
		if a.m.Running() {
			// Work is a command on the page or a change of state (a QR
			// that just appeared waits its full Idle for a scan); a
			// browser still starting is not idle.
			last := a.m.LastUsed()
			st := a.m.Status()
			if st.State == browser.StateStarting || st.State == browser.StateLoading || st.State == browser.StateRestarting {
				continue
			}
			if st.Since.After(last) {
				last = st.Since
			}
			if wanted[a.id] || time.Since(last) < r.opts.Idle {
				continue
			}
			logrus.WithFields(logrus.Fields{"account": a.id, "idle": r.opts.Idle.String()}).Info("accounts: stopping an idle browser (the session stays)")
			sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			if err := a.sleep(sctx); err != nil {
				logrus.WithFields(logrus.Fields{"account": a.id, "error": err}).Error("accounts: unable to stop an idle browser")
			}
			cancel()
			continue
		}
		if wanted[a.id] {
			if started, err := a.wake(ctx); err != nil {
				logrus.WithFields(logrus.Fields{"account": a.id, "error": err}).Error("accounts: unable to start a browser a campaign needs")
			} else if started {
				logrus.WithFields(logrus.Fields{"account": a.id}).Info("accounts: browser started for a campaign")
			}
		}
	}
}
