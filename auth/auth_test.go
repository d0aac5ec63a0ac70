package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
)

func TestLimiter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := NewLimiter(Limits{PerClient: 3, Global: 5, Window: time.Minute})
	l.now = func() time.Time { return now }
	for i := range 3 {
		if err := l.Reserve("a"); err != nil {
			t.Fatalf("attempt %d refused: %v", i+1, err)
		}
		now = now.Add(10 * time.Second)
	}
	var rl *RateLimitError
	if err := l.Reserve("a"); !errors.As(err, &rl) || rl.Seconds() != 30 {
		t.Fatalf("4th attempt from a: %v (want: try again in 30 s)", err)
	}
	if !strings.Contains(rl.Error(), "try again in 30 s") {
		t.Fatalf("message %q", rl.Error())
	}
	// Another client still has room, until the global limit is reached.
	if err := l.Reserve("b"); err != nil {
		t.Fatal(err)
	}
	if err := l.Reserve("c"); err != nil {
		t.Fatal(err)
	}
	if err := l.Reserve("d"); !errors.As(err, &rl) {
		t.Fatalf("global limit not applied: %v", err)
	}
	// The window slides: after a minute the first attempts no longer count.
	now = now.Add(time.Minute)
	if err := l.Reserve("a"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	l.Forget("a")
	if n := len(l.client["a"]); n != 0 {
		t.Fatalf("forget left %d attempts", n)
	}
}

func TestService(t *testing.T) {
	ctx := context.Background()
	store := testdb.SQLite(t)
	s, err := New(ctx, store, NewLimiter(Limits{PerClient: 3, Global: 100, Window: time.Minute}))
	if err != nil {
		t.Fatal(err)
	}
	if s.PasswordSet() {
		t.Fatal("fresh database has a password")
	}
	if _, err := s.SignIn(ctx, "ip", "anything"); !errors.Is(err, ErrNoPassword) {
		t.Fatalf("sign in without a password: %v", err)
	}
	var pe *PasswordError
	if _, err := s.Setup(ctx, "short", "short"); !errors.As(err, &pe) {
		t.Fatalf("short password accepted: %v", err)
	}
	if _, err := s.Setup(ctx, "long enough", "long enougH"); !errors.As(err, &pe) {
		t.Fatalf("mismatched confirmation accepted: %v", err)
	}
	if _, err := s.Setup(ctx, strings.Repeat("x", 73), strings.Repeat("x", 73)); !errors.As(err, &pe) {
		t.Fatalf("73-byte password accepted: %v", err)
	}
	tok, err := s.Setup(ctx, "correct horse", "correct horse")
	if err != nil || !s.PasswordSet() {
		t.Fatalf("setup: %v", err)
	}
	if err := s.Check(ctx, tok); err != nil {
		t.Fatalf("setup session: %v", err)
	}
	if _, err := s.Setup(ctx, "another one", "another one"); !errors.Is(err, ErrPasswordSet) {
		t.Fatalf("second setup: %v", err)
	}
	if _, err := s.SignIn(ctx, "ip", "wrong password"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	tok2, err := s.SignIn(ctx, "ip", "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx, tok2+"x"); !errors.Is(err, ErrNoSession) {
		t.Fatalf("forged token: %v", err)
	}
	if err := s.SignOut(ctx, tok2); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx, tok2); !errors.Is(err, ErrNoSession) {
		t.Fatalf("after sign out: %v", err)
	}
	// SAMBAD_PASSWORD replaces the stored password and ends every session.
	if err := s.ApplyConfigPassword(ctx, "from the environment"); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx, tok); !errors.Is(err, ErrNoSession) {
		t.Fatalf("session survived a new SAMBAD_PASSWORD: %v", err)
	}
	tok3, err := s.SignIn(ctx, "ip2", "from the environment")
	if err != nil {
		t.Fatal(err)
	}
	// Applying the same password again keeps sessions.
	if err := s.ApplyConfigPassword(ctx, "from the environment"); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx, tok3); err != nil {
		t.Fatalf("same SAMBAD_PASSWORD ended sessions: %v", err)
	}
}
