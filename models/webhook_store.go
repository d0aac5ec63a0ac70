package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// WebhookEventTypes lists every event a webhook can ask for, in the order
// the Webhooks page shows them. The outbox rows are written by database
// triggers (migration 00012) while at least one endpoint is registered, on
// or off; webhook.test is only ever sent by hand.
var WebhookEventTypes = []string{
	"message.sent", "message.delivered", "message.read", "message.failed",
	"campaign.started", "campaign.paused", "campaign.resumed", "campaign.completed", "campaign.stopped",
	"campaign.failed", "session.state", "import.completed",
}

// Webhook is an endpoint that events are posted to.
type Webhook struct {
	ID             string     `json:"id"`
	URL            string     `json:"url"`
	Events         []string   `json:"events"` // empty: every event
	Secret         string     `json:"secret"`
	Enabled        bool       `json:"enabled"`
	LastEventID    int64      `json:"last_event_id"`
	Failures       int        `json:"failures"`
	NextAttemptAt  *time.Time `json:"next_attempt_at"`
	DisabledReason string     `json:"disabled_reason"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Wants reports whether the endpoint asked for events of this type.
func (w *Webhook) Wants(eventType string) bool {
	if len(w.Events) == 0 {
		return true
	}
	for _, e := range w.Events {
		if e == eventType {
			return true
		}
	}
	return false
}

// WebhookEvent is one row of the outbox.
type WebhookEvent struct {
	ID      int64
	Type    string
	At      time.Time
	Payload string // JSON object
}

// WebhookDelivery is one attempt to post an event, for the delivery log.
type WebhookDelivery struct {
	ID         int64     `json:"id"`
	EndpointID string    `json:"endpoint_id"`
	EventID    int64     `json:"event_id"`
	EventType  string    `json:"event_type"`
	At         time.Time `json:"at"`
	Source     string    `json:"source"` // "", "again" or "test"
	OK         bool      `json:"ok"`
	Status     int       `json:"status"`
	LatencyMS  int64     `json:"latency_ms"`
	Error      string    `json:"error"`
	Response   string    `json:"response"`
}

// WebhookInput is what a person sets on an endpoint; nil fields of a patch
// are left as they are.
type WebhookInput struct {
	URL     *string
	Events  []string // nil: unchanged
	Secret  *string
	Enabled *bool
}

// checkWebhookEvents refuses unknown event names, naming the first.
func checkWebhookEvents(events []string) error {
	for _, e := range events {
		known := false
		for _, k := range WebhookEventTypes {
			known = known || k == e
		}
		if !known {
			return &ValidationError{Field: "events", Message: fmt.Sprintf("%q is not an event; use %s", e, strings.Join(WebhookEventTypes, ", "))}
		}
	}
	return nil
}

// scanWebhook reads a row of the webhook, webhooks and webhooks-due queries.
func scanWebhook(sc interface{ Scan(...any) error }) (*Webhook, error) {
	var (
		w      Webhook
		events string
		next   sql.NullTime
	)
	if err := sc.Scan(&w.ID, &w.URL, &events, &w.Secret, &w.Enabled, &w.LastEventID, &w.Failures, &next,
		&w.DisabledReason, &w.CreatedAt, &w.UpdatedAt); err != nil {
		return nil, err
	}
	w.Events = []string{}
	if events != "" {
		w.Events = strings.Split(events, ",")
	}
	if next.Valid {
		t := next.Time
		w.NextAttemptAt = &t
	}
	return &w, nil
}

// CreateWebhook stores a new endpoint. The URL must already be checked (the
// webhook package knows which addresses are allowed). It starts after the
// newest event in the outbox: an endpoint gets what happens from now on.
func (s *Store) CreateWebhook(ctx context.Context, url, secret string, events []string, enabled bool) (*Webhook, error) {
	if err := checkWebhookEvents(events); err != nil {
		return nil, err
	}
	now := s.now()
	id := NewID()
	_, err := s.sqlDB().ExecContext(ctx, s.q.WebhookCreate,
		id, url, strings.Join(events, ","), secret, enabled, now, now)
	if err != nil {
		return nil, fmt.Errorf("store: unable to create a webhook: %w", err)
	}
	return s.Webhook(ctx, id)
}

// Webhook returns one endpoint; ErrNotFound when there is none.
func (s *Store) Webhook(ctx context.Context, id string) (*Webhook, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: webhook %q: %w", id, ErrNotFound)
	}
	w, err := scanWebhook(s.sqlDB().QueryRowContext(ctx, s.q.Webhook, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: webhook %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a webhook: %w", err)
	}
	return w, nil
}

// Webhooks lists every endpoint, oldest first.
func (s *Store) Webhooks(ctx context.Context) ([]*Webhook, error) {
	return s.queryWebhooks(ctx, s.q.Webhooks)
}

// EnabledWebhooks counts the endpoints switched on.
func (s *Store) EnabledWebhooks(ctx context.Context) (int, error) {
	var n int
	if err := s.sqlDB().QueryRowContext(ctx, s.q.WebhooksEnabledCount).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: unable to count webhooks: %w", err)
	}
	return n, nil
}

// DueWebhooks lists the switched-on endpoints whose backoff has run out.
func (s *Store) DueWebhooks(ctx context.Context, now time.Time) ([]*Webhook, error) {
	return s.queryWebhooks(ctx, s.q.WebhooksDue, now.UTC())
}

func (s *Store) queryWebhooks(ctx context.Context, q string, args ...any) ([]*Webhook, error) {
	rows, err := s.sqlDB().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list webhooks: %w", err)
	}
	defer rows.Close()
	out := []*Webhook{}
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, fmt.Errorf("store: unable to list webhooks: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// UpdateWebhook changes the fields set in in. Switching an endpoint on
// clears its failure count and the notice of why it was switched off; it
// then catches up on the events it missed.
func (s *Store) UpdateWebhook(ctx context.Context, id string, in WebhookInput) (*Webhook, error) {
	w, err := s.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.Events != nil {
		if err := checkWebhookEvents(in.Events); err != nil {
			return nil, err
		}
		w.Events = in.Events
	}
	if in.URL != nil {
		w.URL = *in.URL
	}
	if in.Secret != nil {
		w.Secret = *in.Secret
	}
	if in.Enabled != nil {
		if *in.Enabled && !w.Enabled {
			w.Failures, w.DisabledReason, w.NextAttemptAt = 0, "", nil
		}
		w.Enabled = *in.Enabled
	}
	_, err = s.sqlDB().ExecContext(ctx, s.q.WebhookUpdate,
		w.URL, strings.Join(w.Events, ","), w.Secret, w.Enabled, w.Failures, w.DisabledReason, w.NextAttemptAt, s.now(), id)
	if err != nil {
		return nil, fmt.Errorf("store: unable to update a webhook: %w", err)
	}
	return s.Webhook(ctx, id)
}

// DeleteWebhook removes an endpoint and its delivery log.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	if _, err := s.Webhook(ctx, id); err != nil {
		return err
	}
	if _, err := s.sqlDB().ExecContext(ctx, s.q.WebhookDeleteDeliveries, id); err != nil {
		return fmt.Errorf("store: unable to delete a webhook: %w", err)
	}
	if _, err := s.sqlDB().ExecContext(ctx, s.q.WebhookDelete, id); err != nil {
		return fmt.Errorf("store: unable to delete a webhook: %w", err)
	}
	return nil
}

// WebhookEventsAfter returns up to limit outbox events after id, oldest first.
func (s *Store) WebhookEventsAfter(ctx context.Context, after int64, limit int) ([]WebhookEvent, error) {
	rows, err := s.sqlDB().QueryContext(ctx, s.q.WebhookEventsAfter, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read webhook events: %w", err)
	}
	defer rows.Close()
	var out []WebhookEvent
	for rows.Next() {
		var e WebhookEvent
		if err := rows.Scan(&e.ID, &e.Type, &e.At, &e.Payload); err != nil {
			return nil, fmt.Errorf("store: unable to read webhook events: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// WebhookEventByID returns one outbox event; ErrNotFound once it is pruned.
func (s *Store) WebhookEventByID(ctx context.Context, id int64) (*WebhookEvent, error) {
	var e WebhookEvent
	err := s.sqlDB().QueryRowContext(ctx, s.q.WebhookEvent, id).
		Scan(&e.ID, &e.Type, &e.At, &e.Payload)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: webhook event %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a webhook event: %w", err)
	}
	return &e, nil
}

// AdvanceWebhook moves an endpoint past eventID: delivered, not wanted or
// given up. The delivery (nil for a skip) is logged in the same statement
// batch, and the failure count starts again.
func (s *Store) AdvanceWebhook(ctx context.Context, id string, eventID int64, d *WebhookDelivery) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if d != nil {
			if err := insertDelivery(tx, s, d); err != nil {
				return err
			}
		}
		return tx.Exec(s.q.WebhookAdvance, eventID, id, eventID).Error
	})
}

// FailWebhook logs a failed delivery, counts it and sets when to try again.
// At maxFailures consecutive failures the endpoint is switched off with a
// reason the Webhooks page shows; the result says whether that happened.
func (s *Store) FailWebhook(ctx context.Context, id string, d *WebhookDelivery, next time.Time, maxFailures int) (bool, error) {
	var disabled bool
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := insertDelivery(tx, s, d); err != nil {
			return err
		}
		if err := tx.Exec(s.q.WebhookFail,
			next.UTC(), id).Error; err != nil {
			return err
		}
		tries := fmt.Sprintf("%d failed deliveries in a row", maxFailures)
		if maxFailures == 1 {
			tries = "a failed delivery"
		}
		reason := fmt.Sprintf("Switched off after %s (last: %s). Fix the receiver, then switch it on: it resumes with the events it missed.",
			tries, d.summary())
		res := tx.Exec(s.q.WebhookSwitchOff, false, reason, s.now(), id, maxFailures)
		disabled = res.RowsAffected > 0
		return res.Error
	})
	if err != nil {
		return false, fmt.Errorf("store: unable to record a webhook failure: %w", err)
	}
	return disabled, nil
}

func (d *WebhookDelivery) summary() string {
	if d.Error != "" {
		return d.Error
	}
	return fmt.Sprintf("HTTP %d", d.Status)
}

// RecordWebhookDelivery logs a delivery made by hand ("send again", test).
func (s *Store) RecordWebhookDelivery(ctx context.Context, d *WebhookDelivery) error {
	if err := insertDelivery(s.db.WithContext(ctx), s, d); err != nil {
		return fmt.Errorf("store: unable to log a webhook delivery: %w", err)
	}
	return nil
}

func insertDelivery(tx *gorm.DB, s *Store, d *WebhookDelivery) error {
	if d.At.IsZero() {
		d.At = s.now()
	}
	return tx.Raw(s.q.WebhookDeliveryInsert, d.EndpointID, d.EventID, d.EventType, d.At.UTC(), d.Source, d.OK, d.Status,
		d.LatencyMS, d.Error, d.Response).Scan(&d.ID).Error
}

// WebhookDeliveries returns an endpoint's newest deliveries first.
func (s *Store) WebhookDeliveries(ctx context.Context, endpointID string, limit int) ([]WebhookDelivery, error) {
	rows, err := s.sqlDB().QueryContext(ctx, s.q.WebhookDeliveries, endpointID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list webhook deliveries: %w", err)
	}
	defer rows.Close()
	out := []WebhookDelivery{}
	for rows.Next() {
		var d WebhookDelivery
		if err := rows.Scan(&d.ID, &d.EndpointID, &d.EventID, &d.EventType, &d.At, &d.Source, &d.OK, &d.Status,
			&d.LatencyMS, &d.Error, &d.Response); err != nil {
			return nil, fmt.Errorf("store: unable to list webhook deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// WebhookDeliveryByID returns one logged delivery of an endpoint.
func (s *Store) WebhookDeliveryByID(ctx context.Context, endpointID string, id int64) (*WebhookDelivery, error) {
	var d WebhookDelivery
	err := s.sqlDB().QueryRowContext(ctx, s.q.WebhookDelivery, endpointID, id).
		Scan(&d.ID, &d.EndpointID, &d.EventID, &d.EventType, &d.At, &d.Source, &d.OK, &d.Status, &d.LatencyMS, &d.Error, &d.Response)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: webhook delivery %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a webhook delivery: %w", err)
	}
	return &d, nil
}

// PruneWebhooks drops outbox events every endpoint is past and that are
// older than keep, and trims each endpoint's log to its newest logKept rows.
func (s *Store) PruneWebhooks(ctx context.Context, keep time.Duration, logKept int) error {
	cut := s.now().Add(-keep).UTC()
	// An endpoint that is switched off still owns the events after its
	// cursor: it catches up when switched on again (within keep).
	_, err := s.sqlDB().ExecContext(ctx, s.q.WebhookPruneEvents, cut)
	if err != nil {
		return fmt.Errorf("store: unable to prune webhook events: %w", err)
	}
	hooks, err := s.Webhooks(ctx)
	if err != nil {
		return err
	}
	for _, w := range hooks {
		var oldest int64
		err := s.sqlDB().QueryRowContext(ctx, s.q.WebhookLogOldestKept, w.ID, logKept-1).Scan(&oldest)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err == nil {
			_, err = s.sqlDB().ExecContext(ctx, s.q.WebhookLogTrim, w.ID, oldest)
		}
		if err != nil {
			return fmt.Errorf("store: unable to prune the webhook log: %w", err)
		}
	}
	return nil
}
