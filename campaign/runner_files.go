package campaign

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// sendWithFiles sends the messages of one claimed recipient of a campaign
// with files, one at a time, with the same care as a recipient: each
// message is marked "sending" and committed (StartMessage), then the driver
// acts, then its outcome and ledger row are written; the last one's write
// also marks the recipient. Messages already sent (an earlier attempt cut
// short) are skipped, so nobody gets a file twice. unsure is set when a
// send's fate is unknown: the recipient and that message stay "sending"
// for the reconciler. paused holds the reason when the campaign must pause.
func (e *Engine) sendWithFiles(ctx context.Context, c *models.Campaign, sender Sender, r models.Recipient, files []models.Media, failures *int, sentThisRun *int64) (unsure bool, paused string) {
	id := c.ID
	back := func() { // nothing more was attempted: the recipient waits its turn again
		if _, err := e.store.SetRecipientState(context.WithoutCancel(ctx), id, r.Seq, models.RecipientSending, models.Outcome{Seq: r.Seq, State: models.RecipientPending}); err != nil {
			logrus.WithFields(logrus.Fields{"campaign": id, "seq": r.Seq, "error": err}).Error("campaign: unable to put a recipient back to pending")
		}
	}
	have, err := e.store.RecipientMessages(ctx, id, r.Seq)
	if err != nil {
		logrus.WithFields(logrus.Fields{"campaign": id, "seq": r.Seq, "error": err}).Error("campaign: unable to read a recipient's messages")
		back()
		return false, ""
	}
	sent := map[int]bool{}
	for _, m := range have {
		sent[m.Part] = m.Sent()
	}
	who := r.Phone
	if r.Name != "" {
		who = r.Name + " (" + r.Phone + ")"
	}
	e.live.update(id, func(l *Live) { l.Status, l.Current, l.Until = "sending", who, time.Time{} })
	parts := planParts(c.CaptionMode, r.Body, files)
	start := time.Now()
	for i, p := range parts {
		if sent[i] {
			continue
		}
		if ctx.Err() != nil || !sender.Ready() || !e.cur.ok() {
			back()
			return false, ""
		}
		var file File
		if p.media != nil && e.files == nil {
			back()
			return false, "this install has no media library to send files from"
		}
		if p.media != nil {
			f, err := e.files.Open(ctx, p.media)
			if err != nil {
				back()
				return false, fmt.Sprintf("the file %q cannot be read on this install: %v", p.media.Name, err)
			}
			f.Close()
			file = File{Path: f.Name(), Name: p.media.Name, Kind: p.kind, Caption: p.body}
		}
		msg := models.Message{CampaignID: id, Seq: r.Seq, Part: i, Run: r.Run, Kind: p.kind, Body: p.body}
		if p.media != nil {
			msg.MediaID = p.media.ID
		}
		if err := e.store.StartMessage(ctx, msg); errors.Is(err, models.ErrMessageSent) {
			continue
		} else if err != nil {
			logrus.WithFields(logrus.Fields{"campaign": id, "seq": r.Seq, "part": i, "error": err}).Error("campaign: unable to mark a message sending")
			back()
			return false, ""
		}
		sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.opts.SendTimeout)
		var res SendResult
		if p.media == nil {
			res, err = sender.SendText(sendCtx, r.Phone, p.body)
		} else {
			res, err = sender.SendFile(sendCtx, r.Phone, file)
		}
		cancel()
		now := e.clock.Now()
		ev := Event{At: now, Phone: r.Phone, Name: r.Name}
		if errors.Is(err, ErrNotReady) {
			// Certainly not sent: the message and the recipient wait again.
			pending := models.Outcome{Seq: r.Seq, State: models.RecipientPending, At: now}
			if err := e.store.RecordMessage(context.WithoutCancel(ctx), id, r.Seq, i, pending, &pending); err != nil {
				logrus.WithFields(logrus.Fields{"campaign": id, "seq": r.Seq, "error": err}).Error("campaign: unable to put a message back to pending")
			}
			return false, ""
		}
		if err != nil {
			*failures++
			ev.State, ev.Detail = models.RecipientSending, "a send ended in an error; checking the chat"
			e.live.event(id, ev)
			logrus.WithFields(logrus.Fields{"campaign": id, "seq": r.Seq, "part": i, "error": err}).Error("campaign: send failed with an unknown outcome")
			return true, ""
		}
		o := models.Outcome{Seq: r.Seq, MessageID: res.MessageID, Error: res.Reason, At: now}
		switch res.Status {
		case StatusSent:
			o.State = models.RecipientSent
		case StatusInvalidNumber:
			o.State = models.RecipientInvalid
			if o.Error == "" {
				o.Error = "this number is not on WhatsApp"
			}
		default:
			o.State = models.RecipientFailed
			if p.media != nil {
				o.Error = fmt.Sprintf("%s (file %d of %d, %q)", o.Error, i+1, len(parts), p.media.Name)
			}
		}
		var done *models.Outcome
		if o.State != models.RecipientSent {
			done = &models.Outcome{Seq: r.Seq, State: o.State, Error: o.Error, At: now}
		} else if i == len(parts)-1 {
			done = &models.Outcome{Seq: r.Seq, State: models.RecipientSent, At: now}
		}
		if err := e.store.RecordMessage(context.WithoutCancel(ctx), id, r.Seq, i, o, done); err != nil {
			// Sent, but not written: left "sending", the chat settles it.
			logrus.WithFields(logrus.Fields{"campaign": id, "seq": r.Seq, "part": i, "error": err}).Error("campaign: unable to record a message")
			return true, ""
		}
		e.applyEarlyAcks(ctx, []models.Outcome{o})
		if o.State != models.RecipientSent {
			*failures++
			e.noteRecipient(id, ev, o.State, o.Error, time.Since(start))
			if max := maxFailuresOf(c); *failures >= max {
				return false, fmt.Sprintf("paused after %d failed sends in a row (last: %s)", *failures, o.Error)
			}
			return false, ""
		}
	}
	// Every message went out (the last write marked the recipient sent, or
	// all had gone out before this attempt).
	now := e.clock.Now()
	if _, err := e.store.SetRecipientState(ctx, id, r.Seq, models.RecipientSending, models.Outcome{Seq: r.Seq, State: models.RecipientSent, At: now}); err != nil {
		logrus.WithFields(logrus.Fields{"campaign": id, "seq": r.Seq, "error": err}).Error("campaign: unable to mark a recipient sent")
	}
	*failures = 0
	*sentThisRun++
	e.countSent(now, r.AccountID)
	e.noteRecipient(id, Event{At: now, Phone: r.Phone, Name: r.Name}, models.RecipientSent, "", time.Since(start))
	return false, ""
}

// noteRecipient shows a recipient's outcome on the monitor.
func (e *Engine) noteRecipient(id string, ev Event, state, detail string, took time.Duration) {
	ev.State, ev.Detail = state, detail
	doneAt := e.clock.Now()
	e.live.update(id, func(l *Live) {
		l.PerSend = (l.PerSend*7 + took) / 8
		l.noteMessage(doneAt)
		l.Events = append([]Event{ev}, l.Events...)
		if len(l.Events) > recentEvents {
			l.Events = l.Events[:recentEvents]
		}
	})
}

func maxFailuresOf(c *models.Campaign) int {
	if c.Pacing.MaxFailures > 0 {
		return c.Pacing.MaxFailures
	}
	return DefaultMaxFailures
}
