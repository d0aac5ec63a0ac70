package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrCampaignRunning is wrapped when a restore is refused because a campaign
// is sending: replacing its recipients under it would lose what it sent.
var ErrCampaignRunning = errors.New("a campaign is running")

// LatestSchemaVersion is the newest migration this build carries.
func LatestSchemaVersion() (int64, error) {
	p, err := sqliteProvider(nil)
	if err != nil {
		return 0, err
	}
	srcs := p.ListSources()
	if len(srcs) == 0 {
		return 0, errors.New("store: no migrations")
	}
	return srcs[len(srcs)-1].Version, nil
}

func sqliteProvider(db *sql.DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrationsFS, "migrations/sqlite")
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if db == nil {
		// ListSources needs no database; goose wants one all the same.
		db, _ = sql.Open("sqlite3", ":memory:")
		defer db.Close()
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("store: unable to prepare migrations: %w", err)
	}
	return p, nil
}

// OpenStaging opens a new SQLite file migrated up to version: a restore
// loads an archive there, at the schema it was made with, then migrates it
// to this build's schema before anything touches the live database.
func OpenStaging(ctx context.Context, path string, version int64) (*Store, error) {
	db, err := OpenStagingDB(ctx, path, version)
	if err != nil {
		return nil, err
	}
	return NewStore(db), nil
}

// OpenStagingDB is OpenStaging's database, for callers (tests) that need
// the handle as well as the store over it.
func OpenStagingDB(ctx context.Context, path string, version int64) (*DB, error) {
	cfg := &gorm.Config{Logger: logger.Discard, DisableAutomaticPing: true,
		NowFunc: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	gdb, err := gorm.Open(sqlite.Open(SQLiteDSN(path)), cfg)
	if err != nil {
		return nil, fmt.Errorf("store: unable to open the staging database: %w", err)
	}
	q, err := loadQueries(DialectSQLite)
	if err != nil {
		return nil, err
	}
	db := &DB{gdb: gdb, dialect: DialectSQLite, q: q}
	p, err := sqliteProvider(db.SQL())
	if err != nil {
		db.Close()
		return nil, err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: unable to prepare the staging database at version %d: %w", version, err)
	}
	return db, nil
}

// MigrateUp applies this build's pending migrations (to a staging database).
func (s *Store) MigrateUp(ctx context.Context) error {
	p, err := sqliteProvider(s.sqlDB())
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: unable to migrate the restored data: %w", err)
	}
	return nil
}

// TableColumns returns the business tables and their columns, parents first.
func (s *Store) TableColumns(ctx context.Context) (map[string][]string, []string, error) {
	tables, err := businessTables(ctx, s.sqlDB(), s.q)
	if err != nil {
		return nil, nil, err
	}
	cols := map[string][]string{}
	var order []string
	for _, t := range tables {
		cols[t.Name] = t.Columns
		order = append(order, t.Name)
	}
	return cols, order, nil
}

// LoadRows inserts rows into a table of a staging database; next returns
// nil at the end. The table and columns must exist: names come from a file
// and are checked against the schema before they reach SQL.
func (s *Store) LoadRows(ctx context.Context, table string, columns []string, next func() ([]any, error)) (int64, error) {
	have, _, err := s.TableColumns(ctx)
	if err != nil {
		return 0, err
	}
	known, ok := have[table]
	if !ok {
		return 0, fmt.Errorf("store: table %q is not part of this schema", table)
	}
	for _, c := range columns {
		if !contains(known, c) {
			return 0, fmt.Errorf("store: table %s has no column %q", table, c)
		}
	}
	tx, err := s.sqlDB().BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	defer tx.Rollback()
	n, err := insertRows(ctx, tx, s.dialect, table, columns, next)
	if err != nil {
		return n, err
	}
	return n, tx.Commit()
}

// ParkRunningCampaigns pauses the campaigns of a staging copy that were
// running when the backup was made: a restored campaign waits for a person
// to resume it rather than sending by itself.
func (s *Store) ParkRunningCampaigns(ctx context.Context) (int64, error) {
	res, err := s.sqlDB().ExecContext(ctx, s.q.ParkRunning,
		CampaignPaused, PauseUser, CampaignRunning)
	if err != nil {
		return 0, fmt.Errorf("store: unable to pause restored campaigns: %w", err)
	}
	return res.RowsAffected()
}

// ReplaceFrom replaces every business table's rows with src's, in one
// transaction: a failure anywhere leaves the data as it was. It refuses
// while a campaign runs. Rows are deleted (not truncated) so the triggers
// that track changes for sync see every one.
func (s *Store) ReplaceFrom(ctx context.Context, src *Store) (map[string]int64, error) {
	tables, err := businessTables(ctx, s.sqlDB(), s.q)
	if err != nil {
		return nil, err
	}
	srcCols, _, err := src.TableColumns(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.sqlDB().BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: unable to start the restore: %w", err)
	}
	defer tx.Rollback()
	if s.dialect == DialectSQLite {
		if _, err := tx.ExecContext(ctx, s.q.RestoreDeferForeignKeys); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	var running int64
	if err := tx.QueryRowContext(ctx, s.q.CountRunning, CampaignRunning).Scan(&running); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if running > 0 {
		return nil, fmt.Errorf("store: %w", ErrCampaignRunning)
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(tables[i].Name)); err != nil {
			return nil, fmt.Errorf("store: unable to clear %s: %w", tables[i].Name, err)
		}
	}
	counts := map[string]int64{}
	for _, t := range tables {
		var cols []string
		for _, c := range t.Columns {
			if contains(srcCols[t.Name], c) {
				cols = append(cols, c)
			}
		}
		if len(cols) == 0 {
			continue
		}
		rows := make(chan []any, 256)
		errc := make(chan error, 1)
		readCtx, cancel := context.WithCancel(ctx)
		go func() {
			defer close(rows)
			errc <- eachRow(readCtx, src.sqlDB(), tableInfo{Name: t.Name, Columns: cols}, func(v []any) error {
				select {
				case rows <- append([]any(nil), v...):
					return nil
				case <-readCtx.Done():
					return readCtx.Err()
				}
			})
		}()
		n, err := insertRows(ctx, tx, s.dialect, t.Name, cols, func() ([]any, error) { return <-rows, nil })
		cancel()
		for range rows {
		}
		if rerr := <-errc; err == nil && rerr != nil && !errors.Is(rerr, context.Canceled) {
			err = rerr
		}
		if err != nil {
			return nil, err
		}
		counts[t.Name] = n
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: unable to commit the restore: %w", err)
	}
	return counts, nil
}

// insertRows writes rows in multi-row INSERTs of up to 500 rows.
func insertRows(ctx context.Context, tx *sql.Tx, dialect, table string, columns []string, next func() ([]any, error)) (int64, error) {
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = quoteIdent(c)
	}
	per := min(500, max(1, 30000/len(columns)))
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	head := "INSERT INTO " + quoteIdent(table) + " (" + strings.Join(quoted, ", ") + ") VALUES "
	var total int64
	args := make([]any, 0, per*len(columns))
	flush := func(n int) error {
		if n == 0 {
			return nil
		}
		q := head + strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
		if dialect == DialectPostgres {
			q = (&Store{dialect: dialect}).rebind(q)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("store: unable to restore %s: %w", table, err)
		}
		total += int64(n)
		args = args[:0]
		return nil
	}
	n := 0
	for {
		row, err := next()
		if err != nil {
			return total, err
		}
		if row == nil {
			break
		}
		if len(row) != len(columns) {
			return total, fmt.Errorf("store: a row of %s has %d values for %d columns", table, len(row), len(columns))
		}
		args = append(args, row...)
		if n++; n == per {
			if err := flush(n); err != nil {
				return total, err
			}
			n = 0
		}
	}
	return total, flush(n)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
