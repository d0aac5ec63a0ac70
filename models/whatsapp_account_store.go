package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ErrTooManyAccounts is returned by CreateWhatsAppAccount when the limit of
// accounts is reached.
var ErrTooManyAccounts = errors.New("too many WhatsApp accounts")

// ListWhatsAppAccounts returns every account, first one first.
func (s *Store) ListWhatsAppAccounts(ctx context.Context) ([]WhatsAppAccount, error) {
	var out []WhatsAppAccount
	if err := s.db.WithContext(ctx).Order("position, created_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list WhatsApp accounts: %w", err)
	}
	return out, nil
}

// GetWhatsAppAccount returns one account, or ErrNotFound.
func (s *Store) GetWhatsAppAccount(ctx context.Context, id string) (*WhatsAppAccount, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: WhatsApp account %s: %w", id, ErrNotFound)
	}
	var a WhatsAppAccount
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: WhatsApp account %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to load a WhatsApp account: %w", err)
	}
	return &a, nil
}

// CreateWhatsAppAccount adds a to the end of the list, in one transaction
// with the check that fewer than max accounts exist (max <= 0: no limit);
// it fails with ErrTooManyAccounts otherwise. An empty a.ID gets a new one.
func (s *Store) CreateWhatsAppAccount(ctx context.Context, a *WhatsAppAccount, max int) error {
	if a.ID == "" {
		a.ID = NewID()
	}
	now := s.now()
	a.CreatedAt, a.UpdatedAt = now, now
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&WhatsAppAccount{}).Count(&n).Error; err != nil {
			return err
		}
		if max > 0 && n >= int64(max) {
			return ErrTooManyAccounts
		}
		var last struct{ P *int }
		if err := tx.Model(&WhatsAppAccount{}).Select("MAX(position) AS p").Scan(&last).Error; err != nil {
			return err
		}
		a.Position = 0
		if last.P != nil {
			a.Position = *last.P + 1
		}
		return tx.Create(a).Error
	})
	if errors.Is(err, ErrTooManyAccounts) {
		return fmt.Errorf("store: %w (the limit is %d)", ErrTooManyAccounts, max)
	}
	if err != nil {
		return fmt.Errorf("store: unable to add a WhatsApp account: %w", err)
	}
	return nil
}

// WhatsAppAccountPatch is what UpdateWhatsAppAccount may change; nil
// fields stay as they are.
type WhatsAppAccountPatch struct {
	Name       *string
	DailyCap   *int
	QuietStart *string
	QuietEnd   *string
}

// UpdateWhatsAppAccount applies p to account id and returns the result.
func (s *Store) UpdateWhatsAppAccount(ctx context.Context, id string, p WhatsAppAccountPatch) (*WhatsAppAccount, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: WhatsApp account %s: %w", id, ErrNotFound)
	}
	set := map[string]any{"updated_at": s.now()}
	if p.Name != nil {
		set["name"] = *p.Name
	}
	if p.DailyCap != nil {
		set["daily_cap"] = *p.DailyCap
	}
	if p.QuietStart != nil {
		set["quiet_start"] = *p.QuietStart
	}
	if p.QuietEnd != nil {
		set["quiet_end"] = *p.QuietEnd
	}
	res := s.db.WithContext(ctx).Model(&WhatsAppAccount{}).Where("id = ?", id).Updates(set)
	if res.Error != nil {
		return nil, fmt.Errorf("store: unable to update a WhatsApp account: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, fmt.Errorf("store: WhatsApp account %s: %w", id, ErrNotFound)
	}
	return s.GetWhatsAppAccount(ctx, id)
}

// SetWhatsAppAccountPhone records the number the linked page showed ("" once
// the device is logged out). It writes only when the number changed.
func (s *Store) SetWhatsAppAccountPhone(ctx context.Context, id, phone string) error {
	err := s.db.WithContext(ctx).Model(&WhatsAppAccount{}).Where("id = ? AND phone <> ?", id, phone).
		Updates(map[string]any{"phone": phone, "updated_at": s.now()}).Error
	if err != nil {
		return fmt.Errorf("store: unable to record a WhatsApp account's number: %w", err)
	}
	return nil
}

// DeleteWhatsAppAccount removes account id's row; ErrNotFound if none.
func (s *Store) DeleteWhatsAppAccount(ctx context.Context, id string) error {
	if !ValidID(id) {
		return fmt.Errorf("store: WhatsApp account %s: %w", id, ErrNotFound)
	}
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&WhatsAppAccount{})
	if res.Error != nil {
		return fmt.Errorf("store: unable to remove a WhatsApp account: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: WhatsApp account %s: %w", id, ErrNotFound)
	}
	return nil
}

// SentSinceByAccount counts messages sent since t through each account: a
// recipient counts for the account it records, else for its campaign's
// account, else (campaigns without accounts, and sends from before
// accounts existed) for first.
func (s *Store) SentSinceByAccount(ctx context.Context, t time.Time, first string) (map[string]int64, error) {
	rows, err := s.sqlDB().QueryContext(ctx, s.q.SentSinceByAccount, t.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: unable to count today's sends per account: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var ids IDList
		var n int64
		if err := rows.Scan(&id, &ids, &n); err != nil {
			return nil, fmt.Errorf("store: unable to count today's sends per account: %w", err)
		}
		switch {
		case id != "":
		case len(ids) > 0:
			id = ids[0]
		default:
			id = first
		}
		out[id] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to count today's sends per account: %w", err)
	}
	return out, nil
}

// checkAccountIDs refuses a campaign's account list naming an account that
// does not exist (422 with the id).
func checkAccountIDs(tx *gorm.DB, ids []string) error {
	if len(ids) > 50 {
		return &ValidationError{Field: "account_ids", Message: "at most 50 accounts"}
	}
	for _, id := range ids {
		if !ValidID(id) {
			return &ValidationError{Field: "account_ids", Message: fmt.Sprintf("%q is not a WhatsApp account id", id)}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var found []string
	if err := tx.Model(&WhatsAppAccount{}).Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
		return err
	}
	if missing := firstMissing(ids, found); missing != "" {
		return &ValidationError{Field: "account_ids", Message: fmt.Sprintf("no WhatsApp account with id %s", missing)}
	}
	return nil
}
