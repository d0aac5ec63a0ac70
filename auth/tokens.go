package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/sambad/sambad/models"
)

// TokenPrefix starts every personal API token, so a leaked one is easy to
// recognise (and to search for in code and logs).
const TokenPrefix = "sbd_"

// ErrNoToken: no personal token matches.
var ErrNoToken = errors.New("no such API token")

// IsPersonalToken reports whether tok looks like a personal API token.
func IsPersonalToken(tok string) bool { return strings.HasPrefix(tok, TokenPrefix) }

// NewAPIToken makes a personal token for a user and returns it: this is the
// only time it is seen, the database keeps its SHA-256 (32 random bytes need
// no slow hash: they cannot be guessed from it).
func (s *Service) NewAPIToken(ctx context.Context, userID, name string) (string, *models.APIToken, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("auth: unable to make a token: %w", err)
	}
	tok := TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t := &models.APIToken{UserID: userID, Name: name, TokenHash: hashToken(tok), Prefix: tok[:len(TokenPrefix)+6]}
	if err := s.store.CreateAPIToken(ctx, t); err != nil {
		return "", nil, err
	}
	return tok, t, nil
}

// TokenUser returns the user a personal token acts as (ErrNoToken if none)
// and notes its use.
func (s *Service) TokenUser(ctx context.Context, tok string) (*models.User, *models.APIToken, error) {
	if !IsPersonalToken(tok) {
		return nil, nil, ErrNoToken
	}
	u, t, err := s.store.TokenUser(ctx, hashToken(tok), s.now())
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, ErrNoToken
	}
	if err != nil {
		return nil, nil, fmt.Errorf("auth: %w", err)
	}
	return u, t, nil
}
