package wasim

import "time"

// Default timings, close to what the real site shows.
const (
	DefaultLoadingDuration = 1500 * time.Millisecond
	DefaultFirstQRLifetime = 60 * time.Second
	DefaultNextQRLifetime  = 20 * time.Second
	DefaultQRRotations     = 5
	DefaultPollInterval    = 250 * time.Millisecond
)

// Send icons the page can use on its send button.
const (
	SendIconClassic = "send"
	SendIconFilled  = "wds-ic-send-filled"
)

// Options configure a Server. Zero values mean the defaults above.
type Options struct {
	// LoadingDuration is how long the loading screen (progress bar) lasts on
	// every page load.
	LoadingDuration time.Duration
	// FirstQRLifetime is how long the first QR code of a series is shown.
	FirstQRLifetime time.Duration
	// NextQRLifetime is how long each following QR code is shown.
	NextQRLifetime time.Duration
	// QRRotations is how many times the QR code changes before the series
	// expires and the reload button appears (a series shows QRRotations+1
	// codes).
	QRRotations int
	// Acks is the initial ack policy for sent messages.
	Acks AckPolicy
	// SendIcon is the data-icon of the send button's span: SendIconClassic
	// ("send", default) or SendIconFilled ("wds-ic-send-filled").
	SendIcon string
	// ReadMoreAfter, when positive, cuts bubbles longer than this many
	// characters and adds a "Read more" button (div[role=button]) that shows
	// the rest, as the real page does for long messages (its exact threshold
	// is not known). Zero shows every bubble in full.
	ReadMoreAfter int
	// PollInterval is how often the page asks the server for updates (QR,
	// acks, logout, conflict, offline).
	PollInterval time.Duration
	// Timing is the compose timing of the chat view (late handlers, late
	// text= fill, kept drafts, slow history); on unless Timing.Off.
	Timing Timing
}

// AckPolicy decides when an accepted message gets each ack. Durations are
// counted from the moment the server accepted the message.
type AckPolicy struct {
	// SentAfter is the delay before the single tick (" Sent ").
	SentAfter time.Duration `json:"-"`
	// DeliveredAfter is the delay before the double grey tick (" Delivered ").
	// Negative means never.
	DeliveredAfter time.Duration `json:"-"`
	// ReadAfter is the delay before the blue ticks (" Read "). Negative means
	// never.
	ReadAfter time.Duration `json:"-"`
	// Drop makes the server ignore sent messages: they stay on the clock
	// forever and never reach the ledger.
	Drop bool `json:"drop"`
}

// DefaultAcks is the ack policy used when Options.Acks is zero.
var DefaultAcks = AckPolicy{
	SentAfter:      300 * time.Millisecond,
	DeliveredAfter: 1200 * time.Millisecond,
	ReadAfter:      3 * time.Second,
}

func (o Options) withDefaults() Options {
	if o.LoadingDuration <= 0 {
		o.LoadingDuration = DefaultLoadingDuration
	}
	if o.FirstQRLifetime <= 0 {
		o.FirstQRLifetime = DefaultFirstQRLifetime
	}
	if o.NextQRLifetime <= 0 {
		o.NextQRLifetime = DefaultNextQRLifetime
	}
	if o.QRRotations <= 0 {
		o.QRRotations = DefaultQRRotations
	}
	if o.Acks == (AckPolicy{}) {
		o.Acks = DefaultAcks
	}
	if o.SendIcon == "" {
		o.SendIcon = SendIconClassic
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	o.Timing = o.Timing.withDefaults()
	return o
}
