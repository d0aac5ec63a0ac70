package numbercheck

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// maxTries is how often one number is checked before it is recorded as
// "could not tell" (a chat that did not open in time, a page WhatsApp
// changed). Not-ready answers do not count: the job waits for them.
const maxTries = 2

// Run works the jobs until ctx is done. A check in flight when ctx ends
// leaves its number pending for the next start.
func (r *Runner) Run(ctx context.Context) {
	var next time.Time // the pacing: when the next check may begin
	var checked int64  // checks made, for the pacing's longer pauses
	tries := map[string]int{}
	for ctx.Err() == nil {
		job, err := r.store.NextNumberCheck(ctx)
		if err != nil {
			if !errors.Is(err, models.ErrNotFound) && ctx.Err() == nil {
				logrus.WithField("error", err).Error("numbercheck: unable to find the next job")
			}
			r.sleep(ctx, r.opts.IdlePoll)
			continue
		}
		item, err := r.store.NextPendingNumber(ctx, job.ID)
		if errors.Is(err, models.ErrNotFound) {
			r.finish(ctx, job)
			continue
		}
		if err != nil {
			logrus.WithFields(logrus.Fields{"check": job.ID, "error": err}).Error("numbercheck: unable to read the next number")
			r.sleep(ctx, r.opts.IdlePoll)
			continue
		}
		if wait := time.Until(next); wait > 0 {
			r.sleep(ctx, wait) // or woken: read the job again (it may be cancelled)
			continue
		}
		if job.State == models.NumberCheckQueued && !r.move(ctx, job, models.NumberCheckRunning, "") {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, r.opts.CheckTimeout)
		on, err := r.checker.Check(cctx, job.AccountID, item.Phone)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, ErrNotReady) {
			detail := "Waiting for WhatsApp: " + r.checker.NotReadyReason(job.AccountID)
			if job.State != models.NumberCheckWaiting || job.Detail != detail {
				r.move(ctx, job, models.NumberCheckWaiting, detail)
			}
			r.sleep(ctx, r.opts.RetryNotReady)
			continue
		}
		if job.State == models.NumberCheckWaiting && !r.move(ctx, job, models.NumberCheckRunning, "") {
			continue
		}
		key := fmt.Sprintf("%s/%d", job.ID, item.Seq)
		result, reason := models.NumberNotOnWA, ""
		switch {
		case err != nil:
			if tries[key]++; tries[key] < maxTries {
				logrus.WithFields(logrus.Fields{"check": job.ID, "seq": item.Seq, "error": err}).Warn("numbercheck: check failed, trying again")
				next = time.Now().Add(campaign.NextDelay(job.Pacing, r.rng))
				continue
			}
			result, reason = models.NumberCheckFailed, err.Error()
			logrus.WithFields(logrus.Fields{"check": job.ID, "seq": item.Seq, "error": err}).Error("numbercheck: unable to check a number")
		case on:
			result = models.NumberOnWhatsApp
		}
		delete(tries, key)
		if err := r.store.RecordNumber(ctx, item, result, reason); err != nil {
			logrus.WithFields(logrus.Fields{"check": job.ID, "seq": item.Seq, "error": err}).Error("numbercheck: unable to record a result")
			r.sleep(ctx, r.opts.IdlePoll)
			continue
		}
		checked++
		next = time.Now().Add(campaign.NextDelay(job.Pacing, r.rng) + campaign.ExtraPause(job.Pacing, checked))
	}
}

// finish marks a job whose every number has a result done.
func (r *Runner) finish(ctx context.Context, job *models.NumberCheck) {
	n, err := r.store.GetNumberCheck(ctx, job.ID)
	if err != nil {
		logrus.WithFields(logrus.Fields{"check": job.ID, "error": err}).Error("numbercheck: unable to finish a job")
		r.sleep(ctx, r.opts.IdlePoll)
		return
	}
	detail := fmt.Sprintf("%d on WhatsApp, %d not on WhatsApp", n.Counts.OnWhatsApp, n.Counts.NotOnWhatsApp)
	if n.Counts.Errors > 0 {
		detail += fmt.Sprintf(", %d could not be checked", n.Counts.Errors)
	}
	if r.move(ctx, job, models.NumberCheckDone, detail) {
		logrus.WithFields(logrus.Fields{"check": job.ID, "on": n.Counts.OnWhatsApp, "off": n.Counts.NotOnWhatsApp, "errors": n.Counts.Errors}).Info("numbercheck: job done")
	}
}

// move changes a job's state; false when it could not (cancelled meanwhile,
// or the database refused; logged).
func (r *Runner) move(ctx context.Context, job *models.NumberCheck, state, detail string) bool {
	err := r.store.MoveNumberCheck(ctx, job.ID, state, detail)
	if err == nil {
		job.State, job.Detail = state, detail
		return true
	}
	if !errors.Is(err, models.ErrState) && ctx.Err() == nil {
		logrus.WithFields(logrus.Fields{"check": job.ID, "state": state, "error": err}).Error("numbercheck: unable to update a job")
		r.sleep(ctx, r.opts.IdlePoll)
	}
	return false
}

// sleep waits d, or until woken or ctx is done.
func (r *Runner) sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-r.kick:
	case <-t.C:
	}
}
