package models_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestUpgradeSinglePasswordPostgres migrates a Postgres database of the
// single-password version (schema 13, one password, one signed-in browser)
// to this one: the password becomes the admin "admin"'s and the browser
// stays signed in as that admin. (auth/upgrade_test.go does the same on a
// SQLite data dir through the sign-in.)
func TestUpgradeSinglePasswordPostgres(t *testing.T) {
	ctx := context.Background()
	url := testdb.PostgresURL(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, os.DirFS("migrations/postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if _, err := db.ExecContext(ctx, "INSERT INTO auth_password (id, hash, updated_at) VALUES (1, 'the-old-bcrypt-hash', $1)", now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO auth_sessions (token_hash, created_at, expires_at) VALUES ('old-browser', $1, $2)", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	store, err := testdb.Open(ctx, models.OpenOptions{DatabaseURL: url})
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer store.Close()
	owner, err := store.OwnerUser(ctx)
	if err != nil || owner.Name != models.DefaultAdminName || owner.PasswordHash != "the-old-bcrypt-hash" || !owner.IsAdmin() {
		t.Fatalf("owner after upgrade: %+v %v", owner, err)
	}
	u, err := store.SessionUser(ctx, "old-browser", now)
	if err != nil || u.ID != owner.ID {
		t.Fatalf("the browser signed in before the upgrade: %+v %v", u, err)
	}
	if h, _ := store.PasswordHash(ctx); h != "the-old-bcrypt-hash" {
		t.Fatalf("PasswordHash after upgrade = %q", h)
	}
}
