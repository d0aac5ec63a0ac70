package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func TestAuthStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		if h, err := s.PasswordHash(ctx); err != nil || h != "" {
			t.Fatalf("fresh database: hash %q, %v", h, err)
		}
		if err := s.CreatePasswordHash(ctx, "first"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePasswordHash(ctx, "second"); !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("second first-run setup: %v", err)
		}
		now := time.Now()
		live := &models.AuthSession{TokenHash: "live", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		old := &models.AuthSession{TokenHash: "old", CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}
		for _, sess := range []*models.AuthSession{live, old} {
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.GetSession(ctx, "live", now); err != nil {
			t.Fatalf("live session: %v", err)
		}
		if _, err := s.GetSession(ctx, "old", now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("expired session: %v", err)
		}
		if n, err := s.DeleteExpiredSessions(ctx, now); err != nil || n != 1 {
			t.Fatalf("delete expired: %d, %v", n, err)
		}
		// A new password signs everyone out.
		if err := s.SetPasswordHash(ctx, "changed"); err != nil {
			t.Fatal(err)
		}
		if h, _ := s.PasswordHash(ctx); h != "changed" {
			t.Fatalf("hash after change = %q", h)
		}
		if _, err := s.GetSession(ctx, "live", now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("session survived a password change: %v", err)
		}
		if err := s.DeleteSession(ctx, "nothing"); err != nil {
			t.Fatal(err)
		}
	})
}
