package campaign

import (
	"context"
	"errors"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

var errNotReady = errors.New("campaign: WhatsApp is not ready")

// recentToCheck is how many of a chat's last outgoing messages are compared.
const recentToCheck = 10

// reconcile settles every recipient a crash or a failed send left
// "sending": sent if its text is among the chat's last outgoing messages,
// back to pending if the chat shows it is not, "unknown" (for a person to
// decide) when the chat cannot be read. It never resends by itself.
func (e *Engine) reconcile(ctx context.Context, c *models.Campaign) error {
	recs, err := e.store.RecipientsInState(ctx, c.ID, models.RecipientSending)
	if err != nil || len(recs) == 0 {
		return err
	}
	files, err := e.store.CampaignMedia(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, r := range recs {
		// The chat is read on the account that holds the recipient. In a
		// rotation, one whose account is down stays "sending", held, while
		// the others go on; nobody else may send to it meanwhile.
		sender := e.senderOn(c, r.AccountID)
		if !sender.Ready() {
			if e.rotating(c) && r.AccountID != "" {
				continue
			}
			return errNotReady
		}
		var o models.Outcome
		if len(files) > 0 {
			o, err = e.reconcileParts(ctx, c, sender, r, files)
		} else {
			o, err = e.reconcileOne(ctx, sender, r)
		}
		if errors.Is(err, errNotReady) && e.rotating(c) && r.AccountID != "" {
			continue
		}
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if _, err := e.store.SetRecipientState(ctx, c.ID, r.Seq, models.RecipientSending, o); err != nil {
			return err
		}
		if o.State == models.RecipientSent {
			e.countSent(o.At, r.AccountID)
		}
		e.live.event(c.ID, Event{At: o.At, Phone: r.Phone, Name: r.Name, State: o.State, Detail: "checked after an interrupted send: " + o.Error})
	}
	return nil
}

// reconcileOne settles one recipient; it fails only with errNotReady (the
// chat could not be read because the session is down: try again later).
func (e *Engine) reconcileOne(ctx context.Context, sender Sender, r models.Recipient) (models.Outcome, error) {
	rctx, cancel := context.WithTimeout(ctx, e.opts.SendTimeout)
	defer cancel()
	msgs, err := sender.RecentOutgoing(rctx, r.Phone, recentToCheck)
	now := e.clock.Now()
	if errors.Is(err, ErrNotReady) || (err != nil && !sender.Ready()) {
		return models.Outcome{}, errNotReady
	}
	if err != nil {
		logrus.WithFields(logrus.Fields{"campaign": r.CampaignID, "seq": r.Seq, "error": err}).Error("campaign: unable to read a chat to reconcile")
		return models.Outcome{Seq: r.Seq, State: models.RecipientUnknown, At: now, Error: "the chat could not be read to tell whether it was sent"}, nil
	}
	want := normalizeText(r.Body)
	for _, m := range msgs {
		if normalizeText(m.Text) == want {
			return models.Outcome{Seq: r.Seq, State: models.RecipientSent, MessageID: m.ID, At: now, Error: ""}, nil
		}
	}
	return models.Outcome{Seq: r.Seq, State: models.RecipientPending, At: now, Error: ""}, nil
}

// normalizeText compares texts as WhatsApp shows them: runs of white space
// (and \r\n against \n) do not count.
func normalizeText(s string) string { return strings.Join(strings.Fields(s), " ") }
