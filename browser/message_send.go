package browser

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sirupsen/logrus"
)

// maxTextLen is WhatsApp's limit for one text message, in characters.
const maxTextLen = 65536

// SendText sends text to phone (E.164 "+9198..." or digits) by click-to-chat
// and waits for the message id and its first tick. Sends are serialised.
//
// Outcomes: nil with the message id and ack ≥ sent; ErrInvalidNumber (nothing
// sent); ErrNotReady (nothing sent); ErrTimeout or ErrBrowserDied — when the
// result carries a MessageID or the click happened the message may still go
// out: reconcile with RecentOutgoing before sending again.
func (m *Manager) SendText(ctx context.Context, phone, text string) (SendResult, error) {
	start := time.Now()
	res := SendResult{Phone: phone, Ack: AckUnknown}
	digits, err := phoneDigits(phone)
	if err != nil {
		return res, err
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if strings.TrimSpace(text) == "" {
		return res, fmt.Errorf("browser: the message is empty")
	}
	if !utf8.ValidString(text) || utf8.RuneCountInString(text) > maxTextLen {
		return res, fmt.Errorf("browser: the message must be valid UTF-8 of at most %d characters", maxTextLen)
	}
	err = m.withPage(ctx, "send", []State{StateReady}, func(ctx context.Context, pd *pageDriver) error {
		return m.sendOnPage(ctx, pd, digits, text, &res)
	})
	res.Duration = time.Since(start)
	if err == nil {
		m.track(phone, res.MessageID, res.Ack)
	} else if res.MessageID != "" {
		m.track(phone, res.MessageID, res.Ack)
	}
	if err != nil && !errors.Is(err, ErrInvalidNumber) {
		logrus.WithFields(logrus.Fields{"phone": phone, "message_id": res.MessageID, "error": err}).Error("browser: send failed")
	}
	return res, err
}

// sendResult is the answer of page.js "send" with a wait.
type sendResult struct {
	probeResult
	OK     bool   `json:"ok"`
	Reason string `json:"reason"`
}

func (m *Manager) sendOnPage(ctx context.Context, pd *pageDriver, digits, text string, res *SendResult) error {
	urlText := ""
	if m.opts.TextMode == TextURL {
		urlText = text
	}
	prep, err := m.openChatPrepared(ctx, pd, digits, urlText, m.opts.TextMode != TextURL)
	if err != nil {
		return err
	}
	if m.opts.TextMode == TextURL {
		r, err := pd.wait(ctx, waitCond{ComposeText: &text, Invalid: true, States: []string{"qr", "conflict"}}, m.opts.LoadTimeout)
		if err != nil {
			return err
		}
		if r.TimedOut || !r.Compose {
			return fmt.Errorf("browser: the compose box did not receive the text: %w", ErrTimeout)
		}
	} else {
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
	}
	var r sendResult
	err = pd.runOnce(ctx, "send", map[string]any{"text": text, "wait": map[string]any{"minAck": int(AckSent), "timeout": m.opts.SendTimeout.Milliseconds()}}, &r)
	if r.Msg != nil {
		res.MessageID, res.Ack = r.Msg.ID, r.Msg.Ack
	}
	if err == nil && !r.OK {
		_ = pd.run(ctx, "prepare", nil, nil) // leave no wrong draft behind
		return fmt.Errorf("browser: message not sent: %s", r.Reason)
	}
	if err != nil {
		if isContextGone(err) {
			return fmt.Errorf("browser: the page reloaded during the send, outcome unknown: %w", ErrTimeout)
		}
		return err
	}
	if r.TimedOut {
		if r.Msg == nil {
			return fmt.Errorf("browser: no message bubble appeared after clicking send: %w", ErrTimeout)
		}
		return fmt.Errorf("browser: message %s still %s after %s: %w", r.Msg.ID, r.Msg.Ack, m.opts.SendTimeout, ErrTimeout)
	}
	return nil
}
