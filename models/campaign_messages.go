package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// MessageText is the kind of a message that is text only; a file's message
// has its media kind (MediaPhoto, MediaVideo, MediaDocument).
const MessageText = "text"

// Message is one message of a recipient of a campaign with files: its text,
// or one file with its caption. A text-only campaign has none: its
// recipient row is its one message.
type Message struct {
	CampaignID  string     `json:"-"`
	Seq         int64      `json:"seq"`
	Part        int        `json:"part"` // its place among the recipient's messages, from 0
	Run         int        `json:"run"`
	Kind        string     `json:"kind"`
	MediaID     string     `json:"media_id,omitempty"`
	Body        string     `json:"text"` // the text, or the file's caption
	State       string     `json:"state"`
	MessageID   string     `json:"message_id,omitempty"`
	Error       string     `json:"error,omitempty"`
	SentAt      *time.Time `json:"sent_at,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	ReadAt      *time.Time `json:"read_at,omitempty"`
}

// TableName implements gorm's Tabler.
func (Message) TableName() string { return "campaign_messages" }

// Sent reports whether the message went out (sent, delivered or read).
func (m Message) Sent() bool {
	return m.State == RecipientSent || m.State == RecipientDelivered || m.State == RecipientRead
}

// checkMediaIDs verifies that every file named is in the library.
func checkMediaIDs(tx *gorm.DB, ids []string) error {
	for _, id := range ids {
		if !ValidID(id) {
			return &ValidationError{Field: "media_ids", Message: fmt.Sprintf("%q is not a file id", id)}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var found []string
	if err := tx.Model(&Media{}).Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
		return err
	}
	if missing := firstMissing(ids, found); missing != "" {
		return &ValidationError{Field: "media_ids", Message: fmt.Sprintf("no file with id %s in the media library", missing)}
	}
	return nil
}

// writeCampaignMedia replaces a campaign's files, keeping their order.
func writeCampaignMedia(tx *gorm.DB, c *Campaign) error {
	if err := tx.Exec("DELETE FROM campaign_media WHERE campaign_id = ?", c.ID).Error; err != nil {
		return err
	}
	for i, id := range c.MediaIDs {
		if err := tx.Exec("INSERT INTO campaign_media (campaign_id, media_id, position) VALUES (?, ?, ?)", c.ID, id, i).Error; err != nil {
			return err
		}
	}
	return nil
}

// CampaignMedia returns the files a campaign sends, in their order.
func (s *Store) CampaignMedia(ctx context.Context, id string) ([]Media, error) {
	out := []Media{}
	err := s.db.WithContext(ctx).Raw(`SELECT m.* FROM campaign_media cm JOIN media m ON m.id = cm.media_id
		WHERE cm.campaign_id = ? ORDER BY cm.position, m.id`, id).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to load a campaign's files: %w", err)
	}
	return out, nil
}

// RecipientMessages returns the messages a recipient has rows for, in order.
func (s *Store) RecipientMessages(ctx context.Context, id string, seq int64) ([]Message, error) {
	out := []Message{}
	err := s.db.WithContext(ctx).Where("campaign_id = ? AND seq = ?", id, seq).Order("part").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a recipient's messages: %w", err)
	}
	return out, nil
}

// MessagesOfRecipients returns the messages of some recipients, by seq.
func (s *Store) MessagesOfRecipients(ctx context.Context, id string, seqs []int64) (map[int64][]Message, error) {
	out := map[int64][]Message{}
	for _, chunk := range chunks(seqs, 500) {
		var ms []Message
		err := s.db.WithContext(ctx).Where("campaign_id = ? AND seq IN ?", id, chunk).Order("seq, part").Find(&ms).Error
		if err != nil {
			return nil, fmt.Errorf("store: unable to read recipients' messages: %w", err)
		}
		for _, m := range ms {
			out[m.Seq] = append(out[m.Seq], m)
		}
	}
	return out, nil
}

// ErrMessageSent is returned by StartMessage for a message that already
// went out: it must not be sent again.
var ErrMessageSent = errors.New("store: this message was already sent")

// StartMessage marks one message of a claimed recipient "sending" (its row
// written or reused) before it leaves. The mark is committed before this
// returns, so after a crash a message still "sending" is one whose fate the
// chat must settle. A message already sent is refused with ErrMessageSent.
func (s *Store) StartMessage(ctx context.Context, m Message) error {
	r, err := s.sqlDB().ExecContext(ctx, s.q.StartMessage, m.CampaignID, m.Seq, m.Part, m.Run, m.Kind, m.MediaID, m.Body, RecipientSending)
	if err != nil {
		return fmt.Errorf("store: unable to mark a message sending: %w", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return ErrMessageSent
	}
	return nil
}

// RecordMessage writes what became of one "sending" message and its send
// ledger row, in one short transaction; when done is given, the recipient's
// own outcome (moved from "sending") is written in the same transaction, so
// a recipient is never "sent" without all its messages recorded.
func (s *Store) RecordMessage(ctx context.Context, id string, seq int64, part int, o Outcome, done *Outcome) error {
	tx, err := s.sqlDB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: unable to record a message: %w", err)
	}
	defer tx.Rollback()
	at := o.At.UTC()
	var sentAt *time.Time
	if o.State == RecipientSent {
		sentAt = &at
	}
	if isSendResult(o.State) {
		if _, err := tx.ExecContext(ctx, s.q.RecordMessageLedger, NewID(), o.State, o.MessageID, o.Error, at, id, seq, part, RecipientSending); err != nil {
			return fmt.Errorf("store: unable to record a message: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.q.RecordMessage, o.State, o.MessageID, o.Error, sentAt, id, seq, part, RecipientSending); err != nil {
		return fmt.Errorf("store: unable to record a message: %w", err)
	}
	if done != nil {
		var recSent *time.Time
		if done.State == RecipientSent {
			t := done.At.UTC()
			recSent = &t
		}
		if _, err := tx.ExecContext(ctx, s.q.SetRecipientState, done.State, done.MessageID, done.Error, recSent, id, seq, RecipientSending); err != nil {
			return fmt.Errorf("store: unable to record a message: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: unable to record a message: %w", err)
	}
	return nil
}

// PutMessage writes what reconciling a chat settled for one message (sent,
// back to pending, or unknown), creating its row when another install's
// did not arrive; a message already sent keeps its result.
func (s *Store) PutMessage(ctx context.Context, m Message) error {
	var sentAt *time.Time
	if m.SentAt != nil {
		t := m.SentAt.UTC()
		sentAt = &t
	}
	_, err := s.sqlDB().ExecContext(ctx, s.q.PutMessage, m.CampaignID, m.Seq, m.Part, m.Run, m.Kind, m.MediaID, m.Body, m.State, m.MessageID, m.Error, sentAt)
	if err != nil {
		return fmt.Errorf("store: unable to update a message: %w", err)
	}
	return nil
}

// ResolveUnknownMessages applies a person's decision to every "unknown"
// message of a campaign: "sent" or "pending" (send it again). It returns
// how many changed.
func (s *Store) ResolveUnknownMessages(ctx context.Context, id, to string) (int64, error) {
	var res *gorm.DB
	switch to {
	case RecipientSent:
		res = s.db.WithContext(ctx).Exec(`UPDATE campaign_messages SET state = ?, error = '', sent_at = COALESCE(sent_at, ?)
			WHERE campaign_id = ? AND state = ?`, RecipientSent, time.Now().UTC(), id, RecipientUnknown)
	case RecipientPending:
		res = s.db.WithContext(ctx).Exec(`UPDATE campaign_messages SET state = ?, error = ''
			WHERE campaign_id = ? AND state = ?`, RecipientPending, id, RecipientUnknown)
	default:
		return 0, &ValidationError{Field: "decision", Message: "must be sent or resend"}
	}
	if res.Error != nil {
		return 0, fmt.Errorf("store: unable to resolve unknown messages: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// applyMessageAck moves a message of a recipient with several, and the
// recipient once all its messages got there. It returns the campaign, or
// "" when no such message moved.
func (s *Store) applyMessageAck(ctx context.Context, messageID, state string, at time.Time) (string, error) {
	var q, rq string
	var args []any
	switch state {
	case RecipientDelivered:
		q, rq = s.q.AckMessageDelivered, s.q.AckRecipientDelivered
		args = []any{RecipientDelivered, at, messageID, RecipientSent}
	case RecipientRead:
		q, rq = s.q.AckMessageRead, s.q.AckRecipientRead
		args = []any{RecipientRead, at, messageID, RecipientSent, RecipientDelivered}
	default:
		return "", nil
	}
	var id string
	var seq int64
	err := s.sqlDB().QueryRowContext(ctx, q, args...).Scan(&id, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: unable to record ack: %w", err)
	}
	other := RecipientRead
	if state == RecipientRead {
		other = RecipientDelivered
	}
	if _, err := s.sqlDB().ExecContext(ctx, rq, state, at, id, seq, RecipientSent, other); err != nil {
		return "", fmt.Errorf("store: unable to record ack: %w", err)
	}
	return id, nil
}

// messagePartCampaign is the campaign a message of a recipient with several
// belongs to, or "".
func (s *Store) messagePartCampaign(ctx context.Context, messageID string) (string, error) {
	var id string
	err := s.sqlDB().QueryRowContext(ctx, s.q.MessagePartCampaign, messageID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: unable to record ack: %w", err)
	}
	return id, nil
}

// ReopenRecipient moves one "unknown" recipient back to pending in run, so
// that it gets the messages it still lacks. It reports whether it moved.
func (s *Store) ReopenRecipient(ctx context.Context, id string, seq int64, run int) (bool, error) {
	res := s.db.WithContext(ctx).Exec(`UPDATE campaign_recipients SET state = ?, run = ?, error = ''
		WHERE campaign_id = ? AND seq = ? AND state = ?`, RecipientPending, run, id, seq, RecipientUnknown)
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to reopen a recipient: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}
