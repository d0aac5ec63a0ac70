package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// APIToken is a personal API token. Only the SHA-256 of the token is kept;
// Prefix (its first characters) tells tokens apart in a list.
type APIToken struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	UserName   string     `json:"user_name" gorm:"->;-:migration"`
	Name       string     `json:"name"`
	TokenHash  string     `json:"-"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// TableName is the table of API tokens.
func (APIToken) TableName() string { return "auth_tokens" }

// tokenTouchEvery bounds the writes last-used costs: a token used many times
// a minute is written once a minute.
const tokenTouchEvery = time.Minute

// ValidateTokenName trims a token's name and checks it.
func ValidateTokenName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", &ValidationError{Field: "name", Message: "give the token a name that says where it is used"}
	case utf8.RuneCountInString(name) > 100:
		return "", &ValidationError{Field: "name", Message: "must be at most 100 characters"}
	}
	return name, nil
}

// CreateAPIToken stores a token for an existing user.
func (s *Store) CreateAPIToken(ctx context.Context, t *APIToken) error {
	name, err := ValidateTokenName(t.Name)
	if err != nil {
		return fmt.Errorf("store: unable to add the token: %w", err)
	}
	t.Name = name
	if t.ID == "" {
		t.ID = NewID()
	}
	t.CreatedAt = time.Now().UTC()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("id = ?", t.UserID).Take(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return &ValidationError{Field: "user_id", Message: "no such user"}
			}
			return err
		}
		t.UserName = u.Name
		return tx.Omit("UserName").Create(t).Error
	})
	if err != nil {
		return fmt.Errorf("store: unable to add the token: %w", err)
	}
	return nil
}

func tokensWithUsers(tx *gorm.DB) *gorm.DB {
	return tx.Table("auth_tokens AS t").Select("t.*, u.name AS user_name").
		Joins("JOIN auth_users AS u ON u.id = t.user_id")
}

// ListAPITokens returns the tokens of one user, or of everyone when userID
// is "", newest first.
func (s *Store) ListAPITokens(ctx context.Context, userID string) ([]APIToken, error) {
	q := tokensWithUsers(s.db.WithContext(ctx)).Order("t.created_at DESC, t.id DESC")
	if userID != "" {
		q = q.Where("t.user_id = ?", userID)
	}
	var out []APIToken
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list tokens: %w", err)
	}
	return out, nil
}

// GetAPIToken returns one token, or ErrNotFound.
func (s *Store) GetAPIToken(ctx context.Context, id string) (*APIToken, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("store: token: %w", ErrNotFound)
	}
	var t APIToken
	err := tokensWithUsers(s.db.WithContext(ctx)).Where("t.id = ?", id).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("store: token: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read a token: %w", err)
	}
	return &t, nil
}

// TokenUser returns the token with this hash and its user, or ErrNotFound,
// and records that it was used (at most once a minute).
func (s *Store) TokenUser(ctx context.Context, tokenHash string, now time.Time) (*User, *APIToken, error) {
	var t APIToken
	err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, fmt.Errorf("store: token: %w", ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to read a token: %w", err)
	}
	u, err := s.GetUser(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	t.UserName = u.Name
	now = now.UTC()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenTouchEvery {
		if err := s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).
			Update("last_used_at", now).Error; err != nil {
			return nil, nil, fmt.Errorf("store: unable to note a token's use: %w", err)
		}
		t.LastUsedAt = &now
	}
	return u, &t, nil
}

// DeleteAPIToken revokes a token, or reports ErrNotFound.
func (s *Store) DeleteAPIToken(ctx context.Context, id string) error {
	if !ValidID(id) {
		return fmt.Errorf("store: token: %w", ErrNotFound)
	}
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&APIToken{})
	if res.Error != nil {
		return fmt.Errorf("store: unable to revoke the token: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("store: token: %w", ErrNotFound)
	}
	return nil
}
