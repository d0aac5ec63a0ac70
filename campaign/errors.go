package campaign

import (
	"errors"
	"net/http"

	"github.com/sambad/sambad/models"
)

// Error is an error a person should read: Message is shown as it is, with
// Status as the HTTP status. Err is the cause (errors.Is and errors.As see
// through to it). The engine's methods return every error a person can act
// on as an *Error; any other error is Sambad's own, for error.log.
type Error struct {
	Status  int
	Message string
	Err     error
}

// Error returns the message for the person.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Messages for the lease and cloud errors, which carry no user text of their own.
const (
	msgLeaseHeld   = "Another install is starting or sending this campaign; it shows here as it goes."
	msgCloudNeeded = "Starting a campaign in hybrid mode needs the cloud database, so that two installs never start it twice, and it cannot be reached now. Try again once the sync page shows it connected."
)

// UserError returns err as an *Error when it is one a person can act on
// (a template mistake, a state the action does not fit, invalid input, a
// campaign that does not exist, a lease held elsewhere, the cloud out of
// reach), and nil otherwise.
func UserError(err error) *Error {
	if err == nil {
		return nil
	}
	var (
		ue *Error
		te *TemplateError
		se *models.StateError
		ve *models.ValidationError
	)
	switch {
	case errors.As(err, &ue):
		return ue
	case errors.As(err, &te):
		return &Error{Status: http.StatusUnprocessableEntity, Message: te.Error(), Err: err}
	case errors.As(err, &se):
		return &Error{Status: http.StatusConflict, Message: se.Error(), Err: err}
	case errors.Is(err, models.ErrDuplicate) && errors.As(err, &ve):
		return &Error{Status: http.StatusConflict, Message: ve.Error(), Err: err}
	case errors.As(err, &ve):
		return &Error{Status: http.StatusUnprocessableEntity, Message: ve.Error(), Err: err}
	case errors.Is(err, models.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Message: "not found", Err: err}
	case errors.Is(err, ErrLeaseHeld):
		return &Error{Status: http.StatusConflict, Message: msgLeaseHeld, Err: err}
	case errors.Is(err, ErrCloudNeeded):
		return &Error{Status: http.StatusServiceUnavailable, Message: msgCloudNeeded, Err: err}
	}
	return nil
}

// userError is what the engine's methods return: err as an *Error when a
// person can act on it, unchanged otherwise.
func userError(err error) error {
	if ue := UserError(err); ue != nil {
		return ue
	}
	return err
}
