package server

import (
	"context"
	"time"

	"github.com/sambad/sambad/models"
)

// Account is one WhatsApp account as the pages and API show it: its row
// and, when this install holds its profile, its live session.
type Account struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Phone      string `json:"phone"`
	DailyCap   int    `json:"daily_cap"`
	QuietStart string `json:"quiet_start"`
	QuietEnd   string `json:"quiet_end"`
	// HolderInstallID is the install holding the profile (hybrid mode).
	HolderInstallID string `json:"holder_install_id,omitempty"`
	Position        int    `json:"position"`
	// Here says this install drives the account (holds its profile).
	Here bool `json:"here"`
	// State is the session's state (the names of /api/v1/session).
	State   string        `json:"state"`
	Session SessionStatus `json:"session"`
	// SentToday counts messages sent through the account since midnight.
	SentToday int64     `json:"sent_today"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// AccountRefusal is an account action refused for a reason a person can
// act on (the last account, an account held by another install): 409.
type AccountRefusal struct{ Message string }

func (e *AccountRefusal) Error() string { return e.Message }

// Accounts is what the server needs from the registry of WhatsApp
// accounts. Not found is models.ErrNotFound; over the limit
// models.ErrTooManyAccounts.
type Accounts interface {
	List(ctx context.Context) ([]Account, error)
	Get(ctx context.Context, id string) (Account, error)
	// Create adds an account and starts its browser so it can be linked.
	Create(ctx context.Context, name string) (Account, error)
	Update(ctx context.Context, id string, p models.WhatsAppAccountPatch) (Account, error)
	// Remove stops the account's browser and deletes its row and profile.
	Remove(ctx context.Context, id string) error
	// Session is the account's session, nil when this install does not
	// hold it.
	Session(id string) WhatsApp
	// Subscribe delivers the id of each account whose session changed (or
	// that was removed) until cancel is called.
	Subscribe() (ids <-chan string, cancel func())
}
