package auth

import (
	"context"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
)

// BenchmarkCheck is the cost every signed-in page request pays: one
// indexed session lookup (SQLite).
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	s, err := New(ctx, testdb.SQLite(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	tok, err := s.Setup(ctx, "correct horse", "correct horse")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := s.Check(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignIn is one successful sign-in: bcrypt at the default cost
// plus a new session row.
func BenchmarkSignIn(b *testing.B) {
	ctx := context.Background()
	s, err := New(ctx, testdb.SQLite(b), NewLimiter(Limits{PerClient: 1 << 30, Global: 1 << 30, Window: 1}))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Setup(ctx, "correct horse", "correct horse"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.SignIn(ctx, "ip", "correct horse"); err != nil {
			b.Fatal(err)
		}
	}
}
