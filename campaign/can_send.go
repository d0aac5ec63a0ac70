package campaign

// CanSend reports whether the engine could send now: the sender (WhatsApp)
// is ready. Pages use it to say a campaign will wait instead of starting.
func (e *Engine) CanSend() bool { return e.sender.Ready() }
