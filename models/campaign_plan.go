package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// scanContact reads a row of the audience queries.
func scanContact(rows *sql.Rows, c *Contact) error {
	c.OnWhatsApp, c.OnWhatsAppCheckedAt = nil, nil
	return rows.Scan(&c.ID, &c.Phone, &c.Name, &c.V1, &c.V2, &c.V3, &c.V4, &c.V5, &c.V6, &c.V7, &c.V8, &c.V9, &c.V10, &c.Attributes, &c.OptedOut,
		&c.OnWhatsApp, &c.OnWhatsAppCheckedAt)
}

// skipReason is the error a skipped recipient carries, or "" when the
// contact is to be sent to: with skip on, a contact a number check found
// not to be on WhatsApp is skipped.
func skipReason(c *Contact, skip bool) string {
	if !skip || c.OnWhatsApp == nil || *c.OnWhatsApp {
		return ""
	}
	if c.OnWhatsAppCheckedAt != nil {
		return "not on WhatsApp (checked " + c.OnWhatsAppCheckedAt.UTC().Format("2006-01-02") + ")"
	}
	return "not on WhatsApp"
}

// AudienceCounts returns how many contacts a campaign's audience holds and how
// many of them opted out (they are never sent to).
func (s *Store) AudienceCounts(ctx context.Context, id string) (total, optedOut int64, err error) {
	if err := s.sqlDB().QueryRowContext(ctx, s.q.AudienceCounts, id).Scan(&total, &optedOut); err != nil {
		return 0, 0, fmt.Errorf("store: unable to count the audience: %w", err)
	}
	return total, optedOut, nil
}

// AudienceSample returns up to limit contacts of a campaign's audience (for
// the preview's contact picker).
func (s *Store) AudienceSample(ctx context.Context, id string, limit int) ([]Contact, error) {
	rows, err := s.sqlDB().QueryContext(ctx, s.q.AudienceSample, id, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the audience: %w", err)
	}
	defer rows.Close()
	out := []Contact{}
	for rows.Next() {
		var c Contact
		if err := scanContact(rows, &c); err != nil {
			return nil, fmt.Errorf("store: unable to read the audience: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PlanResult is what freezing a campaign's recipients produced.
type PlanResult struct {
	// Planned counts every recipient row written, skipped ones included.
	Planned  int64
	OptedOut int64
	// Skipped counts the recipients written as "skipped" (known not to be
	// on WhatsApp, with the campaign's skip option on).
	Skipped int64
}

// planBatch is how many recipients go into one multi-row INSERT (9 values
// each; well under SQLite's and Postgres's parameter limits).
const planBatch = 500

// planValues is how many values one recipient row of the plan has.
const planValues = 9

// PlanRecipients freezes a draft or scheduled campaign's audience into one
// recipient row per contact, with the phone and the text render returns for
// it, and moves the campaign to running (run 1). Opted-out contacts are left
// out and counted. With the campaign's skip option, contacts known not to be
// on WhatsApp get a row in state "skipped" and are never sent to; an
// audience with nobody left to send to is refused. It all happens in one transaction: a failure leaves the
// campaign as it was. Contacts are streamed, never all held in memory.
func (s *Store) PlanRecipients(ctx context.Context, id string, render func(*Contact) (string, error)) (PlanResult, error) {
	var res PlanResult
	if !ValidID(id) {
		return res, fmt.Errorf("store: campaign %s: %w", id, ErrNotFound)
	}
	if s.dialect == DialectPostgres {
		return s.planPostgres(ctx, id, render)
	}
	tx, err := s.sqlDB().BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("store: unable to begin planning: %w", err)
	}
	defer tx.Rollback()
	now := time.Now().UTC()
	// Claims the campaign first: a second start waits here, then finds it running.
	r, err := tx.ExecContext(ctx, s.q.PlanClaim, now, id, jsonArray(ActionStart.from()))
	if err != nil {
		return res, fmt.Errorf("store: unable to plan campaign: %w", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		c, gerr := s.GetCampaign(ctx, id)
		if gerr != nil {
			return res, gerr
		}
		return res, &StateError{Action: ActionStart, State: c.State}
	}
	var skip bool
	if err := tx.QueryRowContext(ctx, s.q.PlanSkipOption, id).Scan(&skip); err != nil {
		return res, fmt.Errorf("store: unable to plan campaign: %w", err)
	}
	// The contacts are read on another connection while this transaction writes.
	rows, err := s.sqlDB().QueryContext(ctx, s.q.Audience, id)
	if err != nil {
		return res, fmt.Errorf("store: unable to read the audience: %w", err)
	}
	defer rows.Close()
	args := make([]any, 0, planBatch*planValues)
	insertSQL := func(n int) string {
		return s.q.PlanInsertHead + " " + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?),", n), ",")
	}
	// Full batches reuse one prepared statement (SQLite parses it once).
	full, err := tx.PrepareContext(ctx, insertSQL(planBatch))
	if err != nil {
		return res, fmt.Errorf("store: unable to write recipients: %w", err)
	}
	defer full.Close()
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		var err error
		if len(args) == cap(args) {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertSQL(len(args)/planValues), args...)
		}
		args = args[:0]
		return err
	}
	var c Contact
	for rows.Next() {
		if err := scanContact(rows, &c); err != nil {
			return res, fmt.Errorf("store: unable to read the audience: %w", err)
		}
		if c.OptedOut {
			res.OptedOut++
			continue
		}
		body, err := render(&c)
		if err != nil {
			return res, err
		}
		res.Planned++
		state, why := RecipientPending, skipReason(&c, skip)
		if why != "" {
			state = RecipientSkipped
			res.Skipped++
		}
		args = append(args, id, res.Planned, c.ID, c.Phone, c.Name, body, 1, state, why)
		if len(args) == cap(args) {
			if err := flush(); err != nil {
				return res, fmt.Errorf("store: unable to write recipients: %w", err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("store: unable to read the audience: %w", err)
	}
	rows.Close()
	if err := flush(); err != nil {
		return res, fmt.Errorf("store: unable to write recipients: %w", err)
	}
	if res.Planned == res.Skipped {
		return res, emptyAudience(res)
	}
	_, err = tx.ExecContext(ctx, s.q.PlanStart, CampaignRunning, res.Planned, res.OptedOut, now, id)
	if err != nil {
		return res, fmt.Errorf("store: unable to start campaign: %w", err)
	}
	_, err = tx.ExecContext(ctx, s.q.PlanAddRun, id, res.Planned, now)
	if err != nil {
		return res, fmt.Errorf("store: unable to start campaign: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("store: unable to commit the plan: %w", err)
	}
	return res, nil
}

var errNotStartable = errors.New("not startable")

func emptyAudience(res PlanResult) error {
	msg := "the audience is empty: choose at least one group or contact"
	switch {
	case res.Skipped > 0 && res.OptedOut > 0:
		msg = fmt.Sprintf("nobody to send to: %d contacts in the audience opted out and %d are known not to be on WhatsApp", res.OptedOut, res.Skipped)
	case res.Skipped > 0:
		msg = fmt.Sprintf("all %d contacts in the audience are known not to be on WhatsApp", res.Skipped)
	case res.OptedOut > 0:
		msg = fmt.Sprintf("all %d contacts in the audience opted out", res.OptedOut)
	}
	return &ValidationError{Field: "audience", Message: msg}
}

// RetryFailed starts a new run of a finished campaign holding only its failed
// recipients, and returns the run number and how many it holds.
func (s *Store) RetryFailed(ctx context.Context, id string) (int, int64, error) {
	c, err := s.GetCampaign(ctx, id)
	if err != nil {
		return 0, 0, err
	}
	if err := ActionRetry.Check(c.State); err != nil {
		return 0, 0, err
	}
	tx, err := s.sqlDB().BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("store: unable to begin retry: %w", err)
	}
	defer tx.Rollback()
	now, run := time.Now().UTC(), c.Run+1
	r, err := tx.ExecContext(ctx, s.q.RetryStart, CampaignRunning, run, now, id, c.State)
	if err != nil {
		return 0, 0, fmt.Errorf("store: unable to retry: %w", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		// The campaign changed state meanwhile.
		if c, err = s.GetCampaign(ctx, id); err != nil {
			return 0, 0, err
		}
		return 0, 0, &StateError{Action: ActionRetry, State: c.State}
	}
	r, err = tx.ExecContext(ctx, s.q.RetryRecipients, RecipientPending, run, id, RecipientFailed)
	if err != nil {
		return 0, 0, fmt.Errorf("store: unable to retry: %w", err)
	}
	n, _ := r.RowsAffected()
	if n == 0 {
		return 0, 0, &ValidationError{Field: "recipients", Message: "no recipient failed, so there is nothing to retry"}
	}
	if _, err := tx.ExecContext(ctx, s.q.RetryAddRun, id, run, n, now); err != nil {
		return 0, 0, fmt.Errorf("store: unable to retry: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("store: unable to retry: %w", err)
	}
	return run, n, nil
}
