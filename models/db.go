// Package models holds Sambad's GORM models, the store that reads and writes
// them, and the versioned SQL migrations for SQLite and Postgres.
package models

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
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
// It never hands out its connection: a package that needs other tables
// (syncer's sync tables) receives the DB from whoever opened it.
type Store struct {
	db      *gorm.DB
	dialect string
	conn    *DB
	q       *queries // the hand-written SQL, queries/<dialect>.sql
	// runCounts caches campaigns' counts per run for the reports page
	// (runCountsOf).
	runCounts sync.Map
}

// DB is one open, migrated database: the connection pool the composition
// root (cli) opens once and hands to each package that owns tables in it,
// NewStore for the business tables and syncer for the sync tables. The pool
// is shared because those tables live in one SQLite file, where the outbox
// triggers write sync rows inside business transactions.
type DB struct {
	gdb     *gorm.DB
	dialect string
	q       *queries // the hand-written SQL, loaded once when the database opens
}

// Open connects, applies pending migrations and returns the store, for
// callers that own no other tables (cloud mode, tools, tests).
func Open(ctx context.Context, o OpenOptions) (*Store, error) {
	db, err := OpenDB(ctx, o)
	if err != nil {
		return nil, err
	}
	return NewStore(db), nil
}

// NewStore returns the business store over an open database.
func NewStore(db *DB) *Store {
	return &Store{db: db.gdb, dialect: db.dialect, conn: db, q: db.q}
}

// OpenDB connects and applies pending migrations.
func OpenDB(ctx context.Context, o OpenOptions) (*DB, error) {
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
		if err := secureSQLiteFiles(o.SQLitePath); err != nil {
			return nil, err
		}
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
	if dialect == DialectSQLite {
		// The ping opened the WAL and its index: tighten them too.
		if err := secureSQLiteFiles(o.SQLitePath); err != nil {
			sqlDB.Close()
			return nil, err
		}
	}
	q, err := loadQueries(dialect)
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	if err := migrate(ctx, dialect, sqlDB, pooled); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return &DB{gdb: db, dialect: dialect, q: q}, nil
}

// secureSQLiteFiles makes the database file, and its -wal and -shm files
// when they exist, readable by the owner only (0600): they hold every
// contact. The database file is created 0600 when missing, and SQLite
// gives the -wal and -shm files it creates the database file's mode; files
// an older version left 0644 are tightened.
func secureSQLiteFiles(path string) error {
	if path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: unable to open the database file %s: %w", path, err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err == nil && fi.Mode().Perm() != 0o600 {
			err = os.Chmod(p, 0o600)
		}
		if err != nil {
			return fmt.Errorf("store: unable to restrict %s to 0600: %w", p, err)
		}
	}
	return nil
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
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) { return s.conn.SchemaVersion(ctx) }

// SchemaVersion returns the newest business migration applied: the version
// sync ops are written in and the cloud is checked against.
func (d *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := d.gdb.WithContext(ctx).Raw("SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&v).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to read the schema version: %w", err)
	}
	return v, nil
}

// SQL returns the connection pool, for the package that owns the tables it
// reads (syncer). The Store never hands it out.
func (d *DB) SQL() *sql.DB {
	db, _ := d.gdb.DB() // never fails: the pool was opened by OpenDB
	return db
}

// Gorm returns the pool as GORM, for test fixtures that write rows no
// store method writes.
func (d *DB) Gorm() *gorm.DB { return d.gdb }

// Dialect returns "sqlite" or "postgres".
func (d *DB) Dialect() string { return d.dialect }

// Close closes the pool.
func (d *DB) Close() error { return d.SQL().Close() }

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
func (s *Store) Close() error { return s.conn.Close() }

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
