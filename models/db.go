// Package models holds Sambad's GORM models, the store that reads and writes
// them, and the versioned SQL migrations for SQLite and Postgres.
package models

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

//go:embed migrations
var migrationsFS embed.FS

// Dialects.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Sentinel errors. Every "not found" the store reports wraps ErrNotFound.
var (
	ErrNotFound  = errors.New("not found")
	ErrDuplicate = errors.New("already exists")
	// ErrBadDatabaseURL: DATABASE_URL cannot be used as written; trying
	// again will not help.
	ErrBadDatabaseURL = errors.New("DATABASE_URL is not valid")
)

// OpenOptions says which database to open.
type OpenOptions struct {
	// SQLitePath opens a SQLite file; DatabaseURL a Postgres database. Exactly one.
	SQLitePath  string
	DatabaseURL string
	// PGExecMode sets pgx's default_query_exec_mode (exec, simple_protocol, ...).
	// Empty picks "exec" for Supabase's transaction pooler port 6543 and pgx's
	// default otherwise.
	PGExecMode string
}

// Store reads and writes business data. It is safe for concurrent use.
type Store struct {
	db      *gorm.DB
	dialect string
	q       *queries // the hand-written SQL, queries/<dialect>.sql
}

// Open connects, applies pending migrations and returns the store.
func Open(ctx context.Context, o OpenOptions) (*Store, error) {
	var (
		db      *gorm.DB
		err     error
		dialect string
		pooled  bool // through a transaction pooler: no session state across statements
	)
	// Microseconds: what Postgres keeps, so a time synced there and back is
	// unchanged. No automatic ping: an error from gorm.Open is then about the
	// settings, and the ping below says whether the database answers.
	cfg := &gorm.Config{Logger: logger.Discard, DisableAutomaticPing: true,
		NowFunc: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	switch {
	case o.SQLitePath != "" && o.DatabaseURL == "":
		dialect = DialectSQLite
		db, err = gorm.Open(sqlite.Open(SQLiteDSN(o.SQLitePath)), cfg)
	case o.DatabaseURL != "" && o.SQLitePath == "":
		dialect = DialectPostgres
		dsn, derr := PostgresDSN(o.DatabaseURL, o.PGExecMode)
		if derr != nil {
			return nil, derr
		}
		pooled = transactionPooled(dsn)
		if db, err = gorm.Open(postgres.Open(dsn), cfg); err != nil {
			// pgx could not parse the settings; its message hides the password.
			return nil, fmt.Errorf("store: %w: %w", ErrBadDatabaseURL, err)
		}
	default:
		return nil, errors.New("store: give either a SQLite path or a database URL")
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if dialect == DialectSQLite {
		// One writer at a time is what SQLite allows; readers go in parallel under WAL.
		sqlDB.SetMaxOpenConns(8)
	} else {
		sqlDB.SetMaxOpenConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: unable to reach the %s database: %w", dialect, err)
	}
	q, err := loadQueries(dialect)
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	s := &Store{db: db, dialect: dialect, q: q}
	if err := s.migrate(ctx, sqlDB, pooled); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// SQLiteDSN returns the DSN for a SQLite file: busy timeout before WAL,
// foreign keys on, and writers take the lock when their transaction begins.
func SQLiteDSN(path string) string {
	return "file:" + path + "?_busy_timeout=10000&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=on&_txlock=immediate"
}

// PostgresDSN adds the pgx query exec mode to a database URL.
func PostgresDSN(databaseURL, execMode string) (string, error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		// Never echo the URL: it carries the password.
		return "", fmt.Errorf("store: %w: it is not a URL", ErrBadDatabaseURL)
	}
	q := u.Query()
	if execMode == "" && u.Port() == "6543" && q.Get("default_query_exec_mode") == "" {
		// Supabase's transaction pooler refuses prepared statements.
		execMode = "exec"
	}
	if execMode != "" {
		q.Set("default_query_exec_mode", execMode)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// SchemaVersion returns the newest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&v).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to read the schema version: %w", err)
	}
	return v, nil
}

// SetClock replaces the store's clock (created_at, updated_at), for tests
// that skew an install's time.
func (s *Store) SetClock(now func() time.Time) {
	s.db.Config.NowFunc = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
}

// now is the store's clock.
func (s *Store) now() time.Time { return s.db.Config.NowFunc() }

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// DB exposes the connection to other store packages (sync, campaigns'
// stores). Handlers never call it.
func (s *Store) DB() *gorm.DB { return s.db }

// CheckDatabaseURL reports, without connecting, whether a database URL can
// be used as written. A bad one is an error to fix, not a reason to retry.
func CheckDatabaseURL(databaseURL, execMode string) error {
	dsn, err := PostgresDSN(databaseURL, execMode)
	if err != nil {
		return err
	}
	if _, err := pgx.ParseConfig(dsn); err != nil {
		// pgx's message hides the password.
		return fmt.Errorf("store: %w: %w", ErrBadDatabaseURL, err)
	}
	return nil
}
