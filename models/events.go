package models

import (
	"context"
	"fmt"
	"time"
)

// Event kinds. Campaign events are written by a database trigger on every
// change of a campaign's state (migration 00011); the others by RecordEvent.
const (
	EventCampaign = "campaign"
	EventImport   = "import"
	EventWhatsApp = "whatsapp"
	EventBackup   = "backup"
)

// Event is one line of the home page's activity feed.
type Event struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"`
	SubjectID string    `json:"subject_id,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	State     string    `json:"state,omitempty"`
	PrevState string    `json:"prev_state,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// RecordEvent adds an event to the activity feed, timed by the store's clock.
func (s *Store) RecordEvent(ctx context.Context, e Event) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	_, err := s.sqlDB().ExecContext(ctx, s.q.EventInsert, e.At.UTC(), e.Kind, e.SubjectID, e.Subject, e.State, e.PrevState, e.Detail)
	if err != nil {
		return fmt.Errorf("store: unable to record an event: %w", err)
	}
	return nil
}

// RecentEvents returns the newest events first, at most limit.
func (s *Store) RecentEvents(ctx context.Context, limit int) ([]Event, error) {
	rows, err := s.sqlDB().QueryContext(ctx, s.q.EventsRecent, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list events: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.At, &e.Kind, &e.SubjectID, &e.Subject, &e.State, &e.PrevState, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: unable to list events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
