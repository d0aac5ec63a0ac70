package accounts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/models"
)

// Errors a person can act on.
var (
	// ErrLastAccount: the only account cannot be removed (log it out instead).
	ErrLastAccount = errors.New("accounts: Sambad needs at least one WhatsApp account; log this one out instead of removing it")
	// ErrNotHere: the account's profile is on another install (hybrid mode).
	ErrNotHere = errors.New("accounts: this account's WhatsApp session is on another install; use that install")
)

// Store is what the registry needs from the database; *models.Store is one.
type Store interface {
	ListWhatsAppAccounts(ctx context.Context) ([]models.WhatsAppAccount, error)
	GetWhatsAppAccount(ctx context.Context, id string) (*models.WhatsAppAccount, error)
	CreateWhatsAppAccount(ctx context.Context, a *models.WhatsAppAccount, max int) error
	UpdateWhatsAppAccount(ctx context.Context, id string, p models.WhatsAppAccountPatch) (*models.WhatsAppAccount, error)
	SetWhatsAppAccountPhone(ctx context.Context, id, phone string) error
	DeleteWhatsAppAccount(ctx context.Context, id string) error
}

// Options configure a Registry.
type Options struct {
	// DataDir is Sambad's data directory; profiles live in
	// <DataDir>/whatsapp-session/<account id>/.
	DataDir string
	// Browser is the driver configuration every account shares; DataDir
	// and ProfileDir are set per account.
	Browser browser.Options
	// Max is how many accounts may exist (SAMBAD_MAX_ACCOUNTS); default 5.
	Max int
	// Idle is how long a browser runs without work before it stops
	// (SAMBAD_ACCOUNT_IDLE); default 10 minutes.
	Idle time.Duration
	// CheckEvery is how often idle browsers are stopped and wanted ones
	// started; default 5 s.
	CheckEvery time.Duration
	// InstallID is this install's id in hybrid mode ("" otherwise, or
	// while not known): accounts created here record it as their holder,
	// and only accounts held here (or by nobody) are driven here.
	InstallID func() string
	// Wanted lists the accounts running campaigns need now ("" stands for
	// the first account); nil wants none. Called every CheckEvery.
	Wanted func(ctx context.Context) []string
	// DefaultCap and the quiet hours are given to new accounts (the
	// Settings page's campaign defaults).
	DefaultCap       func() (cap int, quietStart, quietEnd string)
	NoAutoStartFirst bool // tests: do not start the first account in Open
}

// Registry holds the accounts and their browsers. It is safe for
// concurrent use.
type Registry struct {
	opts  Options
	store Store

	mu       sync.Mutex
	accounts map[string]*Account // held here, by id
	watchers []func(*Account)
	// firstID caches the first account held here: the engine asks for it
	// before every send. Only Create and Remove change it (rows pulled from
	// other installs are not held here).
	firstID string

	hub    statusHub
	cancel context.CancelFunc
	done   chan struct{}
}

// Open upgrades an old single-session data directory, loads the accounts
// held here (creating the first one on a fresh install), starts the first
// account's browser and the idle loop.
func Open(ctx context.Context, store Store, opts Options) (*Registry, error) {
	if opts.DataDir == "" {
		return nil, errors.New("accounts: no data directory configured")
	}
	if opts.Max <= 0 {
		opts.Max = 5
	}
	if opts.Idle <= 0 {
		opts.Idle = 10 * time.Minute
	}
	if opts.CheckEvery <= 0 {
		opts.CheckEvery = 5 * time.Second
	}
	if opts.InstallID == nil {
		opts.InstallID = func() string { return "" }
	}
	r := &Registry{opts: opts, store: store, accounts: map[string]*Account{}}
	if err := os.MkdirAll(r.root(), 0o700); err != nil {
		return nil, fmt.Errorf("accounts: unable to create %s: %w", r.root(), err)
	}
	if err := os.Chmod(r.root(), 0o700); err != nil {
		return nil, fmt.Errorf("accounts: unable to restrict %s to 0700: %w", r.root(), err)
	}
	if err := upgradeLegacyProfile(ctx, store, r.root(), opts.InstallID()); err != nil {
		return nil, err
	}
	rows, err := store.ListWhatsAppAccounts(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		a := r.newRow("WhatsApp")
		if err := store.CreateWhatsAppAccount(ctx, &a, opts.Max); err != nil {
			return nil, err
		}
		rows = append(rows, a)
	}
	for _, row := range rows {
		if r.heldHere(row) {
			r.accounts[row.ID] = r.newAccount(row)
		}
	}
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.cancel, r.done = cancel, make(chan struct{})
	go r.loop(lctx)
	if first := r.First(ctx); first != nil && !opts.NoAutoStartFirst {
		if err := first.Start(ctx); err != nil {
			logrus.WithFields(logrus.Fields{"account": first.ID(), "error": err}).Error("accounts: unable to start the first account")
		}
	}
	return r, nil
}

func (r *Registry) root() string { return filepath.Join(r.opts.DataDir, "whatsapp-session") }

// ProfileDir is account id's Chromium profile directory.
func (r *Registry) ProfileDir(id string) string { return filepath.Join(r.root(), id) }

func (r *Registry) heldHere(row models.WhatsAppAccount) bool {
	return row.HolderInstallID == "" || row.HolderInstallID == r.opts.InstallID()
}

func (r *Registry) newRow(name string) models.WhatsAppAccount {
	a := models.WhatsAppAccount{Name: name, HolderInstallID: r.opts.InstallID()}
	if r.opts.DefaultCap != nil {
		a.DailyCap, a.QuietStart, a.QuietEnd = r.opts.DefaultCap()
	}
	return a
}

func (r *Registry) newAccount(row models.WhatsAppAccount) *Account {
	bo := r.opts.Browser
	bo.DataDir = r.opts.DataDir
	bo.ProfileDir = r.ProfileDir(row.ID)
	ctx, cancel := context.WithCancel(context.Background())
	a := &Account{reg: r, id: row.ID, m: browser.NewManager(bo), ctx: ctx, cancel: cancel, asleep: true, phone: row.Phone}
	go a.follow()
	return a
}

// Watch calls fn for every account held here, now and as they are added
// (cli feeds each account's acks to the campaign engine this way); an
// account's Context ends when it is removed.
func (r *Registry) Watch(fn func(*Account)) {
	r.mu.Lock()
	r.watchers = append(r.watchers, fn)
	list := r.heldLocked()
	r.mu.Unlock()
	for _, a := range list {
		fn(a)
	}
}

func (r *Registry) heldLocked() []*Account {
	out := make([]*Account, 0, len(r.accounts))
	for _, a := range r.accounts {
		out = append(out, a)
	}
	return out
}

// List returns every account's row, first one first, including those held
// by another install.
func (r *Registry) List(ctx context.Context) ([]models.WhatsAppAccount, error) {
	return r.store.ListWhatsAppAccounts(ctx)
}

// Row returns account id's row (models.ErrNotFound when there is none).
func (r *Registry) Row(ctx context.Context, id string) (*models.WhatsAppAccount, error) {
	return r.store.GetWhatsAppAccount(ctx, id)
}

// Get returns the account held here with id, or nil.
func (r *Registry) Get(id string) *Account {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.accounts[id]
}

// Holds reports whether this install holds account id: its profile is on
// this install's disk and this registry drives it (the campaign engine's
// Options.HoldsAccount). An account held by another install is false.
func (r *Registry) Holds(id string) bool { return r.Get(id) != nil }

// First returns the first account held here (the one /api/v1/session and
// campaigns without accounts use), or nil when none is.
func (r *Registry) First(ctx context.Context) *Account {
	r.mu.Lock()
	if a := r.accounts[r.firstID]; a != nil {
		r.mu.Unlock()
		return a
	}
	r.mu.Unlock()
	rows, err := r.store.ListWhatsAppAccounts(ctx)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("accounts: unable to list accounts")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, row := range rows {
		if a := r.accounts[row.ID]; a != nil {
			r.firstID = row.ID
			return a
		}
	}
	for _, a := range r.accounts { // the database failed: any will do
		return a
	}
	return nil
}

// Create adds an account named name (held here) and starts its browser so
// it can be linked. Beyond Options.Max it fails with models.ErrTooManyAccounts.
func (r *Registry) Create(ctx context.Context, name string) (*Account, error) {
	row := r.newRow(name)
	if err := r.store.CreateWhatsAppAccount(ctx, &row, r.opts.Max); err != nil {
		return nil, err
	}
	a := r.newAccount(row)
	r.mu.Lock()
	r.accounts[row.ID] = a
	watchers := append([]func(*Account){}, r.watchers...)
	r.mu.Unlock()
	for _, fn := range watchers {
		fn(a)
	}
	logrus.WithFields(logrus.Fields{"account": row.ID}).Info("accounts: account added")
	if err := a.Start(ctx); err != nil {
		return a, err
	}
	return a, nil
}

// Update renames an account or changes its cap and quiet hours.
func (r *Registry) Update(ctx context.Context, id string, p models.WhatsAppAccountPatch) (*models.WhatsAppAccount, error) {
	return r.store.UpdateWhatsAppAccount(ctx, id, p)
}

// Remove stops account id's browser, deletes its row and then its profile
// directory (the session on this computer; the phone still lists the
// device until it is logged out there). The last account cannot be removed.
func (r *Registry) Remove(ctx context.Context, id string) error {
	row, err := r.store.GetWhatsAppAccount(ctx, id)
	if err != nil {
		return err
	}
	rows, err := r.store.ListWhatsAppAccounts(ctx)
	if err != nil {
		return err
	}
	if len(rows) <= 1 {
		return ErrLastAccount
	}
	if !r.heldHere(*row) {
		return ErrNotHere
	}
	a := r.Get(id)
	if a != nil {
		if err := a.m.Stop(ctx); err != nil {
			return fmt.Errorf("accounts: unable to stop the account's browser: %w", err)
		}
	}
	if err := r.store.DeleteWhatsAppAccount(ctx, id); err != nil {
		return err
	}
	r.mu.Lock()
	delete(r.accounts, id)
	if r.firstID == id {
		r.firstID = ""
	}
	r.mu.Unlock()
	if a != nil {
		a.cancel()
	}
	// id is a UUID (the store found it), so this stays inside the root.
	if err := os.RemoveAll(r.ProfileDir(row.ID)); err != nil {
		logrus.WithFields(logrus.Fields{"account": id, "error": err}).Error("accounts: unable to delete a removed account's profile")
		return fmt.Errorf("accounts: the account was removed but its profile could not be deleted: %w", err)
	}
	logrus.WithFields(logrus.Fields{"account": id}).Info("accounts: account removed with its profile")
	r.hub.publish(StatusEvent{AccountID: id, Removed: true})
	return nil
}

// Close stops the idle loop and every browser (flushing the profiles),
// bounded by ctx.
func (r *Registry) Close(ctx context.Context) error {
	if r.cancel != nil {
		r.cancel()
		<-r.done
	}
	r.mu.Lock()
	list := r.heldLocked()
	r.mu.Unlock()
	var errs []error
	for _, a := range list {
		if err := a.m.Stop(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
