package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ClaimPending marks up to n pending recipients of a run as "sending" and
// returns them, in plan order. The mark is committed before this returns, so
// it is on disk before any message leaves: after a crash, a recipient still
// "sending" is one whose fate must be reconciled, never resent blindly.
func (s *Store) ClaimPending(ctx context.Context, id string, run, n int) ([]Recipient, error) {
	return s.ClaimPendingOn(ctx, id, "", run, n)
}

// ClaimPendingOn is ClaimPending for WhatsApp account account: the same
// statement that marks the recipients "sending" records the account that
// holds them (campaign_recipients.account_id), so an interrupted send is
// reconciled on the account that made it.
func (s *Store) ClaimPendingOn(ctx context.Context, id, account string, run, n int) ([]Recipient, error) {
	return s.claim(ctx, id, account, run, n, s.q.ClaimPending, RecipientSending, account, id, id, RecipientPending, run, n)
}

// claim runs a claim statement (one that marks recipients "sending" for
// account and returns them) and gives the claimed recipients in seq order.
func (s *Store) claim(ctx context.Context, id, account string, run, n int, query string, args ...any) ([]Recipient, error) {
	rows, err := s.sqlDB().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to claim recipients: %w", err)
	}
	defer rows.Close()
	out := make([]Recipient, 0, n)
	for rows.Next() {
		r := Recipient{CampaignID: id, State: RecipientSending, Run: run, AccountID: account}
		if err := rows.Scan(&r.Seq, &r.ContactID, &r.Phone, &r.Name, &r.Body); err != nil {
			return nil, fmt.Errorf("store: unable to claim recipients: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to claim recipients: %w", err)
	}
	slices.SortFunc(out, func(a, b Recipient) int { return int(a.Seq - b.Seq) })
	return out, nil
}

// Outcome is what became of one "sending" recipient.
type Outcome struct {
	Seq       int64
	State     string // sent, invalid_number, failed, unknown or pending
	MessageID string
	Error     string
	At        time.Time
}

// RecordOutcomes writes what became of "sending" recipients, in one short
// transaction. Rows no longer "sending" are left alone.
func (s *Store) RecordOutcomes(ctx context.Context, id string, outs []Outcome) error {
	if len(outs) == 0 {
		return nil
	}
	if s.dialect == DialectPostgres {
		return s.recordOutcomesPostgres(ctx, id, outs)
	}
	tx, err := s.sqlDB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: unable to record sends: %w", err)
	}
	defer tx.Rollback()
	// Prepared once per batch: in hybrid mode preparing a write on a synced
	// table also compiles its outbox trigger, which costs more than the write.
	update, err := tx.PrepareContext(ctx, s.q.RecordOutcome)
	if err != nil {
		return fmt.Errorf("store: unable to record sends: %w", err)
	}
	defer update.Close()
	ledger, err := tx.PrepareContext(ctx, s.q.RecordOutcomeLedger)
	if err != nil {
		return fmt.Errorf("store: unable to record sends: %w", err)
	}
	defer ledger.Close()
	for _, o := range outs {
		var sentAt *time.Time
		if o.State == RecipientSent {
			at := o.At.UTC()
			sentAt = &at
		}
		if isSendResult(o.State) {
			if _, err := ledger.ExecContext(ctx, NewID(), o.State, o.MessageID, o.Error, o.At.UTC(), id, o.Seq, RecipientSending); err != nil {
				return fmt.Errorf("store: unable to record sends: %w", err)
			}
		}
		if _, err := update.ExecContext(ctx, o.State, o.MessageID, o.Error, sentAt, id, o.Seq, RecipientSending); err != nil {
			return fmt.Errorf("store: unable to record sends: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: unable to record sends: %w", err)
	}
	return nil
}

// RecipientsInState returns every recipient of a campaign in one state, in
// plan order (for reconciling those left "sending").
func (s *Store) RecipientsInState(ctx context.Context, id, state string) ([]Recipient, error) {
	out := []Recipient{}
	err := s.EachRecipient(ctx, id, []string{state}, func(r *Recipient) error {
		out = append(out, *r)
		return nil
	})
	return out, err
}

// ApplyAck records a delivery or read acknowledgement for a message and
// returns the campaign the message belongs to, or "" when no recipient has
// that message id yet (an ack can arrive before the send's outcome is
// written). A state never moves backwards.
func (s *Store) ApplyAck(ctx context.Context, messageID, state string, at time.Time) (string, error) {
	if messageID == "" {
		return "", nil
	}
	at = at.UTC()
	var q string
	var args []any
	switch state {
	case RecipientDelivered:
		q = s.q.AckDelivered
		args = []any{RecipientDelivered, at, messageID, RecipientSent}
	case RecipientRead:
		q = s.q.AckRead
		args = []any{RecipientRead, at, messageID, RecipientSent, RecipientDelivered}
	case RecipientSent:
		// The outcome already says sent; only whether it is known matters.
	default:
		return "", fmt.Errorf("store: unknown ack %q", state)
	}
	var id string
	if args != nil {
		err := s.sqlDB().QueryRowContext(ctx, q, args...).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("store: unable to record ack: %w", err)
		}
		// One of the messages of a recipient with files?
		if id, err := s.applyMessageAck(ctx, messageID, state, at); id != "" || err != nil {
			return id, err
		}
	}
	err := s.sqlDB().QueryRowContext(ctx, s.q.MessageCampaign, messageID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return s.messagePartCampaign(ctx, messageID)
	}
	if err != nil {
		return "", fmt.Errorf("store: unable to record ack: %w", err)
	}
	return id, nil
}

// CountStates returns how many of a campaign's recipients are in each state;
// run 0 counts every run.
func (s *Store) CountStates(ctx context.Context, id string, run int) (StateCounts, error) {
	q, args := s.q.CountStates, []any{id}
	if run > 0 {
		q, args = s.q.CountStatesOfRun, append(args, run)
	}
	rows, err := s.sqlDB().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count recipients: %w", err)
	}
	defer rows.Close()
	out := StateCounts{}
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: unable to count recipients: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// CountStatesByAccount returns how many of a campaign's recipients each
// WhatsApp account holds or sent, per state (every run): the key is the
// recipient's account_id, "" for those no account has claimed yet. The
// states are CountStates' own, so the counts per account add up to its.
func (s *Store) CountStatesByAccount(ctx context.Context, id string) (map[string]StateCounts, error) {
	rows, err := s.sqlDB().QueryContext(ctx, s.q.CountStatesByAccount, id)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count recipients per account: %w", err)
	}
	defer rows.Close()
	out := map[string]StateCounts{}
	for rows.Next() {
		var acct, st string
		var n int64
		if err := rows.Scan(&acct, &st, &n); err != nil {
			return nil, fmt.Errorf("store: unable to count recipients per account: %w", err)
		}
		if out[acct] == nil {
			out[acct] = StateCounts{}
		}
		out[acct][st] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to count recipients per account: %w", err)
	}
	return out, nil
}

// RecipientQuery selects a page of a campaign's recipients.
type RecipientQuery struct {
	CampaignID string
	States     []string // empty: every state
	Run        int      // 0: every run
	Page       int
	PerPage    int
	// Total, when known (from CountStates), saves counting again.
	Total int64
}

const recipientColumns = "seq, contact_id, phone, name, body, state, run, message_id, error, sent_at, delivered_at, read_at, account_id"

func scanRecipient(rows *sql.Rows, r *Recipient) error {
	return rows.Scan(&r.Seq, &r.ContactID, &r.Phone, &r.Name, &r.Body, &r.State, &r.Run, &r.MessageID, &r.Error, &r.SentAt, &r.DeliveredAt, &r.ReadAt, &r.AccountID)
}

func (q RecipientQuery) where() (string, []any) {
	w := "campaign_id = ?"
	args := []any{q.CampaignID}
	if len(q.States) > 0 {
		w += " AND state IN (" + strings.TrimSuffix(strings.Repeat("?,", len(q.States)), ",") + ")"
		for _, st := range q.States {
			args = append(args, st)
		}
	}
	if q.Run > 0 {
		w += " AND run = ?"
		args = append(args, q.Run)
	}
	return w, args
}

// ListRecipients returns one page of recipients in plan order and how many match.
func (s *Store) ListRecipients(ctx context.Context, q RecipientQuery) ([]Recipient, int64, error) {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 || q.PerPage > MaxPerPage {
		q.PerPage = 50
	}
	w, args := q.where()
	total := q.Total
	if total <= 0 {
		if err := s.sqlDB().QueryRowContext(ctx, s.rebind("SELECT COUNT(*) FROM campaign_recipients WHERE "+w), args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("store: unable to count recipients: %w", err)
		}
	}
	page := " ORDER BY seq LIMIT ? OFFSET ?"
	if len(q.States) == 0 && q.Run == 0 {
		// Unfiltered, seq runs 1..N without gaps (planned at once, never
		// deleted): page p is a range of the primary key, however deep.
		page = " AND seq > ? ORDER BY seq LIMIT ?"
		args = append(args, (q.Page-1)*q.PerPage, q.PerPage)
	} else {
		args = append(args, q.PerPage, (q.Page-1)*q.PerPage)
	}
	rows, err := s.sqlDB().QueryContext(ctx, s.rebind("SELECT "+recipientColumns+" FROM campaign_recipients WHERE "+w+page), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list recipients: %w", err)
	}
	defer rows.Close()
	out := make([]Recipient, 0, q.PerPage)
	for rows.Next() {
		r := Recipient{CampaignID: q.CampaignID}
		if err := scanRecipient(rows, &r); err != nil {
			return nil, 0, fmt.Errorf("store: unable to list recipients: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// EachRecipient calls fn for every recipient in the given states (all when
// empty), in plan order, reading a thousand at a time so an export of 100k
// rows never holds them all.
func (s *Store) EachRecipient(ctx context.Context, id string, states []string, fn func(*Recipient) error) error {
	w, args := RecipientQuery{CampaignID: id, States: states}.where()
	q := s.rebind("SELECT " + recipientColumns + " FROM campaign_recipients WHERE " + w + " AND seq > ? ORDER BY seq LIMIT 1000")
	var after int64
	for {
		rows, err := s.sqlDB().QueryContext(ctx, q, append(slices.Clone(args), after)...)
		if err != nil {
			return fmt.Errorf("store: unable to read recipients: %w", err)
		}
		batch := make([]Recipient, 0, 1000)
		for rows.Next() {
			r := Recipient{CampaignID: id}
			if err := scanRecipient(rows, &r); err != nil {
				rows.Close()
				return fmt.Errorf("store: unable to read recipients: %w", err)
			}
			batch = append(batch, r)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("store: unable to read recipients: %w", err)
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		if len(batch) < 1000 {
			return nil
		}
		after = batch[len(batch)-1].Seq
	}
}

// isSendResult reports whether an outcome is a message handed to WhatsApp
// (or refused by it): what the send ledger records.
func isSendResult(state string) bool {
	return state == RecipientSent || state == RecipientInvalid || state == RecipientFailed
}

// SetRecipientState moves one recipient from one state to another (used by
// reconciliation and by a person deciding about "unknown" sends). It reports
// whether the recipient was in state from.
func (s *Store) SetRecipientState(ctx context.Context, id string, seq int64, from string, o Outcome) (bool, error) {
	var sentAt *time.Time
	if o.State == RecipientSent {
		at := o.At.UTC()
		sentAt = &at
	}
	r, err := s.sqlDB().ExecContext(ctx, s.q.SetRecipientState, o.State, o.MessageID, o.Error, sentAt, id, seq, from)
	if err != nil {
		return false, fmt.Errorf("store: unable to update recipient: %w", err)
	}
	n, _ := r.RowsAffected()
	return n == 1, nil
}

// ResolveUnknown applies a person's decision to every "unknown" recipient of
// a campaign: state "sent" (it did go out) or "pending" in the campaign's
// current run (send it again). It returns how many changed.
func (s *Store) ResolveUnknown(ctx context.Context, id, to string, run int) (int64, error) {
	var r sql.Result
	var err error
	switch to {
	case RecipientSent:
		r, err = s.sqlDB().ExecContext(ctx, s.q.ResolveUnknownSent, RecipientSent, time.Now().UTC(), id, RecipientUnknown)
	case RecipientPending:
		r, err = s.sqlDB().ExecContext(ctx, s.q.ResolveUnknownResend, RecipientPending, run, id, RecipientUnknown)
	default:
		return 0, &ValidationError{Field: "decision", Message: "must be sent or resend"}
	}
	if err != nil {
		return 0, fmt.Errorf("store: unable to resolve unknown sends: %w", err)
	}
	n, _ := r.RowsAffected()
	return n, nil
}

// SentSince counts messages sent, by every campaign, since t (the daily cap).
func (s *Store) SentSince(ctx context.Context, t time.Time) (int64, error) {
	var n int64
	if err := s.sqlDB().QueryRowContext(ctx, s.q.SentSince, t.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: unable to count today's sends: %w", err)
	}
	return n, nil
}

// outcomesValues stands, in the record-outcomes query, where the VALUES
// list of a batch goes.
const outcomesValues = "/*values*/"

// recordOutcomesPostgres writes outcomes in one statement per thousand: a
// round trip per row is what Postgres makes expensive.
func (s *Store) recordOutcomesPostgres(ctx context.Context, id string, outs []Outcome) error {
	head, tail, _ := strings.Cut(s.q.RecordOutcomes, outcomesValues)
	for _, chunk := range chunks(outs, 1000) {
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 2, 7*len(chunk)+2)
		args[0], args[1] = id, RecipientSending
		for i, o := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&b, "($%d::bigint, $%d::text, $%d::text, $%d::text, $%d::timestamptz, $%d::uuid, $%d::timestamptz)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
			var sentAt *time.Time
			if o.State == RecipientSent {
				at := o.At.UTC()
				sentAt = &at
			}
			args = append(args, o.Seq, o.State, o.MessageID, o.Error, sentAt, NewID(), o.At.UTC())
		}
		b.WriteString(tail)
		if _, err := s.sqlDB().ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: unable to record sends: %w", err)
		}
	}
	return nil
}
