package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/models"

	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/numbercheck"
)

// DefaultAccount is accepted, besides "", as the first account: the id the
// number checker knew before there were several accounts.
const DefaultAccount = "default"

// NumberChecker is numbercheck.Checker over the WhatsApp accounts held by
// this install; "" (or DefaultAccount) is the first account.
type NumberChecker struct{ Registry *accounts.Registry }

var _ numbercheck.Checker = NumberChecker{}

// numberWait bounds waking a sleeping browser for one check.
const numberWait = 60 * time.Second

// Check opens the number's chat on the account and reports whether WhatsApp
// knows it; a sleeping browser is woken first. "Not ready" wraps
// numbercheck.ErrNotReady so the job waits.
func (n NumberChecker) Check(ctx context.Context, accountID, phone string) (bool, error) {
	a, err := n.account(ctx, accountID)
	if err != nil {
		return false, err
	}
	if a == nil {
		return false, fmt.Errorf("whatsapp: %w: %w", numbercheck.ErrNotReady, errNoAccount)
	}
	wctx, cancel := context.WithTimeout(ctx, numberWait)
	a.Ensure(wctx)
	cancel()
	on, err := a.Manager().CheckNumber(ctx, phone)
	if errors.Is(err, browser.ErrNotReady) || errors.Is(err, browser.ErrStopped) || errors.Is(err, browser.ErrBrowserDied) {
		return false, fmt.Errorf("whatsapp: %w: %w", numbercheck.ErrNotReady, err)
	}
	if err != nil {
		return false, fmt.Errorf("whatsapp: %w", err)
	}
	return on, nil
}

// account finds the account a check runs on: nil with no error when the
// first account is asked for and none is held here yet (the job waits).
func (n NumberChecker) account(ctx context.Context, id string) (*accounts.Account, error) {
	if id == "" || id == DefaultAccount {
		return n.Registry.First(ctx), nil
	}
	if a := n.Registry.Get(id); a != nil {
		return a, nil
	}
	if _, err := n.Registry.Row(ctx, id); err == nil {
		return nil, fmt.Errorf("account_id %q: %w (it is linked on another install; check from there)", id, numbercheck.ErrUnknownAccount)
	} else if !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	return nil, fmt.Errorf("account_id %q: %w (see the WhatsApp accounts page for the ids)", id, numbercheck.ErrUnknownAccount)
}

// ValidAccount accepts "" (the first account) and the accounts held here.
func (n NumberChecker) ValidAccount(ctx context.Context, accountID string) error {
	_, err := n.account(ctx, accountID)
	return err
}

// notReadyWords say why the session cannot check now.
var notReadyWords = map[browser.State]string{
	browser.StateStopped: "the browser is stopped", browser.StateStarting: "the browser is starting",
	browser.StateLoading: "WhatsApp Web is loading", browser.StateQR: "WhatsApp is not linked (scan the QR code on the WhatsApp page)",
	browser.StateConflict: "WhatsApp is open in another window", browser.StatePhoneOffline: "the phone is offline",
	browser.StateLoggedOut: "WhatsApp was logged out (link it again on the WhatsApp page)", browser.StateCrashed: "the browser crashed and restarts",
	browser.StateRestarting: "the browser is restarting", browser.StateFailed: "the browser could not start (see the WhatsApp page)",
}

// NotReadyReason says why the account cannot check now.
func (n NumberChecker) NotReadyReason(accountID string) string {
	a, err := n.account(context.Background(), accountID)
	if err != nil || a == nil {
		return "no WhatsApp account is linked on this install"
	}
	st := a.Manager().Status().State
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
