package models

import "time"

// Number check states.
const (
	NumberCheckQueued  = "queued"
	NumberCheckRunning = "running"
	// NumberCheckWaiting: WhatsApp is not ready (not linked, phone offline,
	// conflict); the job goes on by itself once it is.
	NumberCheckWaiting   = "waiting"
	NumberCheckDone      = "done"
	NumberCheckCancelled = "cancelled"
)

// NumberCheckActive lists the states of a job that is not finished: the
// runner picks them up again after a restart.
var NumberCheckActive = []string{NumberCheckQueued, NumberCheckRunning, NumberCheckWaiting}

// Results of one number of a check.
const (
	NumberPending     = "pending"
	NumberOnWhatsApp  = "on_whatsapp"
	NumberNotOnWA     = "not_on_whatsapp"
	NumberCheckFailed = "error" // the check could not tell; the contact keeps what was known
)

// MaxNumberCheck is how many numbers one check job may hold.
const MaxNumberCheck = 1000

// NumberCheck is a job that checks numbers on WhatsApp one by one, paced
// like a campaign.
type NumberCheck struct {
	ID         string     `gorm:"primaryKey" json:"id"`
	State      string     `json:"state"`
	AccountID  string     `json:"account_id"`
	Pacing     Pacing     `gorm:"type:text" json:"pacing"`
	Total      int        `json:"total"`
	Detail     string     `json:"detail,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	UpdatedAt  time.Time  `json:"updated_at"`

	// Counts is how many numbers have each result (filled by GetNumberCheck).
	Counts NumberCheckCounts `gorm:"-" json:"counts"`
}

// NumberCheckCounts is how many numbers of a check have each result.
type NumberCheckCounts struct {
	Pending       int `json:"pending"`
	OnWhatsApp    int `json:"on_whatsapp"`
	NotOnWhatsApp int `json:"not_on_whatsapp"`
	Errors        int `json:"error"`
}

// Done is how many numbers were checked (or could not be).
func (c NumberCheckCounts) Done() int { return c.OnWhatsApp + c.NotOnWhatsApp + c.Errors }

// Finished reports whether the job will do nothing more.
func (n *NumberCheck) Finished() bool {
	return n.State == NumberCheckDone || n.State == NumberCheckCancelled
}

// Percent is the share of numbers checked, 0 to 100.
func (n *NumberCheck) Percent() int {
	if n.Total == 0 {
		return 100
	}
	return n.Counts.Done() * 100 / n.Total
}

// TableName implements gorm's Tabler.
func (NumberCheck) TableName() string { return "number_checks" }

// NumberCheckItem is one number of a check and what was found.
type NumberCheckItem struct {
	CheckID   string     `json:"-"`
	Seq       int        `json:"seq"`
	ContactID string     `json:"contact_id,omitempty"`
	Phone     string     `json:"phone"`
	Result    string     `json:"result"`
	Error     string     `json:"error,omitempty"`
	CheckedAt *time.Time `json:"checked_at,omitempty"`
}

// TableName implements gorm's Tabler.
func (NumberCheckItem) TableName() string { return "number_check_items" }
