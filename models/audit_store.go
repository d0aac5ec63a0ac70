package models

import (
	"context"
	"fmt"
	"time"
)

// AuditEntry is one line of the audit log: who did what, when and from
// where. Detail never holds a secret (passwords, tokens).
type AuditEntry struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	UserID    string    `json:"user_id"`
	UserName  string    `json:"user"`
	Action    string    `json:"action"`
	Detail    string    `json:"detail"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"user_agent"`
}

// TableName is the table of the audit log.
func (AuditEntry) TableName() string { return "auth_audit" }

// AuditFilter selects a page of the audit log.
type AuditFilter struct {
	User    string // a user name, any case; "" for everyone
	Action  string // an action, or a prefix ending in "." ("campaign."); "" for all
	Page    int    // from 1
	PerPage int
}

// AddAudit writes one entry.
func (s *Store) AddAudit(ctx context.Context, e *AuditEntry) error {
	if e.ID == "" {
		e.ID = NewID()
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC()
	if err := s.db.WithContext(ctx).Create(e).Error; err != nil {
		return fmt.Errorf("store: unable to write the audit log: %w", err)
	}
	return nil
}

// ListAudit returns a page of entries, newest first, and how many match.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int64, error) {
	if f.PerPage <= 0 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	q := s.db.WithContext(ctx).Model(&AuditEntry{})
	if f.User != "" {
		q = q.Where("lower(user_name) = lower(?)", f.User)
	}
	switch {
	case f.Action == "":
	case f.Action[len(f.Action)-1] == '.':
		q = q.Where("substr(action, 1, ?) = ?", len(f.Action), f.Action)
	default:
		q = q.Where("action = ?", f.Action)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to count the audit log: %w", err)
	}
	var out []AuditEntry
	err := q.Order("at DESC, id DESC").Offset((f.Page - 1) * f.PerPage).Limit(f.PerPage).Find(&out).Error
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to read the audit log: %w", err)
	}
	return out, total, nil
}
