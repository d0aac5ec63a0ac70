package whatsapp

import (
	"context"
	"errors"
	"fmt"

	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/numbercheck"
)

// FirstAccount is the id the number checker accepts, besides "", for the
// one WhatsApp account there is today.
const FirstAccount = "default"

// NumberChecker is numbercheck.Checker on the browser driver: one account,
// driven by Manager.
type NumberChecker struct{ Manager *browser.Manager }

var _ numbercheck.Checker = NumberChecker{}

// Check opens the number's chat and reports whether WhatsApp knows it.
// "Not ready" wraps numbercheck.ErrNotReady so the job waits.
func (n NumberChecker) Check(ctx context.Context, accountID, phone string) (bool, error) {
	if err := n.ValidAccount(ctx, accountID); err != nil {
		return false, err
	}
	on, err := n.Manager.CheckNumber(ctx, phone)
	if errors.Is(err, browser.ErrNotReady) || errors.Is(err, browser.ErrStopped) || errors.Is(err, browser.ErrBrowserDied) {
		return false, fmt.Errorf("whatsapp: %w: %w", numbercheck.ErrNotReady, err)
	}
	if err != nil {
		return false, fmt.Errorf("whatsapp: %w", err)
	}
	return on, nil
}

// ValidAccount accepts the first (only) account: "" or FirstAccount.
func (NumberChecker) ValidAccount(_ context.Context, accountID string) error {
	if accountID == "" || accountID == FirstAccount {
		return nil
	}
	return fmt.Errorf("account_id %q: %w (this install has one WhatsApp account: leave account_id out or use %q)", accountID, numbercheck.ErrUnknownAccount, FirstAccount)
}

// notReadyWords say why the session cannot check now.
var notReadyWords = map[browser.State]string{
	browser.StateStopped: "the browser is stopped", browser.StateStarting: "the browser is starting",
	browser.StateLoading: "WhatsApp Web is loading", browser.StateQR: "WhatsApp is not linked (scan the QR code on the WhatsApp page)",
	browser.StateConflict: "WhatsApp is open in another window", browser.StatePhoneOffline: "the phone is offline",
	browser.StateLoggedOut: "WhatsApp was logged out (link it again on the WhatsApp page)", browser.StateCrashed: "the browser crashed and restarts",
	browser.StateRestarting: "the browser is restarting", browser.StateFailed: "the browser could not start (see the WhatsApp page)",
}

// NotReadyReason says why the session cannot check now.
func (n NumberChecker) NotReadyReason(string) string {
	st := n.Manager.Status().State
	if w, ok := notReadyWords[st]; ok {
		return w
	}
	return "WhatsApp is " + string(st)
}

// FeedSessionChanges calls changed on every session state change until ctx
// is done (the number checker's waiting jobs go on at once). Run it in a
// goroutine.
func FeedSessionChanges(ctx context.Context, m *browser.Manager, changed func()) {
	events, cancel := m.Subscribe()
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if ev.Kind == browser.EventState {
				changed()
			}
		}
	}
}
