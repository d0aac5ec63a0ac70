package campaign

import "github.com/sambad/sambad/models"

// CanSend reports whether the engine could send now: the sender (WhatsApp)
// is ready. Pages use it to say a campaign will wait instead of starting.
func (e *Engine) CanSend() bool { return e.sender.Ready() }

// senderOf is the Sender of campaign c's accounts.
func (e *Engine) senderOf(c *models.Campaign) Sender {
	if len(c.AccountIDs) > 0 && !e.holds(c.AccountIDs[0]) {
		return notHeldSender{id: c.AccountIDs[0]}
	}
	if e.opts.SenderFor != nil {
		return e.opts.SenderFor(c)
	}
	return e.sender
}

// rotating reports whether campaign c rotates over several accounts.
func (e *Engine) rotating(c *models.Campaign) bool {
	return len(c.AccountIDs) > 1 && e.opts.AccountSender != nil
}

// senderOn is the Sender of account acct for campaign c: that account's
// when the engine can reach one account, else the campaign's.
func (e *Engine) senderOn(c *models.Campaign, acct string) Sender {
	if acct != "" && e.rotating(c) {
		return e.accountSender(acct)
	}
	return e.senderOf(c)
}

// campaignReady reports whether campaign c can send now: one of its
// accounts is ready.
func (e *Engine) campaignReady(c *models.Campaign) bool {
	if !e.rotating(c) {
		return e.senderOf(c).Ready()
	}
	for _, id := range c.AccountIDs {
		if e.accountSender(id).Ready() {
			return true
		}
	}
	return false
}

// CanSendCampaign reports whether campaign c would send now rather than
// wait: one of its accounts (the first account for a campaign without
// accounts) is ready. Pages use it for a campaign's own warnings.
func (e *Engine) CanSendCampaign(c *models.Campaign) bool { return e.campaignReady(c) }
