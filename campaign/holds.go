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

// holdsAny reports whether this install holds at least one of campaign c's
// accounts: only then may it take the campaign's lease. A campaign without
// account_ids sends, as it always has, through the first account this
// install holds (SenderFor): any install holding an account may send it.
func (e *Engine) holdsAny(ctx context.Context, c *models.Campaign) bool {
	if e.opts.HoldsAccount == nil {
		return true
	}
	if len(c.AccountIDs) == 0 {
		list := e.accountList(ctx)
		if len(list) == 0 {
			return true // no account known: the campaign's Sender says
		}
		for _, a := range list {
			if e.holds(a.ID) {
				return true
			}
		}
		return false
	}
	for _, id := range c.AccountIDs {
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
