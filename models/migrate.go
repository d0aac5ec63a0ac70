package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrateTries bounds the retries through a transaction pooler, where
// installs starting together cannot hold a lock and may collide.
const migrateTries = 8

// migrate applies pending migrations. Two installs may start together on an
// empty cloud database. On a direct or session-pooler connection a session
// advisory lock makes the second wait until the first is done. A transaction
// pooler (Supabase's port 6543) hands each statement to any server
// connection, so a session lock would be taken on one and released on
// another: there the loser of a collision retries, and goose then sees the
// versions the winner applied. Every migration runs in its own transaction,
// so a collision leaves nothing half-applied.
func migrate(ctx context.Context, dialect string, db *sql.DB, pooled bool) error {
	dir := "migrations/sqlite"
	gooseDialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if dialect == DialectPostgres {
		dir, gooseDialect = "migrations/postgres", goose.DialectPostgres
		if !pooled {
			// Wait up to 5 minutes, asking every second, for another install's migration.
			locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
			if err != nil {
				return fmt.Errorf("store: unable to prepare the migration lock: %w", err)
			}
			opts = append(opts, goose.WithSessionLocker(locker))
		}
	}
	sub, err := fs.Sub(migrationsFS, dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	p, err := goose.NewProvider(gooseDialect, db, sub, opts...)
	if err != nil {
		return fmt.Errorf("store: unable to prepare migrations: %w", err)
	}
	wait := 100 * time.Millisecond
	for try := 1; ; try++ {
		_, err = p.Up(ctx)
		if err == nil {
			return nil
		}
		if !pooled || !concurrentMigration(err) {
			return fmt.Errorf("store: unable to migrate the %s database: %w", dialect, err)
		}
		if try == migrateTries {
			return fmt.Errorf("store: unable to migrate the postgres database: another install kept migrating it "+
				"at the same time (%d tries through the transaction pooler); start Sambad again, or migrate once "+
				"through a direct connection (port 5432): %w", try, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("store: unable to migrate the postgres database: %w", ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// concurrentMigration reports whether err is what Postgres says when another
// install created the same object, or locked the same rows, at the same time.
func concurrentMigration(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "42P07", // duplicate_table (goose_db_version, a table, an index)
		"42710", // duplicate_object (a trigger, a constraint, an extension)
		"42723", // duplicate_function
		"42701", // duplicate_column
		"23505", // unique_violation (the catalog's own, on concurrent CREATE)
		"40001", // serialization_failure
		"40P01": // deadlock_detected
		return true
	}
	return false
}

// transactionPooled reports whether a Postgres DSN goes through a
// transaction pooler: Supabase's pooler port, or an exec mode chosen because
// the pooler refuses prepared statements.
func transactionPooled(dsn string) bool {
	u, err := url.Parse(dsn)
	if err != nil {
		return false
	}
	switch u.Query().Get("default_query_exec_mode") {
	case "exec", "simple_protocol":
		return true
	}
	return u.Port() == "6543"
}
