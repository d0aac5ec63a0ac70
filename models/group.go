package models

import "time"

// Group is a named set of contacts; deleting it keeps the contacts.
type Group struct {
	ID          string    `gorm:"primaryKey" json:"id"`
	Name        string    `json:"name"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	MemberCount int64     `gorm:"->;-:migration" json:"member_count"`
}

// TableName implements gorm's Tabler.
func (Group) TableName() string { return "contact_groups" }

// GroupMember links a contact to a group.
type GroupMember struct {
	GroupID   string `gorm:"primaryKey"`
	ContactID string `gorm:"primaryKey"`
	CreatedAt time.Time
}
