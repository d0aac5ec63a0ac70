package auth

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestUpgradeSinglePassword opens a data dir made before users existed (schema
// 13: one password, one signed-in browser) with this version: the password
// becomes the admin's, the browser stays signed in as that admin, and both
// the password-only and the name + password sign-in work.
func TestUpgradeSinglePassword(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sambad.db")
	old, err := testdb.Staging(ctx, path, 13)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte("the old password"), bcrypt.MinCost)
	now := time.Now().UTC()
	g := testdb.Gorm(old)
	if err := g.Exec("INSERT INTO auth_password (id, hash, updated_at) VALUES (1, ?, ?)", string(hash), now).Error; err != nil {
		t.Fatal(err)
	}
	const cookie = "a-browser-signed-in-before"
	if err := g.Exec("INSERT INTO auth_sessions (token_hash, created_at, expires_at) VALUES (?, ?, ?)",
		hashToken(cookie), now, now.Add(time.Hour)).Error; err != nil {
		t.Fatal(err)
	}
	old.Close()

	store, err := testdb.Open(ctx, models.OpenOptions{SQLitePath: path})
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer store.Close()
	s, err := New(ctx, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !s.PasswordSet() {
		t.Fatal("the upgraded install lost its password: it would be open")
	}
	u, err := s.Session(ctx, cookie)
	if err != nil {
		t.Fatalf("the browser signed in before the upgrade was signed out: %v", err)
	}
	if u.Name != models.DefaultAdminName || !u.IsAdmin() {
		t.Fatalf("session user after upgrade = %+v, want the admin", u)
	}
	if _, err := s.SignIn(ctx, "ip", "the old password"); err != nil {
		t.Fatalf("password-only sign-in after upgrade: %v", err)
	}
	g2, err := s.SignInFrom(ctx, Attempt{User: "Admin", Client: "ip"}, "the old password")
	if err != nil || g2.User.ID != u.ID {
		t.Fatalf("sign in as admin after upgrade: %v", err)
	}
	if _, err := s.SignInFrom(ctx, Attempt{User: "admin", Client: "ip2"}, "wrong password"); err != ErrWrongPassword {
		t.Fatalf("wrong password after upgrade: %v", err)
	}
}

func TestUsersAndTokens(t *testing.T) {
	ctx := context.Background()
	s, err := New(ctx, testdb.SQLite(t), NewLimiter(Limits{PerClient: 100, Global: 100, Window: time.Minute}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetupAdmin(ctx, "Asha", "correct horse", "correct horse"); err != nil {
		t.Fatal(err)
	}
	ravi, err := s.AddUser(ctx, "Ravi", "ravi's password", models.RoleStaff, false)
	if err != nil {
		t.Fatal(err)
	}
	var pe *PasswordError
	if _, err := s.AddUser(ctx, "Short", "short", models.RoleStaff, false); !errorsAs(err, &pe) {
		t.Fatalf("short password accepted: %v", err)
	}
	// Sign-in by name; an unknown name answers as a wrong password.
	g, err := s.SignInFrom(ctx, Attempt{User: "ravi", Client: "ip"}, "ravi's password")
	if err != nil || g.User.ID != ravi.ID {
		t.Fatalf("sign in as Ravi: %v", err)
	}
	if _, err := s.SignInFrom(ctx, Attempt{User: "Nobody", Client: "ip"}, "ravi's password"); err != ErrWrongPassword {
		t.Fatalf("unknown user: %v", err)
	}
	if _, err := s.SignInFrom(ctx, Attempt{User: "Asha", Client: "ip"}, "ravi's password"); err != ErrWrongPassword {
		t.Fatalf("another user's password: %v", err)
	}
	// Changing one's own password keeps this session and ends the others.
	other, _ := s.SignInFrom(ctx, Attempt{User: "ravi", Client: "ip"}, "ravi's password")
	if err := s.ChangeOwnPassword(ctx, ravi.ID, "wrong", "a new password", "a new password", g.Session); err != ErrWrongCurrent {
		t.Fatalf("change with a wrong current password: %v", err)
	}
	if err := s.ChangeOwnPassword(ctx, ravi.ID, "ravi's password", "a new password", "a new password", g.Session); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx, g.Session); err != nil {
		t.Fatalf("the session that changed its password was signed out: %v", err)
	}
	if err := s.Check(ctx, other.Session); err != ErrNoSession {
		t.Fatalf("another session survived the change: %v", err)
	}
	// Tokens: shown once, stored hashed, act as their user, revocable.
	tok, rec, err := s.NewAPIToken(ctx, ravi.ID, "laptop script")
	if err != nil {
		t.Fatal(err)
	}
	if rec.TokenHash == tok || rec.TokenHash != hashToken(tok) || len(tok) < 40 {
		t.Fatalf("token %q stored as %q", tok, rec.TokenHash)
	}
	u, _, err := s.TokenUser(ctx, tok)
	if err != nil || u.ID != ravi.ID || u.Role != models.RoleStaff {
		t.Fatalf("token user: %+v %v", u, err)
	}
	if _, _, err := s.TokenUser(ctx, tok+"x"); err != ErrNoToken {
		t.Fatalf("wrong token: %v", err)
	}
	if err := s.store.DeleteAPIToken(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.TokenUser(ctx, tok); err != ErrNoToken {
		t.Fatalf("revoked token still works: %v", err)
	}
}

func errorsAs(err error, target any) bool { return err != nil && errors.As(err, target) }
