package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AuthPassword is the single user's bcrypt password hash (one row, id 1).
type AuthPassword struct {
	ID        int `gorm:"primaryKey"`
	Hash      string
	UpdatedAt time.Time
}

// TableName is the table of the password hash.
func (AuthPassword) TableName() string { return "auth_password" }

// AuthSession is one signed-in browser; TokenHash is the SHA-256 (hex) of the
// token in its cookie.
type AuthSession struct {
	TokenHash string `gorm:"primaryKey"`
	CreatedAt time.Time
	ExpiresAt time.Time
}

// TableName is the table of sessions.
func (AuthSession) TableName() string { return "auth_sessions" }

// PasswordHash returns the stored bcrypt hash, or "" when no password is set.
func (s *Store) PasswordHash(ctx context.Context) (string, error) {
	var p AuthPassword
	err := s.db.WithContext(ctx).Where("id = 1").Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: unable to read the password: %w", err)
	}
	return p.Hash, nil
}

// SetPasswordHash stores a new bcrypt hash and, in the same transaction,
// signs every browser out: a changed password ends old sessions.
func (s *Store) SetPasswordHash(ctx context.Context, hash string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p := AuthPassword{ID: 1, Hash: hash, UpdatedAt: time.Now().UTC()}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&p).Error; err != nil {
			return err
		}
		return tx.Where("1 = 1").Delete(&AuthSession{}).Error
	})
	if err != nil {
		return fmt.Errorf("store: unable to save the password: %w", err)
	}
	return nil
}

// CreatePasswordHash stores the first password; it reports ErrDuplicate when
// one is already set, so two first-run setups cannot both win.
func (s *Store) CreatePasswordHash(ctx context.Context, hash string) error {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&AuthPassword{ID: 1, Hash: hash, UpdatedAt: time.Now().UTC()})
	if res.Error != nil {
		return fmt.Errorf("store: unable to save the password: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: password: %w", ErrDuplicate)
	}
	return nil
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, sess *AuthSession) error {
	if err := s.db.WithContext(ctx).Create(sess).Error; err != nil {
		return fmt.Errorf("store: unable to create a session: %w", err)
	}
	return nil
}

// GetSession returns the unexpired session with this token hash, or ErrNotFound.
func (s *Store) GetSession(ctx context.Context, tokenHash string, now time.Time) (*AuthSession, error) {
	var sess AuthSession
	err := s.db.WithContext(ctx).Where("token_hash = ? AND expires_at > ?", tokenHash, now.UTC()).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a session: %w", err)
	}
	return &sess, nil
}

// DeleteSession removes one session (sign out); a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Delete(&AuthSession{}).Error; err != nil {
		return fmt.Errorf("store: unable to delete a session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their expiry and returns how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at <= ?", now.UTC()).Delete(&AuthSession{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: unable to delete expired sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
