package models

import (
	"database/sql/driver"
	"encoding/json"
	"time"
)

// Campaign states.
const (
	CampaignDraft     = "draft"
	CampaignScheduled = "scheduled"
	CampaignRunning   = "running"
	CampaignPaused    = "paused"
	CampaignCompleted = "completed"
	CampaignStopped   = "stopped"
	CampaignFailed    = "failed"
)

// Reasons a campaign is paused.
const (
	PauseUser     = "user"
	PauseWhatsApp = "whatsapp"
	PauseFailures = "failures"
	PauseShutdown = "shutdown"
)

// Recipient states.
const (
	RecipientPending   = "pending"
	RecipientSending   = "sending"
	RecipientSent      = "sent"
	RecipientDelivered = "delivered"
	RecipientRead      = "read"
	RecipientInvalid   = "invalid_number"
	RecipientFailed    = "failed"
	RecipientUnknown   = "unknown"
	// RecipientSkipped is never sent to: the campaign skips numbers known
	// not to be on WhatsApp. Set when the plan is written, never changed.
	RecipientSkipped = "skipped"
)

// RecipientStates lists every recipient state in display order.
var RecipientStates = []string{RecipientPending, RecipientSending, RecipientSent, RecipientDelivered,
	RecipientRead, RecipientInvalid, RecipientFailed, RecipientUnknown, RecipientSkipped}

// ValidRecipientState reports whether s names a recipient state.
func ValidRecipientState(s string) bool {
	for _, v := range RecipientStates {
		if v == s {
			return true
		}
	}
	return false
}

// Pacing says how fast a campaign sends. Delays are in milliseconds so tests
// can run campaigns quickly; the page offers presets in seconds.
type Pacing struct {
	Preset      string `json:"preset,omitempty"`
	MinDelayMS  int64  `json:"min_delay_ms"`
	MaxDelayMS  int64  `json:"max_delay_ms"`
	PauseEvery  int    `json:"pause_every,omitempty"`  // a longer pause after this many messages; 0 = never
	PauseMS     int64  `json:"pause_ms,omitempty"`     // how long that pause is
	DailyCap    int    `json:"daily_cap,omitempty"`    // messages per day for the WhatsApp account; 0 = no cap
	QuietStart  string `json:"quiet_start,omitempty"`  // "22:00": no sending from here ...
	QuietEnd    string `json:"quiet_end,omitempty"`    // ... until "08:00", in the configured time zone
	MaxFailures int    `json:"max_failures,omitempty"` // auto-pause after this many failures in a row; 0 = 5
}

// Value implements driver.Valuer.
func (p Pacing) Value() (driver.Value, error) {
	b, err := json.Marshal(p)
	return string(b), err
}

// Scan implements sql.Scanner.
func (p *Pacing) Scan(v any) error {
	*p = Pacing{}
	return scanJSON(v, p, "pacing")
}

// Campaign is a message sent to an audience at a chosen pace.
type Campaign struct {
	ID          string     `gorm:"primaryKey" json:"id"`
	Name        string     `json:"name"`
	Template    string     `json:"template"`
	State       string     `json:"state"`
	PauseReason string     `json:"pause_reason,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	Pacing      Pacing     `gorm:"type:text" json:"pacing"`
	ScheduledAt *time.Time `json:"scheduled_at,omitempty"`
	Run         int        `json:"run"`
	Planned     int64      `json:"planned"`
	OptedOut    int64      `gorm:"column:opted_out" json:"opted_out"`
	// SkipNotOnWhatsApp leaves out, as "skipped" recipients, the contacts a
	// number check found not to be on WhatsApp.
	SkipNotOnWhatsApp bool       `gorm:"column:skip_not_on_whatsapp" json:"skip_not_on_whatsapp"`
	StartedAt         *time.Time `json:"started_at,omitempty"`
	FinishedAt        *time.Time `json:"finished_at,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`

	// AccountIDs are the WhatsApp accounts the campaign sends through:
	// empty is the first account, one id that account, several a rotation.
	AccountIDs IDList `gorm:"column:account_ids;type:text" json:"account_ids"`

	// CaptionMode is how the message goes with the files: CaptionFirstFile
	// or CaptionSeparate.
	CaptionMode string `json:"caption_mode"`

	GroupIDs   []string `gorm:"-" json:"group_ids"`
	ContactIDs []string `gorm:"-" json:"contact_ids"`
	// MediaIDs are the files sent after (or with) the message, in order.
	MediaIDs []string `gorm:"-" json:"media_ids"`
}

// Caption modes of a campaign with files.
const (
	// CaptionFirstFile: the personalised message is the first file's caption.
	CaptionFirstFile = "first_file"
	// CaptionSeparate: the message is a text of its own, before the files.
	CaptionSeparate = "separate"
)

// MaxCampaignFiles is how many files one campaign may send.
const MaxCampaignFiles = 10

// CampaignRun is one pass over a campaign's recipients: the first start, then
// one per "retry failed".
type CampaignRun struct {
	CampaignID string     `json:"-"`
	Run        int        `json:"run"`
	Kind       string     `json:"kind"` // "full" or "retry"
	Recipients int64      `json:"recipients"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// Recipient is one frozen message of a campaign.
type Recipient struct {
	CampaignID  string     `json:"-"`
	Seq         int64      `json:"seq"`
	ContactID   string     `json:"contact_id"`
	Phone       string     `json:"phone"`
	Name        string     `json:"name"`
	Body        string     `json:"text"`
	State       string     `json:"state"`
	Run         int        `json:"run"`
	MessageID   string     `json:"message_id,omitempty"`
	Error       string     `json:"error,omitempty"`
	SentAt      *time.Time `json:"sent_at,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	ReadAt      *time.Time `json:"read_at,omitempty"`
	// AccountID is the WhatsApp account that claimed the recipient for
	// sending (written with the claim); "" before, or when unknown.
	AccountID string `json:"account_id,omitempty"`
}

// TableName implements gorm's Tabler.
func (Recipient) TableName() string { return "campaign_recipients" }

// TableName implements gorm's Tabler.
func (CampaignRun) TableName() string { return "campaign_runs" }

// StateCounts is how many recipients are in each state.
type StateCounts map[string]int64

// Total is the number of recipients.
func (c StateCounts) Total() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

// Done is how many recipients need nothing more from the runner.
func (c StateCounts) Done() int64 {
	return c.Total() - c[RecipientPending] - c[RecipientSending]
}

// Sent is how many messages went out (sent, delivered or read).
func (c StateCounts) Sent() int64 {
	return c[RecipientSent] + c[RecipientDelivered] + c[RecipientRead]
}
