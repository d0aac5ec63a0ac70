package campaign

import (
	"context"
	"errors"
	"fmt"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// match is what a chat says of one message a recipient may have been sent.
type match int

const (
	matchAbsent match = iota // certainly not sent: send it
	matchFound               // sent: msgs[idx] is it
	matchUnsure              // cannot tell: a person decides
)

// reconcileParts settles a recipient of a campaign with files left
// "sending": its messages known sent stay so; for the rest the chat is
// read once and each, in order, is looked for after the previous one (the
// anchor: that message's id in the chat). A text is known by its text, a
// document by its name (and caption), a photo or video by its caption; an
// uncaptioned photo or video only by its place right after the anchor.
// The first message not in the chat sends the recipient back to pending
// (the rest were never attempted: messages go one after the other); one
// that cannot be told makes the recipient "unknown", never a resend.
func (e *Engine) reconcileParts(ctx context.Context, c *models.Campaign, sender Sender, r models.Recipient, files []models.Media) (models.Outcome, error) {
	now := e.clock.Now()
	parts := planParts(c.CaptionMode, r.Body, files)
	have, err := e.store.RecipientMessages(ctx, c.ID, r.Seq)
	if err != nil {
		return models.Outcome{}, err
	}
	rows := make([]*models.Message, len(parts))
	for i := range have {
		if p := have[i].Part; p < len(parts) {
			rows[p] = &have[i]
		}
	}
	k := 0
	for k < len(parts) && rows[k] != nil && rows[k].Sent() {
		k++
	}
	if k == len(parts) {
		return models.Outcome{Seq: r.Seq, State: models.RecipientSent, At: now}, nil
	}
	put := func(i int, state, messageID, detail string) error {
		m := models.Message{CampaignID: c.ID, Seq: r.Seq, Part: i, Run: r.Run, Kind: parts[i].kind, Body: parts[i].body,
			State: state, MessageID: messageID, Error: detail}
		if parts[i].media != nil {
			m.MediaID = parts[i].media.ID
		}
		if state == models.RecipientSent {
			m.SentAt = &now
		}
		return e.store.PutMessage(ctx, m)
	}
	rctx, cancel := context.WithTimeout(ctx, e.opts.SendTimeout)
	msgs, err := sender.RecentOutgoing(rctx, r.Phone, recentToCheck+len(parts))
	cancel()
	if errors.Is(err, ErrNotReady) || (err != nil && !sender.Ready()) {
		return models.Outcome{}, errNotReady
	}
	if err != nil {
		logrus.WithFields(logrus.Fields{"campaign": c.ID, "seq": r.Seq, "error": err}).Error("campaign: unable to read a chat to reconcile")
		detail := "the chat could not be read to tell whether it was sent"
		if err := put(k, models.RecipientUnknown, "", detail); err != nil {
			return models.Outcome{}, err
		}
		return models.Outcome{Seq: r.Seq, State: models.RecipientUnknown, At: now, Error: detail}, nil
	}
	anchor := -1
	if k > 0 && rows[k-1].MessageID != "" {
		for i, m := range msgs {
			if m.ID == rows[k-1].MessageID {
				anchor = i
			}
		}
	}
	for i := k; i < len(parts); i++ {
		res, idx := matchPart(msgs, anchor, parts[i])
		switch res {
		case matchFound:
			if err := put(i, models.RecipientSent, msgs[idx].ID, ""); err != nil {
				return models.Outcome{}, err
			}
			anchor = idx
		case matchAbsent:
			if rows[i] != nil && !rows[i].Sent() && rows[i].State != models.RecipientPending {
				if err := put(i, models.RecipientPending, "", ""); err != nil {
					return models.Outcome{}, err
				}
			}
			return models.Outcome{Seq: r.Seq, State: models.RecipientPending, At: now}, nil
		default:
			detail := fmt.Sprintf("message %d of %d (%s) may have been sent: the chat shows one like it that cannot be told apart", i+1, len(parts), describePart(parts[i]))
			if err := put(i, models.RecipientUnknown, "", detail); err != nil {
				return models.Outcome{}, err
			}
			return models.Outcome{Seq: r.Seq, State: models.RecipientUnknown, At: now, Error: detail}, nil
		}
	}
	return models.Outcome{Seq: r.Seq, State: models.RecipientSent, At: now}, nil
}

// matchPart looks for one message in a chat's last outgoing messages,
// after msgs[anchor] when the anchor is known (>= 0).
func matchPart(msgs []OutgoingMessage, anchor int, p part) (match, int) {
	after := msgs[anchor+1:]
	base := anchor + 1
	sameKind := func(m OutgoingMessage) bool {
		if p.kind == models.MessageText {
			return m.Media == ""
		}
		return m.Media == p.kind
	}
	identified := p.kind == models.MessageText || p.kind == models.MediaDocument || normalizeText(p.body) != ""
	if identified {
		for i, m := range after {
			if !sameKind(m) || normalizeText(m.Text) != normalizeText(p.body) {
				continue
			}
			if p.kind == models.MediaDocument && m.FileName != p.media.Name {
				continue
			}
			return matchFound, base + i
		}
		// Not there. Right after a known anchor, a message of the same kind
		// that does not match may still be it, as the page showed it (a
		// name cut short, a caption reformatted): a person decides.
		if anchor >= 0 && p.kind != models.MessageText {
			for _, m := range after {
				if sameKind(m) {
					return matchUnsure, -1
				}
			}
		}
		return matchAbsent, -1
	}
	// An uncaptioned photo or video: only its place tells it.
	if anchor >= 0 {
		switch {
		case len(after) == 0:
			return matchAbsent, -1
		case sameKind(after[0]) && normalizeText(after[0].Text) == "":
			return matchFound, base
		}
		return matchUnsure, -1
	}
	for _, m := range msgs {
		if sameKind(m) {
			return matchUnsure, -1
		}
	}
	return matchAbsent, -1
}

func describePart(p part) string {
	if p.media == nil {
		return "the text"
	}
	return fmt.Sprintf("%s %q", p.kind, p.media.Name)
}
