package browser

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/sirupsen/logrus"
)

// withPage runs fn holding the page, when the session is in one of allowed
// (nil: any running state). A browser dying under fn turns into
// ErrBrowserDied at once; the caller's deadline into ErrTimeout.
func (m *Manager) withPage(ctx context.Context, name string, allowed []State, fn func(ctx context.Context, pd *pageDriver) error) (err error) {
	select {
	case m.ops <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("browser: %s: waiting for the page: %w", name, ErrTimeout)
	}
	defer func() { <-m.ops }()
	m.mu.Lock()
	m.lastUsed = time.Now()
	m.mu.Unlock()

	s := m.session()
	st := m.Status().State
	if s == nil {
		if st == StateStopped || st == StateFailed {
			return fmt.Errorf("browser: %s: %w", name, ErrStopped)
		}
		return fmt.Errorf("browser: %s: session is %s: %w", name, st, ErrNotReady)
	}
	if allowed != nil && !stateIn(st, allowed) {
		return fmt.Errorf("browser: %s: session is %s: %w", name, st, ErrNotReady)
	}
	octx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()

	err = func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("browser: %s: internal error: %v", name, p)
				logrus.WithFields(logrus.Fields{"panic": p, "stack": string(debug.Stack())}).Error("browser: command panicked")
			}
		}()
		return fn(octx, s.pd)
	}()
	if err == nil {
		return nil
	}
	if isOurs(err) {
		return err
	}
	// The CDP call may fail a moment before the death is signalled.
	select {
	case <-s.died:
	case <-time.After(300 * time.Millisecond):
	}
	if s.dead() {
		return fmt.Errorf("browser: %s: %w (%v)", name, ErrBrowserDied, err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("browser: %s: %w (%v)", name, ErrTimeout, err)
	}
	return fmt.Errorf("browser: %s: %w", name, err)
}

func isOurs(err error) bool {
	for _, e := range []error{ErrNotReady, ErrInvalidNumber, ErrBrowserDied, ErrTimeout, ErrBadPhone, ErrStopped} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func stateIn(s State, list []State) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// openChat loads click-to-chat for digits (with text in URL mode) and waits
// for the chat or the invalid-number modal. It returns ErrInvalidNumber
// (after dismissing the modal) or ErrNotReady when the page shows another state.
func (m *Manager) openChat(ctx context.Context, pd *pageDriver, digits, text string) error {
	_, err := m.openChatPrepared(ctx, pd, digits, text, false)
	return err
}

// openChatPrepared is openChat that, with prepare, also focuses and clears
// the compose box in the same round trip and reports how that went.
func (m *Manager) openChatPrepared(ctx context.Context, pd *pageDriver, digits, text string, prepare bool) (*okResult, error) {
	url := m.opts.BaseURL + "/send?phone=" + digits
	if text != "" {
		url += "&text=" + encodeURIComponent(text)
	}
	token, err := pd.navigate(ctx, url)
	if err != nil {
		return nil, err
	}
	r, err := pd.wait(ctx, waitCond{Fresh: token, Compose: true, Prepare: prepare, Invalid: true, LoggedOut: true, States: []string{"qr", "conflict"}}, m.opts.LoadTimeout)
	if err != nil {
		return nil, err
	}
	switch {
	case r.Invalid:
		_, _ = pd.click(ctx, "modal_ok", "invalid_modal")
		return nil, ErrInvalidNumber
	case r.Compose:
		return r.Prepared, nil
	case r.TimedOut:
		return nil, fmt.Errorf("the chat did not open within %s (if WhatsApp changed its page, update selectors.json): %w", m.opts.LoadTimeout, ErrTimeout)
	default:
		m.applyProbe(r)
		return nil, fmt.Errorf("the page shows %s: %w", r.State, ErrNotReady)
	}
}
