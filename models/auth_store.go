package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuthSession is one signed-in browser; TokenHash is the SHA-256 (hex) of the
// token in its cookie. UserID is who signed in (nil only for sessions made
// before users existed, or by code that names no user).
type AuthSession struct {
	TokenHash string `gorm:"primaryKey"`
	UserID    *string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// TableName is the table of sessions.
func (AuthSession) TableName() string { return "auth_sessions" }

// PasswordHash returns the bcrypt hash of the owner (the first admin, whose
// password SAMBAD_PASSWORD sets), or "" when no user exists yet.
func (s *Store) PasswordHash(ctx context.Context) (string, error) {
	u, err := s.OwnerUser(ctx)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: unable to read the password: %w", err)
	}
	return u.PasswordHash, nil
}

// SetPasswordHash stores a new bcrypt hash for the owner (creating the admin
// "admin" when there is no user yet) and, in the same transaction, ends the
// owner's sessions and any session of no user: a changed password ends old
// sessions.
func (s *Store) SetPasswordHash(ctx context.Context, hash string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockUsers(tx); err != nil {
			return err
		}
		var owner User
		err := ownerQuery(tx).Take(&owner).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			_, err := createUserTx(tx, DefaultAdminName, hash, RoleAdmin, true)
			return err
		}
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		if err := tx.Model(&User{}).Where("id = ?", owner.ID).
			Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ? OR user_id IS NULL", owner.ID).Delete(&AuthSession{}).Error
	})
	if err != nil {
		return fmt.Errorf("store: unable to save the password: %w", err)
	}
	return nil
}

// CreatePasswordHash stores the first password as the admin "admin"; it
// reports ErrDuplicate when a user already exists, so two first-run setups
// cannot both win.
func (s *Store) CreatePasswordHash(ctx context.Context, hash string) error {
	_, err := s.CreateFirstAdmin(ctx, DefaultAdminName, hash)
	return err
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

// SessionUser returns the user of the unexpired session with this token
// hash in one query, or ErrNotFound (also for a session of no user).
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Table("auth_sessions AS s").Select("u.*").
		Joins("JOIN auth_users AS u ON u.id = s.user_id").
		Where("s.token_hash = ? AND s.expires_at > ?", tokenHash, now.UTC()).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a session: %w", err)
	}
	return &u, nil
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
