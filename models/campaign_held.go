package models

import (
	"context"
	"fmt"
)

// ClaimPendingPinned is ClaimPendingOn for a rotation of a campaign with
// files: a pending recipient some of whose messages already went out (an
// attempt cut short) is claimed only through the account that sent them,
// since the rest belong in the same chat and a chat is read on the account
// that sent.
func (s *Store) ClaimPendingPinned(ctx context.Context, id, account string, run, n int) ([]Recipient, error) {
	return s.claim(ctx, id, account, run, n, s.q.ClaimPendingPinned, RecipientSending, account, id, id, RecipientPending, run, account, n)
}

// ReleaseHeld moves the recipients WhatsApp account account holds in run
// of campaign id (left "sending", or pending but pinned to it because some
// of their messages went out through it) to "unknown" with reason, for a
// person to decide, and frees them for any account. It returns how many
// moved.
func (s *Store) ReleaseHeld(ctx context.Context, id string, run int, account, reason string) (int64, error) {
	tx, err := s.sqlDB().BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: unable to release held recipients: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.q.ReleaseHeldMessages, RecipientUnknown, reason, id, RecipientSending, id, run, RecipientSending, account); err != nil {
		return 0, fmt.Errorf("store: unable to release held recipients: %w", err)
	}
	res, err := tx.ExecContext(ctx, s.q.ReleaseHeld, RecipientUnknown, reason, id, run, account, RecipientSending, RecipientPending)
	if err != nil {
		return 0, fmt.Errorf("store: unable to release held recipients: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: unable to release held recipients: %w", err)
	}
	return n, nil
}

// HeldByAccount counts, per account, the recipients of run of campaign id
// left "sending" by it.
func (s *Store) HeldByAccount(ctx context.Context, id string, run int) (map[string]int64, error) {
	rows, err := s.sqlDB().QueryContext(ctx, s.q.HeldByAccount, id, run, RecipientSending)
	if err != nil {
		return nil, fmt.Errorf("store: unable to count held recipients: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var a string
		var n int64
		if err := rows.Scan(&a, &n); err != nil {
			return nil, fmt.Errorf("store: unable to count held recipients: %w", err)
		}
		out[a] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to count held recipients: %w", err)
	}
	return out, nil
}

// CampaignHeld is a campaign and how many of its recipients one account
// holds "sending".
type CampaignHeld struct {
	Name string
	N    int64
}

// CampaignsHeldByAccount lists the campaigns whose recipients account holds
// ("sending", or pending but pinned to it), so that an account is not
// removed while it holds any.
func (s *Store) CampaignsHeldByAccount(ctx context.Context, account string) ([]CampaignHeld, error) {
	rows, err := s.sqlDB().QueryContext(ctx, s.q.CampaignsHeldByAccount, account, RecipientSending, RecipientPending)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list held recipients: %w", err)
	}
	defer rows.Close()
	var out []CampaignHeld
	for rows.Next() {
		var h CampaignHeld
		if err := rows.Scan(&h.Name, &h.N); err != nil {
			return nil, fmt.Errorf("store: unable to list held recipients: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to list held recipients: %w", err)
	}
	return out, nil
}
