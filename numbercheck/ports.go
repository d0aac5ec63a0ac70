package numbercheck

import (
	"context"
	"errors"

	"github.com/sambad/sambad/models"
)

// ErrNotReady is what Checker.Check wraps when the account cannot check
// now (not linked, phone offline, browser restarting): the job waits.
var ErrNotReady = errors.New("WhatsApp is not ready")

// ErrUnknownAccount is what Checker.ValidAccount wraps for an account id
// that names no account able to check numbers.
var ErrUnknownAccount = errors.New("no such WhatsApp account")

// Checker is the WhatsApp side: it asks one account whether a number is on
// WhatsApp. The accounts work plugs in here; today there is one account.
type Checker interface {
	// Check reports whether phone (E.164) is on WhatsApp, asked through the
	// account accountID ("" is the first account). It sends nothing.
	Check(ctx context.Context, accountID, phone string) (bool, error)
	// ValidAccount returns nil when accountID ("" is the first account)
	// names an account that can check numbers, else an error wrapping
	// ErrUnknownAccount whose text a person can act on.
	ValidAccount(ctx context.Context, accountID string) error
	// NotReadyReason says, in words, why the account cannot check now.
	NotReadyReason(accountID string) string
}

// Store is what the runner needs of the database (models.Store).
type Store interface {
	CreateNumberCheck(ctx context.Context, n *models.NumberCheck, items []models.NumberCheckItem) error
	GetNumberCheck(ctx context.Context, id string) (*models.NumberCheck, error)
	NextNumberCheck(ctx context.Context) (*models.NumberCheck, error)
	NextPendingNumber(ctx context.Context, id string) (*models.NumberCheckItem, error)
	RecordNumber(ctx context.Context, item *models.NumberCheckItem, result, reason string) error
	MoveNumberCheck(ctx context.Context, id, state, detail string) error
}

var _ Store = (*models.Store)(nil)
