// Package auth signs Sambad's users in: bcrypt passwords (the first admin's
// from SAMBAD_PASSWORD or the first-run setup page), server-side sessions
// whose tokens are stored hashed, personal API tokens stored hashed
// (tokens.go), and a login rate limit per client and overall.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/sambad/sambad/models"
)

// Password length limits. bcrypt reads at most 72 bytes, so longer passwords
// are refused rather than silently cut.
const (
	MinPasswordLen   = 8
	MaxPasswordBytes = 72
)

// SessionTTL is how long a sign-in lasts.
const SessionTTL = 30 * 24 * time.Hour

// Errors a person can cause.
var (
	ErrWrongPassword = errors.New("wrong user name or password")
	ErrNoPassword    = errors.New("no password is set yet")
	ErrPasswordSet   = errors.New("a password is already set")
	ErrNoSession     = errors.New("not signed in")
)

// PasswordError says why a new password was refused.
type PasswordError struct{ Reason string }

// Error reads "password must be ...".
func (e *PasswordError) Error() string { return "password " + e.Reason }

// Service checks passwords and sessions. It is safe for concurrent use.
type Service struct {
	store   *models.Store
	limiter *Limiter
	now     func() time.Time
	// hasPassword caches whether a user (and so a password) exists; only
	// this process adds the first one, so it is read from the database once.
	hasPassword atomic.Bool
}

// New loads whether a user exists.
func New(ctx context.Context, store *models.Store, limiter *Limiter) (*Service, error) {
	if limiter == nil {
		limiter = NewLimiter(DefaultLimits)
	}
	s := &Service{store: store, limiter: limiter, now: time.Now}
	n, err := store.CountUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	s.hasPassword.Store(n > 0)
	return s, nil
}

// PasswordSet reports whether passwords protect the web UI: a user exists.
func (s *Service) PasswordSet() bool { return s.hasPassword.Load() }

// ApplyConfigPassword makes SAMBAD_PASSWORD the owner's password (the first
// admin; "admin" is made when there is no user). When it differs from the
// stored one, the stored hash is replaced and the owner's sessions end.
func (s *Service) ApplyConfigPassword(ctx context.Context, password string) error {
	if password == "" {
		return nil
	}
	if err := checkPassword(password); err != nil {
		return fmt.Errorf("auth: SAMBAD_PASSWORD: %w", err)
	}
	hash, err := s.store.PasswordHash(ctx)
	if err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	if hash != "" && bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil {
		s.hasPassword.Store(true)
		return nil
	}
	newHash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("auth: unable to hash the password: %w", err)
	}
	if err := s.store.SetPasswordHash(ctx, string(newHash)); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	s.hasPassword.Store(true)
	return nil
}

// Setup makes the first admin, named "admin", and signs the browser in.
func (s *Service) Setup(ctx context.Context, password, confirm string) (token string, err error) {
	return s.SetupAdmin(ctx, models.DefaultAdminName, password, confirm)
}

// SetupAdmin makes the first admin (the setup page) and signs the browser in.
func (s *Service) SetupAdmin(ctx context.Context, name, password, confirm string) (token string, err error) {
	if s.PasswordSet() {
		return "", ErrPasswordSet
	}
	if err := checkPassword(password); err != nil {
		return "", err
	}
	if password != confirm {
		return "", &PasswordError{Reason: "and its confirmation differ"}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("auth: unable to hash the password: %w", err)
	}
	u, err := s.store.CreateFirstAdmin(ctx, name, string(hash))
	if err != nil {
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			return "", err
		}
		if errors.Is(err, models.ErrDuplicate) {
			s.hasPassword.Store(true)
			return "", ErrPasswordSet
		}
		return "", fmt.Errorf("auth: %w", err)
	}
	s.hasPassword.Store(true)
	return s.newSession(ctx, u.ID)
}

// SignIn checks the owner's password for a client (its IP) and returns a new
// session token. Too many attempts return a *RateLimitError before any check.
func (s *Service) SignIn(ctx context.Context, client, password string) (string, error) {
	g, err := s.SignInFrom(ctx, Attempt{Client: client}, password)
	return g.Session, err
}

// Attempt is who tries to sign in.
type Attempt struct {
	// User is the user name; "" is the owner (the first admin), as the
	// password-only sign-in of earlier versions.
	User   string
	Client string // the client's IP address
	Device string // the device cookie an earlier sign-in gave this browser
	Local  bool   // the client is on this machine (loopback)
}

// Grant is what a successful sign-in gives the browser.
type Grant struct {
	Session string // the session token (the session cookie)
	Device  string // the device cookie to keep (see device.go)
	User    *models.User
}

// SignInFrom checks the password for an attempt. Too many attempts from its
// client, or on the account from browsers it does not know, return a
// *RateLimitError before the password is checked; a known device or a
// loopback client is held to its own limit only, so failures elsewhere
// cannot lock the owner out.
//
// A user name that does not exist is checked against a made-up hash, so it
// costs as long and answers like a wrong password.
func (s *Service) SignInFrom(ctx context.Context, a Attempt, password string) (Grant, error) {
	u, err := s.attemptUser(ctx, a.User)
	if err != nil {
		return Grant{}, fmt.Errorf("auth: %w", err)
	}
	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	client := ClientKey(a.Client)
	if a.Local || knownDevice(hash, a.Device) {
		err = s.limiter.ReserveKnown(client)
	} else {
		err = s.limiter.Reserve(client)
	}
	if err != nil {
		return Grant{}, err
	}
	if u == nil {
		n, err := s.store.CountUsers(ctx)
		if err != nil {
			return Grant{}, fmt.Errorf("auth: %w", err)
		}
		if n == 0 {
			return Grant{}, ErrNoPassword
		}
		bcrypt.CompareHashAndPassword(unknownUserHash, []byte(password))
		return Grant{}, ErrWrongPassword
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return Grant{}, ErrWrongPassword
	}
	s.limiter.Forget(client)
	// Sign-in is rare: a good moment to drop expired sessions.
	if _, err := s.store.DeleteExpiredSessions(ctx, s.now()); err != nil {
		return Grant{}, fmt.Errorf("auth: %w", err)
	}
	token, err := s.newSession(ctx, u.ID)
	if err != nil {
		return Grant{}, err
	}
	g := Grant{Session: token, Device: a.Device, User: u}
	if !knownDevice(hash, a.Device) {
		g.Device = newDevice(hash)
	}
	return g, nil
}

// Check reports whether token belongs to a live session (ErrNoSession if not).
func (s *Service) Check(ctx context.Context, token string) error {
	_, err := s.Session(ctx, token)
	return err
}

// Session returns the user of a live session (ErrNoSession if none).
func (s *Service) Session(ctx context.Context, token string) (*models.User, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	u, err := s.store.SessionUser(ctx, hashToken(token), s.now())
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return u, nil
}

// SessionHash is what the store keeps of a session token (for
// models.UserPatch.KeepSession).
func SessionHash(token string) string { return hashToken(token) }

// attemptUser finds the user a sign-in names ("" is the owner); nil when
// there is none.
func (s *Service) attemptUser(ctx context.Context, name string) (*models.User, error) {
	var u *models.User
	var err error
	if strings.TrimSpace(name) == "" {
		u, err = s.store.OwnerUser(ctx)
	} else {
		u, err = s.store.UserByName(ctx, name)
	}
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	return u, err
}

// unknownUserHash is compared when the user does not exist, so that a
// wrong name costs as long as a wrong password.
var unknownUserHash, _ = bcrypt.GenerateFromPassword([]byte("sambad: no such user"), bcrypt.DefaultCost)

// SignOut ends the session of token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	if err := s.store.DeleteSession(ctx, hashToken(token)); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

func (s *Service) newSession(ctx context.Context, userID string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: unable to make a session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := s.now().UTC()
	sess := &models.AuthSession{TokenHash: hashToken(token), UserID: &userID, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	return token, nil
}

// hashToken is what the database keeps of a token: a stolen copy of the
// database cannot be replayed as a cookie.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func checkPassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLen {
		return &PasswordError{Reason: fmt.Sprintf("must be at least %d characters", MinPasswordLen)}
	}
	if len(p) > MaxPasswordBytes {
		return &PasswordError{Reason: fmt.Sprintf("must be at most %d bytes", MaxPasswordBytes)}
	}
	return nil
}
