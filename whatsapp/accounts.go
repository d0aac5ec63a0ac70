package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// AccountSession presents one account as the server's WhatsApp port: a
// sleeping browser wakes for work (a send), and a person's action (take
// over, a new QR, a link code, log out) starts a stopped one first.
type AccountSession struct{ Account *accounts.Account }

var _ server.WhatsApp = AccountSession{}

// actionWait bounds starting a browser for a person's action.
const actionWait = 60 * time.Second

func (a AccountSession) session() Session { return Session{Manager: a.Account.Manager()} }

// Status is the session as the pages show it.
func (a AccountSession) Status() server.SessionStatus {
	st, asleep := a.Account.Status()
	out := toSessionStatus(st)
	out.Asleep = asleep
	return out
}

// Subscribe delivers every change of the session's state.
func (a AccountSession) Subscribe() (<-chan server.SessionStatus, func()) {
	return a.session().Subscribe()
}

// Start starts the browser.
func (a AccountSession) Start(ctx context.Context) error { return a.Account.Start(ctx) }

// Stop stops the browser until a person starts it again.
func (a AccountSession) Stop(ctx context.Context) error { return a.Account.Stop(ctx) }

func (a AccountSession) started(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, actionWait)
	defer cancel()
	_, err := a.Account.EnsureStarted(ctx)
	return err
}

// Logout unlinks the account (in WhatsApp, then the local profile).
func (a AccountSession) Logout(ctx context.Context) error {
	if err := a.started(ctx); err != nil {
		return err
	}
	return a.Account.Manager().Logout(ctx)
}

// TakeOver makes this browser the active WhatsApp Web session again.
func (a AccountSession) TakeOver(ctx context.Context) error {
	if err := a.started(ctx); err != nil {
		return err
	}
	return a.Account.Manager().TakeOver(ctx)
}

// ReloadQR asks for a fresh QR code.
func (a AccountSession) ReloadQR(ctx context.Context) error {
	if err := a.started(ctx); err != nil {
		return err
	}
	return a.Account.Manager().ReloadQR(ctx)
}

// RequestLinkCode asks for a pairing code for phone.
func (a AccountSession) RequestLinkCode(ctx context.Context, phone string) (string, error) {
	if err := a.started(ctx); err != nil {
		return "", err
	}
	return a.Account.Manager().RequestLinkCode(ctx, phone)
}

// SendText wakes a sleeping browser, then sends as Session does.
func (a AccountSession) SendText(ctx context.Context, phone, text string) (server.SendOutcome, error) {
	wctx, cancel := context.WithTimeout(ctx, actionWait)
	a.Account.Ensure(wctx)
	cancel()
	return a.session().SendText(ctx, phone, text)
}

// SendFile wakes a sleeping browser, then sends the file as Session does.
func (a AccountSession) SendFile(ctx context.Context, phone string, f server.OutgoingFile) (server.SendOutcome, error) {
	wctx, cancel := context.WithTimeout(ctx, actionWait)
	a.Account.Ensure(wctx)
	cancel()
	return a.session().SendFile(ctx, phone, f)
}

// FirstAccount is the server's WhatsApp port on whichever account is first
// (what /api/v1/session, /whatsapp and sends without an account use).
type FirstAccount struct{ Registry *accounts.Registry }

var _ server.WhatsApp = FirstAccount{}

var errNoAccount = errors.New("whatsapp: no WhatsApp account is held by this install")

func (f FirstAccount) first() (AccountSession, bool) {
	a := f.Registry.First(context.Background())
	return AccountSession{Account: a}, a != nil
}

// Status is the first account's session.
func (f FirstAccount) Status() server.SessionStatus {
	if a, ok := f.first(); ok {
		return a.Status()
	}
	return server.SessionStatus{State: string(browser.StateStopped), Error: errNoAccount.Error()}
}

// Subscribe follows the account that is first now.
func (f FirstAccount) Subscribe() (<-chan server.SessionStatus, func()) {
	if a, ok := f.first(); ok {
		return a.Subscribe()
	}
	ch := make(chan server.SessionStatus)
	return ch, func() {}
}

func (f FirstAccount) do(fn func(AccountSession) error) error {
	a, ok := f.first()
	if !ok {
		return errNoAccount
	}
	return fn(a)
}

// Start starts the first account's browser.
func (f FirstAccount) Start(ctx context.Context) error {
	return f.do(func(a AccountSession) error { return a.Start(ctx) })
}

// Stop stops it.
func (f FirstAccount) Stop(ctx context.Context) error {
	return f.do(func(a AccountSession) error { return a.Stop(ctx) })
}

// Logout logs it out.
func (f FirstAccount) Logout(ctx context.Context) error {
	return f.do(func(a AccountSession) error { return a.Logout(ctx) })
}

// TakeOver takes its session over.
func (f FirstAccount) TakeOver(ctx context.Context) error {
	return f.do(func(a AccountSession) error { return a.TakeOver(ctx) })
}

// ReloadQR asks for a fresh QR code.
func (f FirstAccount) ReloadQR(ctx context.Context) error {
	return f.do(func(a AccountSession) error { return a.ReloadQR(ctx) })
}

// RequestLinkCode asks for a pairing code.
func (f FirstAccount) RequestLinkCode(ctx context.Context, phone string) (code string, err error) {
	err = f.do(func(a AccountSession) error { code, err = a.RequestLinkCode(ctx, phone); return err })
	return code, err
}

// SendText sends through the first account.
func (f FirstAccount) SendText(ctx context.Context, phone, text string) (out server.SendOutcome, err error) {
	err = f.do(func(a AccountSession) error { out, err = a.SendText(ctx, phone, text); return err })
	return out, err
}

// SendFile sends a file through the first account.
func (f FirstAccount) SendFile(ctx context.Context, phone string, file server.OutgoingFile) (out server.SendOutcome, err error) {
	err = f.do(func(a AccountSession) error { out, err = a.SendFile(ctx, phone, file); return err })
	return out, err
}

// Accounts presents the registry as the server's Accounts port.
type Accounts struct{ Registry *accounts.Registry }

var _ server.Accounts = Accounts{}

func (x Accounts) view(row models.WhatsAppAccount) server.Account {
	out := server.Account{ID: row.ID, Name: row.Name, Phone: row.Phone, DailyCap: row.DailyCap, QuietStart: row.QuietStart,
		QuietEnd: row.QuietEnd, HolderInstallID: row.HolderInstallID, Position: row.Position, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt}
	if a := x.Registry.Get(row.ID); a != nil {
		out.Here = true
		out.Session = AccountSession{Account: a}.Status()
		if out.Session.Phone != "" {
			out.Phone = out.Session.Phone
		}
	} else {
		out.Session = server.SessionStatus{State: string(browser.StateStopped), Error: "this account's session is on another install"}
	}
	out.State = out.Session.State
	return out
}

// refusal turns the registry's refusals into the server's, with the
// message a person reads.
func refusal(err error) error {
	switch {
	case errors.Is(err, accounts.ErrLastAccount):
		return &server.AccountRefusal{Message: "Sambad needs at least one WhatsApp account; log this one out instead of removing it"}
	case errors.Is(err, accounts.ErrNotHere):
		return &server.AccountRefusal{Message: "this account's WhatsApp session is on another install; use that install"}
	}
	return err
}

// List returns every account, first one first.
func (x Accounts) List(ctx context.Context) ([]server.Account, error) {
	rows, err := x.Registry.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]server.Account, len(rows))
	for i, r := range rows {
		out[i] = x.view(r)
	}
	return out, nil
}

// Get returns one account.
func (x Accounts) Get(ctx context.Context, id string) (server.Account, error) {
	row, err := x.Registry.Row(ctx, id)
	if err != nil {
		return server.Account{}, err
	}
	return x.view(*row), nil
}

// Create adds an account and starts its browser.
func (x Accounts) Create(ctx context.Context, name string) (server.Account, error) {
	a, err := x.Registry.Create(ctx, name)
	if err != nil && a == nil {
		return server.Account{}, err
	}
	return x.Get(ctx, a.ID())
}

// Update renames an account or changes its cap and quiet hours.
func (x Accounts) Update(ctx context.Context, id string, p models.WhatsAppAccountPatch) (server.Account, error) {
	row, err := x.Registry.Update(ctx, id, p)
	if err != nil {
		return server.Account{}, err
	}
	return x.view(*row), nil
}

// Remove removes an account with its profile.
func (x Accounts) Remove(ctx context.Context, id string) error {
	return refusal(x.Registry.Remove(ctx, id))
}

// Session is the account's session, nil when not held here.
func (x Accounts) Session(id string) server.WhatsApp {
	a := x.Registry.Get(id)
	if a == nil {
		return nil
	}
	return AccountSession{Account: a}
}

// Subscribe delivers the ids of accounts whose session changed.
func (x Accounts) Subscribe() (<-chan string, func()) {
	events, cancel := x.Registry.Subscribe()
	out := make(chan string, 32)
	done := make(chan struct{})
	go func() {
		defer close(out)
		for {
			select {
			case <-done:
				return
			case e := <-events:
				select {
				case out <- e.AccountID:
				default:
				}
			}
		}
	}()
	return out, func() { cancel(); close(done) }
}

// FirstAccountSender is the campaign engine's Sender on whichever account is
// first: campaigns without accounts send through it. Ready stays a plain
// look (the top bar asks it on every page); a sleeping account is woken
// for a running campaign by the registry (accounts.Options.Wanted).
type FirstAccountSender struct{ Registry *accounts.Registry }

var _ campaign.Sender = FirstAccountSender{}

func (f FirstAccountSender) sender() (Sender, error) {
	a := f.Registry.First(context.Background())
	if a == nil {
		return Sender{}, fmt.Errorf("whatsapp: %w: %w", campaign.ErrNotReady, errNoAccount)
	}
	return Sender{Manager: a.Manager()}, nil
}

// SendText sends through the first account.
func (f FirstAccountSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	s, err := f.sender()
	if err != nil {
		return campaign.SendResult{}, err
	}
	return s.SendText(ctx, phone, text)
}

// SendFile sends a file through the first account.
func (f FirstAccountSender) SendFile(ctx context.Context, phone string, file campaign.File) (campaign.SendResult, error) {
	s, err := f.sender()
	if err != nil {
		return campaign.SendResult{}, err
	}
	return s.SendFile(ctx, phone, file)
}

// RecentOutgoing reads the chat on the first account.
func (f FirstAccountSender) RecentOutgoing(ctx context.Context, phone string, n int) ([]campaign.OutgoingMessage, error) {
	s, err := f.sender()
	if err != nil {
		return nil, err
	}
	return s.RecentOutgoing(ctx, phone, n)
}

// Ready reports whether the first account can send now.
func (f FirstAccountSender) Ready() bool {
	s, err := f.sender()
	return err == nil && s.Ready()
}

// AccountSender is the campaign engine's Sender on one account, looked up
// at each call: a removed account is simply not ready.
type AccountSender struct {
	Registry *accounts.Registry
	ID       string
}

var _ campaign.Sender = AccountSender{}

func (s AccountSender) sender() (Sender, error) {
	a := s.Registry.Get(s.ID)
	if a == nil {
		return Sender{}, fmt.Errorf("whatsapp: %w: the campaign's WhatsApp account %s is not on this install", campaign.ErrNotReady, s.ID)
	}
	return Sender{Manager: a.Manager()}, nil
}

// SendText sends through the account.
func (s AccountSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	snd, err := s.sender()
	if err != nil {
		return campaign.SendResult{}, err
	}
	return snd.SendText(ctx, phone, text)
}

// SendFile sends a file through the account.
func (s AccountSender) SendFile(ctx context.Context, phone string, file campaign.File) (campaign.SendResult, error) {
	snd, err := s.sender()
	if err != nil {
		return campaign.SendResult{}, err
	}
	return snd.SendFile(ctx, phone, file)
}

// RecentOutgoing reads the chat on the account.
func (s AccountSender) RecentOutgoing(ctx context.Context, phone string, n int) ([]campaign.OutgoingMessage, error) {
	snd, err := s.sender()
	if err != nil {
		return nil, err
	}
	return snd.RecentOutgoing(ctx, phone, n)
}

// Ready reports whether the account can send now.
func (s AccountSender) Ready() bool {
	snd, err := s.sender()
	return err == nil && snd.Ready()
}

// AccountSenders is campaign.Options.AccountSender over the registry: the
// Sender of one account, for rotations and for reconciling a recipient on
// the account that holds it.
func AccountSenders(reg *accounts.Registry) func(id string) campaign.Sender {
	return func(id string) campaign.Sender { return AccountSender{Registry: reg, ID: id} }
}

// SenderFor is campaign.Options.SenderFor over the registry: a campaign
// without accounts sends through the first account, one with an account
// through that one.
func SenderFor(reg *accounts.Registry) func(c *models.Campaign) campaign.Sender {
	first := FirstAccountSender{Registry: reg}
	return func(c *models.Campaign) campaign.Sender {
		if len(c.AccountIDs) == 0 {
			return first
		}
		return AccountSender{Registry: reg, ID: c.AccountIDs[0]}
	}
}
