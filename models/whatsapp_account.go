package models

import (
	"database/sql/driver"
	"encoding/json"
	"time"
)

// WhatsAppAccount is one linked WhatsApp number. Its Chromium profile lives
// under <data dir>/whatsapp-session/<ID>/ on the install that holds it and
// never leaves that disk; this row is what every install may know of it.
type WhatsAppAccount struct {
	ID   string `gorm:"primaryKey" json:"id"`
	Name string `json:"name"`
	// Phone is the linked number (E.164) as read from the page once
	// linked; "" before. A hint for people, never a key.
	Phone string `json:"phone"`
	// DailyCap is messages a day through this account; 0 means no cap.
	DailyCap int `json:"daily_cap"`
	// QuietStart and QuietEnd are HH:MM quiet hours; both "" for none.
	QuietStart string `json:"quiet_start"`
	QuietEnd   string `json:"quiet_end"`
	// HolderInstallID is, in hybrid mode, the install whose disk holds the
	// profile: only it drives the account. "" outside hybrid mode.
	HolderInstallID string    `gorm:"column:holder_install_id" json:"holder_install_id,omitempty"`
	Position        int       `json:"position"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// TableName is whatsapp_accounts.
func (WhatsAppAccount) TableName() string { return "whatsapp_accounts" }

// IDList is a list of ids kept as a JSON array in one text column (a
// campaign's account_ids).
type IDList []string

// Value implements driver.Valuer; nil is stored as [].
func (l IDList) Value() (driver.Value, error) {
	if l == nil {
		l = IDList{}
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Scan implements sql.Scanner.
func (l *IDList) Scan(v any) error {
	*l = nil
	return scanJSON(v, (*[]string)(l), "id list")
}
