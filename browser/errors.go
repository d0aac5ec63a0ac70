package browser

import "errors"

var (
	// ErrNotReady means WhatsApp Web is not linked and ready (starting, QR,
	// conflict, phone offline, restarting, stopped); nothing was done.
	ErrNotReady = errors.New("browser: WhatsApp is not ready")
	// ErrInvalidNumber means WhatsApp said the number is not on WhatsApp; nothing was sent.
	ErrInvalidNumber = errors.New("browser: the phone number is not on WhatsApp")
	// ErrBrowserDied means the browser died while the command ran. For a send
	// the message may or may not have gone out: reconcile with RecentOutgoing.
	ErrBrowserDied = errors.New("browser: the browser died during the command")
	// ErrTimeout means a bounded wait ran out. For a send after the click the
	// message may still go out: reconcile with RecentOutgoing.
	ErrTimeout = errors.New("browser: timed out")
	// ErrBadPhone means the phone number could not be used in a URL.
	ErrBadPhone = errors.New("browser: invalid phone number")
	// ErrStopped means the manager is not running.
	ErrStopped = errors.New("browser: the session is stopped")
)
