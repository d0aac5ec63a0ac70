package server_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// fakeSession is a linked WhatsApp session that sends at once: numbers in
// invalid are not on WhatsApp. It stands in for the driver where only the
// shape of the API's answers is under test; the real driver's answers are
// tested with Chromium and the simulator in whatsapp/.
type fakeSession struct {
	mu      sync.Mutex
	state   string
	invalid map[string]bool
	n       int
}

func newFakeSession() *fakeSession {
	return &fakeSession{state: "ready", invalid: map[string]bool{}}
}

func (f *fakeSession) Status() server.SessionStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := server.SessionStatus{State: f.state, Since: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
	if f.state == "ready" {
		st.Percent, st.Phone = 100, "+919866600001"
	}
	if f.state == "qr" {
		qr := "2@qr-code"
		st.QR = &qr
	}
	return st
}

func (f *fakeSession) Subscribe() (<-chan server.SessionStatus, func()) {
	return make(chan server.SessionStatus), func() {}
}

func (f *fakeSession) set(state string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state = state
	return nil
}

func (f *fakeSession) Start(context.Context) error    { return f.set("ready") }
func (f *fakeSession) Stop(context.Context) error     { return f.set("stopped") }
func (f *fakeSession) Logout(context.Context) error   { return f.set("qr") }
func (f *fakeSession) TakeOver(context.Context) error { return f.set("ready") }
func (f *fakeSession) ReloadQR(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state != "qr" {
		return errors.New("there is no QR code to renew: the account is linked")
	}
	return nil
}

func (f *fakeSession) RequestLinkCode(context.Context, string) (string, error) {
	return "ABCD-EFGH", nil
}

func (f *fakeSession) send(phone string) server.SendOutcome {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.invalid[phone] {
		return server.SendOutcome{Status: "invalid_number"}
	}
	f.n++
	return server.SendOutcome{Status: "sent", MessageID: fmt.Sprintf("true_%s_%d", phone, f.n)}
}

func (f *fakeSession) SendText(_ context.Context, phone, _ string) (server.SendOutcome, error) {
	return f.send(phone), nil
}

func (f *fakeSession) SendFile(_ context.Context, phone string, _ server.OutgoingFile) (server.SendOutcome, error) {
	return f.send(phone), nil
}

// fakeAccounts is the accounts registry in memory, each account with its
// own fakeSession; the last account cannot be removed, as in the real one.
type fakeAccounts struct {
	mu       sync.Mutex
	max      int
	rows     []server.Account
	sessions map[string]*fakeSession
}

func newFakeAccounts(max int, first *fakeSession) *fakeAccounts {
	f := &fakeAccounts{max: max, sessions: map[string]*fakeSession{}}
	f.add("Main", first)
	return f
}

func (f *fakeAccounts) add(name string, s *fakeSession) server.Account {
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	a := server.Account{ID: models.NewID(), Name: name, Position: len(f.rows), Here: true, CreatedAt: at, UpdatedAt: at}
	f.rows = append(f.rows, a)
	f.sessions[a.ID] = s
	return a
}

func (f *fakeAccounts) view(a server.Account) server.Account {
	a.Session = f.sessions[a.ID].Status()
	a.State = a.Session.State
	if a.Session.Phone != "" {
		a.Phone = a.Session.Phone
	}
	return a
}

func (f *fakeAccounts) List(context.Context) ([]server.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]server.Account, len(f.rows))
	for i, a := range f.rows {
		out[i] = f.view(a)
	}
	return out, nil
}

func (f *fakeAccounts) find(id string) int {
	for i, a := range f.rows {
		if a.ID == id {
			return i
		}
	}
	return -1
}

func (f *fakeAccounts) Get(_ context.Context, id string) (server.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(id)
	if i < 0 {
		return server.Account{}, models.ErrNotFound
	}
	return f.view(f.rows[i]), nil
}

func (f *fakeAccounts) Create(_ context.Context, name string) (server.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.rows) >= f.max {
		return server.Account{}, models.ErrTooManyAccounts
	}
	s := newFakeSession()
	s.state = "qr"
	return f.view(f.add(name, s)), nil
}

func (f *fakeAccounts) Update(_ context.Context, id string, p models.WhatsAppAccountPatch) (server.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(id)
	if i < 0 {
		return server.Account{}, models.ErrNotFound
	}
	a := &f.rows[i]
	if p.Name != nil {
		a.Name = *p.Name
	}
	if p.DailyCap != nil {
		a.DailyCap = *p.DailyCap
	}
	if p.QuietStart != nil {
		a.QuietStart = *p.QuietStart
	}
	if p.QuietEnd != nil {
		a.QuietEnd = *p.QuietEnd
	}
	return f.view(*a), nil
}

func (f *fakeAccounts) Remove(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(id)
	if i < 0 {
		return models.ErrNotFound
	}
	if len(f.rows) == 1 {
		return &server.AccountRefusal{Message: "Sambad needs at least one WhatsApp account; log this one out instead of removing it"}
	}
	f.rows = append(f.rows[:i], f.rows[i+1:]...)
	delete(f.sessions, id)
	return nil
}

func (f *fakeAccounts) Session(id string) server.WhatsApp {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.sessions[id]; ok {
		return s
	}
	return nil
}

func (f *fakeAccounts) Subscribe() (<-chan string, func()) { return make(chan string), func() {} }
