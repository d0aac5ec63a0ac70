package auth

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"

	"github.com/sambad/sambad/models"
)

// HashPassword checks a new password's length and returns its bcrypt hash.
func HashPassword(password string) (string, error) {
	if err := checkPassword(password); err != nil {
		return "", err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("auth: unable to hash the password: %w", err)
	}
	return string(hash), nil
}

// AddUser makes a user with their own password.
func (s *Service) AddUser(ctx context.Context, name, password, role string, seeNumbers bool) (*models.User, error) {
	if err := models.ValidateRole(role); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	u, err := s.store.CreateUser(ctx, name, hash, role, seeNumbers)
	if err != nil {
		return nil, err
	}
	s.hasPassword.Store(true)
	return u, nil
}

// ResetPassword sets a user's password (an admin's reset, or the user's own
// change with keepSession, the hash of the session to keep). The user's
// other sessions end.
func (s *Service) ResetPassword(ctx context.Context, userID, password, keepSession string) (*models.User, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.store.UpdateUser(ctx, userID, models.UserPatch{PasswordHash: &hash, KeepSession: keepSession})
}

// ChangeOwnPassword checks the current password, then sets the new one;
// the session making the change stays signed in, every other one ends.
func (s *Service) ChangeOwnPassword(ctx context.Context, userID, current, password, confirm, sessionToken string) error {
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		return ErrWrongCurrent
	}
	if password != confirm {
		return &PasswordError{Reason: "and its confirmation differ"}
	}
	_, err = s.ResetPassword(ctx, userID, password, hashToken(sessionToken))
	var pe *PasswordError
	if err != nil && !errors.As(err, &pe) {
		return fmt.Errorf("auth: %w", err)
	}
	return err
}

// ErrWrongCurrent: the current password given to change it is wrong.
var ErrWrongCurrent = errors.New("the current password is wrong")
