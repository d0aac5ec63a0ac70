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

// actResult is the answer of page.js "send": whether it acted (clicked, or
// left the focus in the box for Enter), the rows present before, and, when
// it waited, our row (or, for a second try, the row an earlier action made).
type actResult struct {
	probeResult
	OK     bool     `json:"ok"`
	Reason string   `json:"reason"`
	Known  []string `json:"known"`
}

// confirmWindow is how long a new row is given to show after a click before
// the driver looks at the box to tell whether the click took. The page adds
// the row (on the clock) as it empties the box, so this is generous.
const confirmWindow = 3 * time.Second

// maxRetypes bounds how often a box that shows another text is cleared and
// typed again before the send gives up (nothing sent).
const maxRetypes = 2

// sendOnPage opens the chat, puts the text in the box and sends it once.
// The page may wire the box late (section 4a of the surface notes): when
// the send button is not there at once, the driver waits for it, nudging
// the box with harmless input events, and presses Enter in the box when it
// never comes. A message counts as sent only when a new outgoing row with
// its text shows; after one action the driver looks for that row before
// any other.
func (m *Manager) sendOnPage(ctx context.Context, pd *pageDriver, digits, text string, res *SendResult) error {
	urlMode := m.opts.TextMode == TextURL
	urlText := ""
	if urlMode {
		urlText = text
	}
	prep, err := m.openChatPrepared(ctx, pd, digits, urlText, !urlMode)
	if err != nil {
		return err
	}
	if urlMode {
		// text= is filled a moment after the chat opens: wait for it.
		r, err := pd.wait(ctx, waitCond{ComposeText: &text, Invalid: true, States: []string{"qr", "conflict"}}, m.opts.LoadTimeout)
		if err != nil {
			return err
		}
		if r.TimedOut || !r.Compose {
			return fmt.Errorf("browser: the compose box did not receive the text: %w", ErrTimeout)
		}
	} else if err := m.typeIntoBox(ctx, pd, text, prep); err != nil {
		return err
	}
	// Usually the button is there: click, in the same call as the checks.
	act, err := m.act(ctx, pd, text, true, nil)
	if err != nil {
		return err
	}
	clicked := true
	if !act.OK {
		// Nothing was done: no button yet, or the box shows other text.
		button, err := m.waitSendButton(ctx, pd, text, !urlMode)
		if err != nil {
			return err
		}
		if act, err = m.act(ctx, pd, text, button, nil); err != nil {
			return err
		}
		clicked = button
	}
	if !act.OK {
		_ = pd.run(ctx, "prepare", nil, nil) // leave no wrong draft behind
		return fmt.Errorf("browser: message not sent: %s", act.Reason)
	}
	return m.confirmSent(ctx, pd, text, act, clicked, res)
}

// act runs page.js "send": with click, it checks the box holds text, notes
// the rows, clicks send and waits for our row in the same call; without, it
// leaves the focus at the end of the box and presses Enter. known, for a
// second try, are the rows noted before the first action. A context lost
// during the call (the page reloaded) leaves the outcome unknown.
func (m *Manager) act(ctx context.Context, pd *pageDriver, text string, click bool, known []string) (actResult, error) {
	arg := map[string]any{"text": text, "enter": !click}
	if known != nil {
		arg["known"] = known
	}
	if click {
		arg["wait"] = map[string]any{"minAck": int(AckSent), "timeout": m.opts.SendTimeout.Milliseconds(), "rowWithin": min(confirmWindow, m.opts.SendTimeout).Milliseconds()}
	}
	var act actResult
	if err := pd.runOnce(ctx, "send", arg, &act); err != nil {
		if isContextGone(err) {
			return act, fmt.Errorf("browser: the page reloaded during the send, outcome unknown: %w", ErrTimeout)
		}
		return act, err
	}
	if act.OK && !click {
		logrus.Info("browser: pressing Enter in the compose box")
		if err := pressEnter(pd.page.Context(ctx)); err != nil {
			return act, fmt.Errorf("browser: pressing Enter, outcome unknown: %w (%v)", ErrTimeout, err)
		}
	}
	return act, nil
}

// confirmSent waits for our new row and its first tick after an action.
// When a click showed no row and the box still holds the text, the click
// did not take: Enter is pressed once, after checking again (in the same
// call) that no row of ours appeared. Any other doubt is ErrTimeout: the
// caller reconciles, never resends.
func (m *Manager) confirmSent(ctx context.Context, pd *pageDriver, text string, act actResult, clicked bool, res *SendResult) error {
	start := time.Now()
	known := act.Known
	r := act.probeResult
	if !clicked {
		var err error
		if r, err = m.awaitOurs(ctx, pd, known, text, AckSent, m.opts.SendTimeout); err != nil {
			return err
		}
	} else if r.NoRow {
		again, err := m.act(ctx, pd, text, false, known)
		if err != nil {
			return fmt.Errorf("browser: no message row after clicking send, outcome unknown: %w (%v)", ErrTimeout, err)
		}
		if !again.OK && again.Msg == nil {
			logrus.WithField("reason", again.Reason).Info("browser: no row yet after clicking send; the box was emptied, waiting for the row")
		}
		left := m.opts.SendTimeout - time.Since(start)
		if r, err = m.awaitOurs(ctx, pd, known, text, AckSent, max(left, time.Millisecond)); err != nil {
			return err
		}
	}
	if r.Msg != nil {
		res.MessageID, res.Ack = r.Msg.ID, r.Msg.Ack
	}
	if r.TimedOut {
		if r.Msg == nil {
			return fmt.Errorf("browser: no message row appeared after sending: %w", ErrTimeout)
		}
		return fmt.Errorf("browser: message %s still %s after %s: %w", r.Msg.ID, r.Msg.Ack, m.opts.SendTimeout, ErrTimeout)
	}
	return nil
}

// typeIntoBox clears the box (a kept draft) and types text into it.
func (m *Manager) typeIntoBox(ctx context.Context, pd *pageDriver, text string, prep *okResult) error {
	if prep == nil {
		prep = &okResult{}
		if err := pd.run(ctx, "prepare", nil, prep); err != nil {
			return err
		}
	}
	if !prep.OK {
		return fmt.Errorf("browser: message not sent: unable to prepare the compose box: %s", prep.Reason)
	}
	return pd.typeText(ctx, text)
}

// waitSendButton waits, bounded by SendButtonWait, until the box holds text
// and the send button shows. Meanwhile it nudges the box (an input event
// every NudgeInterval, a typed space and backspace every fourth time) and,
// when typed is set, types the text again into a box that shows another.
// It reports false when the box holds the text but the button never came:
// the caller may press Enter. Nothing is sent here.
func (m *Manager) waitSendButton(ctx context.Context, pd *pageDriver, text string, typed bool) (bool, error) {
	deadline := time.Now().Add(m.opts.SendButtonWait)
	nudges, retypes := 0, 0
	var otherSince time.Time // when the box last held the text (or the wait began)
	for {
		step := min(m.opts.NudgeInterval, max(time.Until(deadline), time.Millisecond))
		r, err := pd.wait(ctx, waitCond{Sendable: &sendableCond{Text: text}, Invalid: true, States: []string{"qr", "conflict"}}, step)
		if err != nil {
			return false, err
		}
		if !r.TimedOut {
			if r.Invalid || r.State != "ready" {
				m.applyProbe(r)
				return false, fmt.Errorf("browser: message not sent: the page shows %s: %w", r.State, ErrNotReady)
			}
			return true, nil
		}
		holds := r.ComposeText != nil && boxHolds(*r.ComposeText, text)
		if holds || otherSince.IsZero() {
			otherSince = time.Now()
		}
		if !time.Now().Before(deadline) {
			if holds {
				return false, nil
			}
			if r.ComposeText == nil {
				return false, fmt.Errorf("browser: message not sent: the compose box went away")
			}
			got := []rune(*r.ComposeText)
			if len(got) > 80 {
				got = append(got[:80], '…')
			}
			return false, fmt.Errorf("browser: message not sent: the compose box shows other text than the message (%q)", string(got))
		}
		switch {
		case r.ComposeText == nil:
			// Re-rendering: look again.
		case !holds && typed && retypes < maxRetypes && (r.SendButton || time.Since(otherSince) > m.opts.SendButtonWait/3):
			// The box holds other text, e.g. what the browser made of typing
			// before the page wired it: type again, through the page's own
			// handlers once it shows the button (or when waiting for that
			// has taken long).
			retypes++
			otherSince = time.Now()
			deadline = later(deadline, otherSince.Add(m.opts.SendButtonWait/3))
			logrus.WithField("retype", retypes).Info("browser: the compose box shows other text; typing the message again")
			if err := m.typeIntoBox(ctx, pd, text, nil); err != nil {
				return false, err
			}
		default:
			// A harmless input event: a box wired late shows its button.
			nudges++
			if nudges%4 == 0 {
				err = typeSpaceBackspace(pd.page.Context(ctx))
			} else {
				err = pd.run(ctx, "nudge", nil, nil)
			}
			if err != nil {
				return false, err
			}
		}
	}
}

// awaitOurs waits until a row not in known, with text, has at least minAck.
func (m *Manager) awaitOurs(ctx context.Context, pd *pageDriver, known []string, text string, minAck Ack, timeout time.Duration) (probeResult, error) {
	r, err := pd.wait(ctx, waitCond{Ours: &oursCond{Known: known, Text: &text, MinAck: int(minAck)}}, timeout)
	if err != nil {
		if ctx.Err() != nil {
			return r, err // withPage tells a dead browser from a deadline: both unknown
		}
		return r, fmt.Errorf("browser: reading the chat during the send, outcome unknown: %w (%v)", ErrTimeout, err)
	}
	return r, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// boxHolds tells whether the compose box's text got is exactly text: only
// no-break spaces (how a browser keeps typed spaces) may differ (page.js boxHolds).
func boxHolds(got, text string) bool {
	norm := strings.NewReplacer("\u00a0", " ", "\r\n", "\n", "\r", "\n")
	return norm.Replace(got) == norm.Replace(text)
}
