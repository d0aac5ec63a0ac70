package browser

import (
	"context"
	"fmt"
)

// This file keeps the send algorithm Sambad used before the compose-timing
// work (issue 10), reachable from the benchmarks only, so the old and the
// new path can be measured on the same page in the same run.

// sendResult is the answer of page.js "send" with a wait.
type sendResult struct {
	probeResult
	OK     bool   `json:"ok"`
	Reason string `json:"reason"`
}

// legacySendOnPage is the old sendOnPage (insert mode): open the chat, clear
// the box, type, then one checked click that fails when the send button is
// not there yet.
func (m *Manager) legacySendOnPage(ctx context.Context, pd *pageDriver, digits, text string, res *SendResult) error {
	prep, err := m.openChatPrepared(ctx, pd, digits, "", true)
	if err != nil {
		return err
	}
	if prep == nil {
		prep = &okResult{}
		if err := pd.run(ctx, "prepare", nil, prep); err != nil {
			return err
		}
	}
	if !prep.OK {
		return fmt.Errorf("browser: unable to prepare the compose box: %s", prep.Reason)
	}
	if err := pd.typeText(ctx, text); err != nil {
		return err
	}
	var r sendResult
	err = pd.runOnce(ctx, "send", map[string]any{"text": text, "wait": map[string]any{"minAck": int(AckSent), "timeout": m.opts.SendTimeout.Milliseconds()}}, &r)
	if r.Msg != nil {
		res.MessageID, res.Ack = r.Msg.ID, r.Msg.Ack
	}
	if err == nil && !r.OK {
		_ = pd.run(ctx, "prepare", nil, nil)
		return fmt.Errorf("browser: message not sent: %s", r.Reason)
	}
	if err != nil {
		if isContextGone(err) {
			return fmt.Errorf("browser: the page reloaded during the send, outcome unknown: %w", ErrTimeout)
		}
		return err
	}
	if r.TimedOut {
		return fmt.Errorf("browser: no message bubble or tick after clicking send: %w", ErrTimeout)
	}
	return nil
}

// legacySendText is SendText over legacySendOnPage.
func (m *Manager) legacySendText(ctx context.Context, phone, text string) (SendResult, error) {
	res := SendResult{Phone: phone, Ack: AckUnknown}
	digits, err := phoneDigits(phone)
	if err != nil {
		return res, err
	}
	err = m.withPage(ctx, "send", []State{StateReady}, func(ctx context.Context, pd *pageDriver) error {
		return m.legacySendOnPage(ctx, pd, digits, text, &res)
	})
	return res, err
}
