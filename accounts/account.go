package accounts

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/browser"
)

// Account is one WhatsApp account held by this install: its browser and
// whether that browser sleeps (stopped for want of work, started again on
// demand) or was stopped by a person (started again only by a person).
type Account struct {
	reg    *Registry
	id     string
	m      *browser.Manager
	ctx    context.Context
	cancel context.CancelFunc

	mu          sync.Mutex
	asleep      bool
	userStopped bool
	phone       string // last number recorded in the row
}

// ID is the account's id.
func (a *Account) ID() string { return a.id }

// Manager is the account's browser driver. It never changes for the
// account's life.
func (a *Account) Manager() *browser.Manager { return a.m }

// Context ends when the account is removed.
func (a *Account) Context() context.Context { return a.ctx }

// Status is the session's state; Asleep says a stopped browser stopped for
// want of work and starts again when needed.
func (a *Account) Status() (browser.Status, bool) {
	a.mu.Lock()
	asleep := a.asleep
	a.mu.Unlock()
	st := a.m.Status()
	return st, asleep && st.State == browser.StateStopped
}

// Start starts the browser (a person's Start, or a new account to link).
func (a *Account) Start(ctx context.Context) error {
	a.mu.Lock()
	a.asleep, a.userStopped = false, false
	a.mu.Unlock()
	a.reg.publishStatus(a)
	return a.m.Start(ctx)
}

// Stop stops the browser until a person starts it again; the session
// stays in the profile.
func (a *Account) Stop(ctx context.Context) error {
	a.mu.Lock()
	a.asleep, a.userStopped = false, true
	a.mu.Unlock()
	err := a.m.Stop(ctx)
	a.reg.publishStatus(a)
	return err
}

// sleep stops an idle browser; it wakes when work comes.
func (a *Account) sleep(ctx context.Context) error {
	a.mu.Lock()
	a.asleep = true
	a.mu.Unlock()
	err := a.m.Stop(ctx)
	a.reg.publishStatus(a)
	return err
}

// wake starts a sleeping browser; a browser a person stopped stays stopped.
func (a *Account) wake(ctx context.Context) (bool, error) {
	a.mu.Lock()
	if a.userStopped || a.m.Running() {
		a.mu.Unlock()
		return false, nil
	}
	a.asleep = false
	a.mu.Unlock()
	return true, a.m.Start(ctx)
}

// settled are the states a starting browser ends up in.
var settled = []browser.State{browser.StateReady, browser.StateQR, browser.StateConflict,
	browser.StatePhoneOffline, browser.StateLoggedOut, browser.StateFailed}

// Ensure wakes a sleeping browser for work and waits (bounded by ctx) until
// the page shows where the session is. A browser a person stopped is not
// started: the caller gets its stopped state.
func (a *Account) Ensure(ctx context.Context) browser.Status {
	if started, err := a.wake(ctx); err != nil {
		logrus.WithFields(logrus.Fields{"account": a.id, "error": err}).Error("accounts: unable to start the account's browser")
	} else if started {
		logrus.WithFields(logrus.Fields{"account": a.id}).Info("accounts: browser started on demand")
	}
	if !a.m.Running() {
		return a.m.Status()
	}
	st, _ := a.m.WaitFor(ctx, settled...)
	return st
}

// EnsureStarted is Ensure for a person's action (take over, a new QR, a
// link code): a browser a person stopped is started too.
func (a *Account) EnsureStarted(ctx context.Context) (browser.Status, error) {
	if !a.m.Running() {
		if err := a.Start(ctx); err != nil {
			return a.m.Status(), err
		}
	}
	st, err := a.m.WaitFor(ctx, settled...)
	if err != nil {
		return st, fmt.Errorf("accounts: WhatsApp did not finish loading: %w", err)
	}
	return st, nil
}

// follow records the number the page shows in the account's row and
// publishes each state change, until the account is removed.
func (a *Account) follow() {
	events, cancel := a.m.Subscribe()
	defer cancel()
	for {
		select {
		case <-a.ctx.Done():
			return
		case e, ok := <-events:
			if !ok {
				return
			}
			if e.Kind != browser.EventState {
				continue
			}
			a.notePhone(e.Status)
			a.reg.publishStatus(a)
		}
	}
}

// notePhone keeps the row's phone in step with the page: set once linked,
// cleared once logged out.
func (a *Account) notePhone(st browser.Status) {
	phone := st.Phone
	switch {
	case phone != "":
	case st.State == browser.StateQR || st.State == browser.StateLoggedOut:
	default:
		return // no news: stopped, loading, ...
	}
	a.mu.Lock()
	same := phone == a.phone
	a.phone = phone
	a.mu.Unlock()
	if same {
		return
	}
	ctx, cancel := context.WithTimeout(a.ctx, 10*time.Second)
	defer cancel()
	if err := a.reg.store.SetWhatsAppAccountPhone(ctx, a.id, phone); err != nil && a.ctx.Err() == nil {
		logrus.WithFields(logrus.Fields{"account": a.id, "error": err}).Error("accounts: unable to record the linked number")
	}
}
