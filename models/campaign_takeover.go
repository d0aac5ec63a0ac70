package models

import (
	"context"
	"fmt"
)

// CountInDoubt counts the recipients of run up to seq through that are
// still pending or sending: those the last holder of a campaign's lease may
// have sent without its results having arrived yet.
func (s *Store) CountInDoubt(ctx context.Context, id string, run int, through int64) (int64, error) {
	var n int64
	err := s.sqlDB().QueryRowContext(ctx, s.q.CountInDoubt, id, run, through, RecipientPending, RecipientSending).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unable to count recipients in doubt: %w", err)
	}
	return n, nil
}

// MarkInDoubt marks those recipients "sending", so that the engine settles
// each from its chat (sent if the message is there) before anything is
// sent again. It returns how many it marked.
func (s *Store) MarkInDoubt(ctx context.Context, id string, run int, through int64) (int64, error) {
	r, err := s.sqlDB().ExecContext(ctx, s.q.MarkInDoubt, RecipientSending, id, run, through, RecipientPending, RecipientSending)
	if err != nil {
		return 0, fmt.Errorf("store: unable to mark recipients in doubt: %w", err)
	}
	n, _ := r.RowsAffected()
	return n, nil
}

// SendLedger summarises a campaign's send ledger: how many messages were
// handed to WhatsApp, and how many recipients got more than one (two
// installs both sent after a takeover the chats could not settle).
func (s *Store) SendLedger(ctx context.Context, id string) (sends, repeated int64, err error) {
	err = s.sqlDB().QueryRowContext(ctx, s.q.SendLedger, id, RecipientSent).Scan(&sends, &repeated)
	if err != nil {
		return 0, 0, fmt.Errorf("store: unable to read the send ledger: %w", err)
	}
	return sends, repeated, nil
}
