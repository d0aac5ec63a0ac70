package campaign

import "github.com/sambad/sambad/models"

// CanSend reports whether the engine could send now: the sender (WhatsApp)
// is ready. Pages use it to say a campaign will wait instead of starting.
func (e *Engine) CanSend() bool { return e.sender.Ready() }

// senderOf is the Sender of campaign c's accounts.
func (e *Engine) senderOf(c *models.Campaign) Sender {
	if e.opts.SenderFor != nil {
		return e.opts.SenderFor(c)
	}
	return e.sender
}
