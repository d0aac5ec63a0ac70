package campaign

import (
	"context"
	"fmt"

	"github.com/sambad/sambad/models"
)

// holds reports whether this install holds WhatsApp account id
// (Options.HoldsAccount; every account without it, and "" the unknown one).
func (e *Engine) holds(id string) bool {
	return id == "" || e.opts.HoldsAccount == nil || e.opts.HoldsAccount(id)
}

// campaignAccounts is the accounts campaign c sends through: its
// account_ids, else the first account (nil when the store knows none).
func (e *Engine) campaignAccounts(ctx context.Context, c *models.Campaign) []string {
	if len(c.AccountIDs) > 0 {
		return c.AccountIDs
	}
	if list := e.accountList(ctx); len(list) > 0 {
		return []string{list[0].ID}
	}
	return nil
}

// holdsAny reports whether this install holds at least one of campaign c's
// accounts: only then may it take the campaign's lease.
func (e *Engine) holdsAny(ctx context.Context, c *models.Campaign) bool {
	if e.opts.HoldsAccount == nil {
		return true
	}
	ids := e.campaignAccounts(ctx, c)
	if len(ids) == 0 {
		return true
	}
	for _, id := range ids {
		if e.holds(id) {
			return true
		}
	}
	return false
}

// accountSender is account id's Sender when this install holds it, else
// one that is never ready (so an account held elsewhere is neither used
// nor woken here).
func (e *Engine) accountSender(id string) Sender {
	if !e.holds(id) {
		return notHeldSender{id: id}
	}
	return e.opts.AccountSender(id)
}

// notHeldSender stands for an account whose profile another install holds.
type notHeldSender struct{ id string }

func (s notHeldSender) err() error {
	return fmt.Errorf("campaign: %w: WhatsApp account %s is held by another install", ErrNotReady, s.id)
}

func (notHeldSender) Ready() bool { return false }
func (s notHeldSender) SendText(context.Context, string, string) (SendResult, error) {
	return SendResult{}, s.err()
}
func (s notHeldSender) SendFile(context.Context, string, File) (SendResult, error) {
	return SendResult{}, s.err()
}
func (s notHeldSender) RecentOutgoing(context.Context, string, int) ([]OutgoingMessage, error) {
	return nil, s.err()
}
