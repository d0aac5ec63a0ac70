package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// CreateNumberCheck stores a queued check job and its numbers, in one
// transaction. Items are numbered from 1 in the order given.
func (s *Store) CreateNumberCheck(ctx context.Context, n *NumberCheck, items []NumberCheckItem) error {
	if len(items) == 0 {
		return &ValidationError{Field: "numbers", Message: "give at least one number to check"}
	}
	if len(items) > MaxNumberCheck {
		return &ValidationError{Field: "numbers", Message: fmt.Sprintf("%d numbers: a check takes at most %d", len(items), MaxNumberCheck)}
	}
	now := s.now().UTC()
	n.ID, n.State, n.Total, n.Detail = NewID(), NumberCheckQueued, len(items), ""
	n.CreatedAt, n.UpdatedAt, n.StartedAt, n.FinishedAt = now, now, nil, nil
	for i := range items {
		items[i].CheckID, items[i].Seq, items[i].Result = n.ID, i+1, NumberPending
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(n).Error; err != nil {
			return err
		}
		return tx.CreateInBatches(items, 200).Error
	})
	if err != nil {
		return fmt.Errorf("store: unable to create the number check: %w", err)
	}
	n.Counts = NumberCheckCounts{Pending: len(items)}
	return nil
}

// GetNumberCheck returns a check job with its counts.
func (s *Store) GetNumberCheck(ctx context.Context, id string) (*NumberCheck, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: number check %s: %w", id, ErrNotFound)
	}
	var n NumberCheck
	err := s.db.WithContext(ctx).First(&n, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: number check %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load the number check: %w", err)
	}
	var rows []struct {
		Result string
		N      int
	}
	err = s.db.WithContext(ctx).Model(&NumberCheckItem{}).Select("result, COUNT(*) AS n").
		Where("check_id = ?", id).Group("result").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count the number check: %w", err)
	}
	for _, r := range rows {
		switch r.Result {
		case NumberPending:
			n.Counts.Pending = r.N
		case NumberOnWhatsApp:
			n.Counts.OnWhatsApp = r.N
		case NumberNotOnWA:
			n.Counts.NotOnWhatsApp = r.N
		default:
			n.Counts.Errors += r.N
		}
	}
	return &n, nil
}

// NumberCheckItems returns a check's numbers in order (at most
// MaxNumberCheck).
func (s *Store) NumberCheckItems(ctx context.Context, id string) ([]NumberCheckItem, error) {
	items := []NumberCheckItem{}
	err := s.db.WithContext(ctx).Where("check_id = ?", id).Order("seq").Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the number check: %w", err)
	}
	return items, nil
}

// NextNumberCheck returns the oldest job not finished (queued, running or
// waiting: a job a restart interrupted is picked up again), or ErrNotFound.
func (s *Store) NextNumberCheck(ctx context.Context) (*NumberCheck, error) {
	var id string
	err := s.db.WithContext(ctx).Model(&NumberCheck{}).Where("state IN ?", NumberCheckActive).
		Order("created_at, id").Limit(1).Pluck("id", &id).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to find a number check: %w", err)
	}
	if id == "" {
		return nil, fmt.Errorf("store: no number check to run: %w", ErrNotFound)
	}
	return s.GetNumberCheck(ctx, id)
}

// NextPendingNumber returns a job's first number not checked yet, or
// ErrNotFound when every number has a result.
func (s *Store) NextPendingNumber(ctx context.Context, id string) (*NumberCheckItem, error) {
	var items []NumberCheckItem
	err := s.db.WithContext(ctx).Where("check_id = ? AND result = ?", id, NumberPending).Order("seq").Limit(1).Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the number check: %w", err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("store: number check %s has no number left: %w", id, ErrNotFound)
	}
	return &items[0], nil
}

// RecordNumber writes what checking one number found and, when it found
// something (on or not on WhatsApp), writes it to the contact with the
// date: the contact the number came from, or the contact holding that
// phone. Both in one transaction. An error result leaves the contact as it
// was: a check that could not tell does not erase an earlier answer.
func (s *Store) RecordNumber(ctx context.Context, item *NumberCheckItem, result, reason string) error {
	now := s.now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&NumberCheckItem{}).Where("check_id = ? AND seq = ? AND result = ?", item.CheckID, item.Seq, NumberPending).
			Updates(map[string]any{"result": result, "error": reason, "checked_at": now})
		if res.Error != nil || res.RowsAffected == 0 || result == NumberCheckFailed {
			return res.Error
		}
		on := result == NumberOnWhatsApp
		q := tx.Model(&Contact{})
		if item.ContactID != "" {
			q = q.Where("id = ?", item.ContactID)
		} else {
			q = q.Where("phone = ?", item.Phone)
		}
		if err := q.Updates(map[string]any{"on_whatsapp": on, "on_whatsapp_checked_at": now}).Error; err != nil {
			return err
		}
		return tx.Model(&NumberCheck{}).Where("id = ?", item.CheckID).Update("updated_at", now).Error
	})
	if err != nil {
		return fmt.Errorf("store: unable to record a number check: %w", err)
	}
	item.Result, item.Error, item.CheckedAt = result, reason, &now
	return nil
}

// MoveNumberCheck moves a job that is not finished to state (running,
// waiting, done or cancelled) with a detail a person reads. A finished job
// does not move: the error wraps ErrState.
func (s *Store) MoveNumberCheck(ctx context.Context, id, state, detail string) error {
	now := s.now().UTC()
	fields := map[string]any{"state": state, "detail": detail, "updated_at": now}
	switch state {
	case NumberCheckDone, NumberCheckCancelled:
		fields["finished_at"] = now
	case NumberCheckRunning:
		fields["started_at"] = gorm.Expr("COALESCE(started_at, ?)", now)
	}
	res := s.db.WithContext(ctx).Model(&NumberCheck{}).Where("id = ? AND state IN ?", id, NumberCheckActive).Updates(fields)
	if res.Error != nil {
		return fmt.Errorf("store: unable to update the number check: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		n, err := s.GetNumberCheck(ctx, id)
		if err != nil {
			return err
		}
		return fmt.Errorf("store: the number check is %s already: %w", n.State, ErrState)
	}
	return nil
}

// ContactsForCheck returns the contacts a check is asked for: the ones
// named in ids, or every contact match matches (its page ignored), at most
// limit+1 of them so the caller can tell the set is too large.
func (s *Store) ContactsForCheck(ctx context.Context, ids []string, match *ContactQuery, limit int) ([]Contact, error) {
	out := []Contact{}
	if match == nil {
		for _, chunk := range chunks(validIDs(ids), 500) {
			var found []Contact
			if err := s.db.WithContext(ctx).Where("id IN ?", chunk).Order("name, id").Find(&found).Error; err != nil {
				return nil, fmt.Errorf("store: unable to read contacts: %w", err)
			}
			out = append(out, found...)
			if len(out) > limit {
				break
			}
		}
		return out, nil
	}
	if match.GroupID != "" && !ValidID(match.GroupID) {
		return nil, fmt.Errorf("store: group %s: %w", match.GroupID, ErrNotFound)
	}
	if err := s.contactScope(ctx, *match).Order("name, id").Limit(limit + 1).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read contacts: %w", err)
	}
	return out, nil
}
