package campaign

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// maxStoreErrors is how many database errors in a row fail a campaign.
const maxStoreErrors = 5

// runCampaign sends one running campaign until it completes, is paused or
// stopped, the session drops, or ctx ends. Per message: the "sending" mark
// is committed (ClaimPending), then the driver acts, then the outcome is
// written; no transaction is open while the driver works.
func (e *Engine) runCampaign(ctx context.Context, c *models.Campaign) {
	id := c.ID
	gen := e.live.gen(id)
	e.live.update(id, (*Live).breakStretch) // a pause or a restart is no message's gap
	if !e.campaignReady(c) {
		e.pauseForSession(ctx, id)
		return
	}
	if !e.flushUnrecorded(ctx, id) {
		e.wait(ctx, id, gen, e.clock.Now().Add(time.Second), "retrying")
		return
	}
	if !e.takeover(ctx, c) {
		return
	}
	if err := e.reconcile(ctx, c); err != nil {
		if err == errNotReady {
			e.pauseForSession(ctx, id)
		} else if ctx.Err() == nil {
			logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Error("campaign: reconciliation failed")
			e.wait(ctx, id, gen, e.clock.Now().Add(time.Second), "retrying")
		}
		return
	}
	files, err := e.store.CampaignMedia(ctx, id)
	if err != nil {
		if ctx.Err() == nil {
			logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Error("campaign: unable to load the campaign's files")
			e.wait(ctx, id, gen, e.clock.Now().Add(time.Second), "retrying")
		}
		return
	}
	p := c.Pacing
	// Paced campaigns claim one recipient at a time. Unpaced ones (tests,
	// benchmarks) claim in batches that double while a batch's sends take
	// under batchFast and halve when slower, so at most a few tens of
	// milliseconds of sends are ever in flight when a crash strikes.
	// With a Lease, one at a time too: a new holder settles what the last
	// one left "sending", so no claimed recipient may wait behind a send.
	unpaced := p.MinDelayMS == 0 && p.MaxDelayMS == 0 && p.PauseEvery == 0 && e.lease == nil
	batch := 1
	failures, storeErrors := 0, 0
	var sentThisRun int64
	next, used := map[string]time.Time{}, map[string]int{} // per account, in a rotation
	lastScheduleCheck := time.Now()
	for ctx.Err() == nil {
		if time.Since(lastScheduleCheck) > e.opts.IdlePoll {
			// A schedule falling due while this campaign sends still freezes
			// its recipients on time; it then waits its turn.
			e.startDueSchedules(ctx)
			lastScheduleCheck = time.Now()
		}
		if !e.cur.check(ctx) {
			e.leaseEnded(id)
			return
		}
		// With a Lease, another install may pause or stop the campaign in
		// the shared database: read its state before each claim.
		if g := e.live.gen(id); g != gen || e.lease != nil {
			fresh, err := e.store.GetCampaign(ctx, id)
			if err != nil || fresh.State != models.CampaignRunning {
				e.live.update(id, func(l *Live) { l.Status, l.Current = "", "" })
				return
			}
			c, p, gen = fresh, fresh.Pacing, g
		}
		now := e.clock.Now()
		acct, ap, sender, until, why := e.pickAccount(ctx, c, p, next, used, now)
		if sender == nil {
			if why == "" {
				e.pauseForSession(ctx, id)
				return
			}
			e.wait(ctx, id, gen, until, why)
			continue
		}
		n := batch
		if len(files) > 0 {
			n = 1 // a recipient with files is several messages, each sent with its own mark
		}
		if ap.DailyCap > 0 {
			n = min(n, ap.DailyCap-int(e.sentTodayCount(ctx, now, acct)))
		}
		var recs []models.Recipient
		pinned := len(files) > 0 && e.rotating(c)
		if pinned {
			// A recipient whose first files went out through one account
			// gets the rest through it: they belong in that chat, and a
			// chat is read on the account that sent.
			recs, err = e.store.ClaimPendingPinned(ctx, id, acct, c.Run, n)
		} else {
			recs, err = e.store.ClaimPendingOn(ctx, id, acct, c.Run, n)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			storeErrors++
			logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Error("campaign: unable to claim recipients")
			if storeErrors >= maxStoreErrors {
				e.changed(id, e.store.FailCampaign(ctx, id, "the database kept failing; see error.log"))
				return
			}
			e.wait(ctx, id, gen, now.Add(time.Second), "retrying")
			continue
		}
		storeErrors = 0
		if len(recs) == 0 {
			if pinned {
				if cnt, err := e.store.CountStates(ctx, id, c.Run); err == nil && cnt[models.RecipientPending] > 0 {
					// What is left is pinned to another account: this one
					// waits, that one (once ready) sends it.
					next[acct] = now.Add(e.opts.IdlePoll)
					e.wait(ctx, id, gen, now.Add(e.opts.IdlePoll), "waiting for the account that sent a recipient's first files")
					continue
				}
			}
			e.finish(ctx, c)
			if e.rotating(c) {
				// A recipient held by an account that dropped keeps the
				// run open: look again later rather than at once.
				if n, err := e.store.CountStates(ctx, id, c.Run); err == nil && n[models.RecipientSending] > 0 {
					e.wait(ctx, id, gen, e.clock.Now().Add(e.opts.IdlePoll), "waiting for an account to come back")
				}
			}
			return
		}
		if !e.cur.cover(ctx, c.Run, recs[len(recs)-1].Seq) {
			// Not claimed in the cloud: not sent. Back to pending.
			outs := make([]models.Outcome, len(recs))
			for i, r := range recs {
				outs[i] = models.Outcome{Seq: r.Seq, State: models.RecipientPending}
			}
			if !e.recordOutcomes(ctx, id, outs) {
				return
			}
			if e.cur.lost.Load() {
				e.leaseEnded(id)
				return
			}
			e.wait(ctx, id, gen, now.Add(time.Second), "waiting for the cloud database")
			continue
		}
		began := time.Now()
		var outs []models.Outcome
		var unsure bool
		var paused string
		if len(files) > 0 {
			unsure, paused = e.sendWithFiles(ctx, c, sender, recs[0], files, &failures, &sentThisRun)
		} else {
			outs, unsure, paused = e.sendBatch(ctx, c, sender, recs, &failures, &sentThisRun)
		}
		if unpaced {
			batch = nextBatch(batch, len(recs), time.Since(began), e.opts.ClaimBatch)
		}
		if !e.recordOutcomes(ctx, id, outs) {
			return
		}
		e.applyEarlyAcks(ctx, outs)
		e.live.update(id, nil)
		if paused != "" {
			e.changed(id, e.store.PauseCampaign(ctx, id, models.PauseFailures, paused))
			e.live.event(id, Event{At: e.clock.Now(), State: "paused", Detail: paused})
			return
		}
		if unsure {
			// A send ended in an error: settle it before going on.
			if !e.campaignReady(c) {
				e.pauseForSession(ctx, id)
				return
			}
			if err := e.reconcile(ctx, c); err != nil {
				return
			}
		}
		extra := ExtraPause(p, sentThisRun)
		delay := NextDelay(p, e.rng) + extra
		if e.rotating(c) {
			// Each account keeps its own pacing clock: this one waits,
			// the others may send meanwhile.
			next[acct], used[acct] = e.clock.Now().Add(delay), used[acct]+1
		} else if delay > 0 {
			e.wait(ctx, id, gen, e.clock.Now().Add(delay), "waiting")
		}
		if extra > 0 {
			e.live.update(id, (*Live).breakStretch) // the time left counts longer pauses apart
		}
	}
}

// batchFast is how long a batch of unpaced sends may take before the
// batch stops growing.
const batchFast = 20 * time.Millisecond

func nextBatch(cur, got int, took time.Duration, limit int) int {
	switch {
	case took < batchFast && got == cur:
		return min(cur*2, limit)
	case took > 10*batchFast:
		return max(cur/2, 1)
	}
	return cur
}

// sendBatch sends claimed recipients one by one and returns their outcomes;
// unsure is set when a send's fate is unknown (left "sending" for the
// reconciler), paused holds the reason when too many failed in a row.
func (e *Engine) sendBatch(ctx context.Context, c *models.Campaign, sender Sender, recs []models.Recipient, failures *int, sentThisRun *int64) (outs []models.Outcome, unsure bool, paused string) {
	outs = make([]models.Outcome, 0, len(recs))
	maxFailures := c.Pacing.MaxFailures
	if maxFailures <= 0 {
		maxFailures = DefaultMaxFailures
	}
	for i, r := range recs {
		if ctx.Err() != nil || (i > 0 && !sender.Ready()) || !e.cur.ok() {
			// Not attempted: back to pending.
			for _, rest := range recs[i:] {
				outs = append(outs, models.Outcome{Seq: rest.Seq, State: models.RecipientPending})
			}
			return outs, false, ""
		}
		who := r.Phone
		if r.Name != "" {
			who = r.Name + " (" + r.Phone + ")"
		}
		e.live.update(c.ID, func(l *Live) { l.Status, l.Current, l.Until = "sending", who, time.Time{} })
		start := time.Now()
		sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.opts.SendTimeout)
		res, err := sender.SendText(sendCtx, r.Phone, r.Body)
		cancel()
		took := time.Since(start)
		now := e.clock.Now()
		ev := Event{At: now, Phone: r.Phone, Name: r.Name}
		if errors.Is(err, ErrNotReady) {
			// Certainly not sent: this one and the rest go back to pending.
			for _, rest := range recs[i:] {
				outs = append(outs, models.Outcome{Seq: rest.Seq, State: models.RecipientPending})
			}
			return outs, false, ""
		}
		if err != nil {
			*failures++
			ev.State, ev.Detail = models.RecipientSending, "the send ended in an error; checking the chat"
			e.live.event(c.ID, ev)
			logrus.WithFields(logrus.Fields{"campaign": c.ID, "seq": r.Seq, "error": err}).Error("campaign: send failed with an unknown outcome")
			for _, rest := range recs[i+1:] {
				outs = append(outs, models.Outcome{Seq: rest.Seq, State: models.RecipientPending})
			}
			return outs, true, ""
		}
		o := models.Outcome{Seq: r.Seq, MessageID: res.MessageID, Error: res.Reason, At: now}
		switch res.Status {
		case StatusSent:
			o.State, *failures = models.RecipientSent, 0
			*sentThisRun++
			e.countSent(now, r.AccountID)
		case StatusInvalidNumber:
			o.State = models.RecipientInvalid
			if o.Error == "" {
				o.Error = "this number is not on WhatsApp"
			}
		default:
			o.State = models.RecipientFailed
			*failures++
		}
		outs = append(outs, o)
		ev.State, ev.Detail = o.State, o.Error
		doneAt := e.clock.Now()
		e.live.update(c.ID, func(l *Live) {
			l.PerSend = (l.PerSend*7 + took) / 8
			l.noteMessage(doneAt)
			l.Events = append([]Event{ev}, l.Events...)
			if len(l.Events) > recentEvents {
				l.Events = l.Events[:recentEvents]
			}
		})
		if *failures >= maxFailures {
			for _, rest := range recs[i+1:] {
				outs = append(outs, models.Outcome{Seq: rest.Seq, State: models.RecipientPending})
			}
			return outs, false, fmt.Sprintf("paused after %d failed sends in a row (last: %s)", *failures, o.Error)
		}
	}
	return outs, false, ""
}

// finish completes a run once nothing is pending or sending.
func (e *Engine) finish(ctx context.Context, c *models.Campaign) {
	counts, err := e.store.CountStates(ctx, c.ID, c.Run)
	if err != nil || counts[models.RecipientSending] > 0 || counts[models.RecipientPending] > 0 {
		// Pending again since the claim (a person chose to resend): not done.
		return
	}
	if err := e.store.CompleteRun(ctx, c.ID, c.Run); err != nil {
		return
	}
	if n, err := e.store.CountStates(ctx, c.ID, c.Run); err == nil && n[models.RecipientPending] > 0 {
		// A person's "resend" landed between the count and the completion
		// (ResolveUnknown saw the campaign still running): it goes on.
		e.changed(c.ID, e.store.ReopenCampaign(ctx, c.ID))
		return
	}
	e.live.bump(c.ID)
	e.live.update(c.ID, func(l *Live) { l.Status, l.Current = "", "" })
	e.live.event(c.ID, Event{At: e.clock.Now(), State: "completed", Detail: fmt.Sprintf("run %d finished", c.Run)})
}

// leaseEnded notes that this install stopped sending a campaign because its
// lease was lost or ran out while the database could not be reached.
func (e *Engine) leaseEnded(id string) {
	detail := "the lease ran out while the cloud database was unreachable; waiting for it"
	if e.cur.lost.Load() {
		detail = "another install took the campaign over"
	}
	e.live.update(id, func(l *Live) { l.Status, l.Current, l.Until, l.Lease.Mine = "", "", time.Time{}, false })
	e.live.event(id, Event{At: e.clock.Now(), State: "paused", Detail: detail})
}

// pauseForSession pauses a campaign while WhatsApp is down. With a Lease
// the shared campaign stays running (its lease is released) so that an
// install whose WhatsApp is connected goes on with it, and no install
// pauses what another resumes.
func (e *Engine) pauseForSession(ctx context.Context, id string) {
	if e.lease != nil {
		e.live.update(id, func(l *Live) { l.Status, l.Current = "waiting for WhatsApp on this install", "" })
		e.live.event(id, Event{At: e.clock.Now(), State: "paused", Detail: "WhatsApp is not connected on this install"})
		return
	}
	if err := e.changed(id, e.store.PauseCampaign(ctx, id, models.PauseWhatsApp, "WhatsApp is not connected; sending goes on by itself when it is")); err == nil {
		e.live.update(id, func(l *Live) { l.Status, l.Current = "waiting for WhatsApp", "" })
		e.live.event(id, Event{At: e.clock.Now(), State: "paused", Detail: "WhatsApp is not connected"})
	}
}

// wait sleeps until `until`, showing status; it returns early (false) when
// ctx ends, the campaign is controlled, or the session drops. Other wake-ups
// do not shorten the pacing delay.
func (e *Engine) wait(ctx context.Context, id string, gen uint64, until time.Time, status string) bool {
	e.live.update(id, func(l *Live) {
		l.Status, l.Until, l.Current = status, until, ""
		if status != "waiting" { // quiet hours, the cap, a retry: not pacing
			l.breakStretch()
		}
	})
	for {
		d := until.Sub(e.clock.Now())
		if d <= 0 {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-e.kick:
			if e.live.gen(id) != gen || !e.sender.Ready() {
				e.wake() // let the main loop see it too
				return false
			}
		case <-e.clock.After(min(d, e.opts.IdlePoll)):
		}
		if !e.cur.ok() {
			return false
		}
	}
}

// recordOutcomes writes outcomes; when the database refuses, they are kept
// in memory and written before anything else happens to the campaign, so
// what the engine knows is never left to reconciliation.
func (e *Engine) recordOutcomes(ctx context.Context, id string, outs []models.Outcome) bool {
	err := e.store.RecordOutcomes(context.WithoutCancel(ctx), id, outs)
	if err == nil {
		return true
	}
	logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Error("campaign: unable to record sends; keeping them to retry")
	e.mu.Lock()
	e.unrecorded[id] = append(e.unrecorded[id], outs...)
	e.mu.Unlock()
	return false
}

// flushUnrecorded retries writing outcomes a database error held back.
func (e *Engine) flushUnrecorded(ctx context.Context, id string) bool {
	e.mu.Lock()
	outs := e.unrecorded[id]
	delete(e.unrecorded, id)
	e.mu.Unlock()
	if len(outs) == 0 {
		return true
	}
	return e.recordOutcomes(ctx, id, outs)
}
