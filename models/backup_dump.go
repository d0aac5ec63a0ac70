package models

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// DumpWriter receives a copy of the business tables, table by table, parents
// before children. Values are nil, bool, int64, float64, string, []byte or
// time.Time.
type DumpWriter interface {
	Table(name string, columns []string) error
	Row(values []any) error
}

// Dump writes every business table (see BackupExcluded) as it was at one
// moment. SQLite copies the database with VACUUM INTO and reads the copy, so
// writers are never held up; Postgres reads in one repeatable-read,
// read-only transaction.
func (s *Store) Dump(ctx context.Context, w DumpWriter) error {
	if s.dialect == DialectPostgres {
		tx, err := s.sqlDB().BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return fmt.Errorf("store: unable to start the backup: %w", err)
		}
		defer tx.Rollback()
		return dumpFrom(ctx, tx, s.q, w)
	}
	dir, err := os.MkdirTemp("", "sambad-dump-")
	if err != nil {
		return fmt.Errorf("store: unable to make a temporary directory for the backup: %w", err)
	}
	defer os.RemoveAll(dir)
	copyPath := filepath.Join(dir, "copy.db")
	if _, err := s.sqlDB().ExecContext(ctx, s.q.BackupCopy, copyPath); err != nil {
		return fmt.Errorf("store: unable to copy the database for the backup: %w", err)
	}
	db, err := sql.Open("sqlite3", "file:"+copyPath+"?mode=ro")
	if err != nil {
		return fmt.Errorf("store: unable to open the backup copy: %w", err)
	}
	defer db.Close()
	return dumpFrom(ctx, db, s.q, w) // the copy is SQLite, as s is
}

func dumpFrom(ctx context.Context, q querier, named *queries, w DumpWriter) error {
	tables, err := businessTables(ctx, q, named)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := w.Table(t.Name, t.Columns); err != nil {
			return err
		}
		if err := eachRow(ctx, q, t, w.Row); err != nil {
			return err
		}
	}
	return nil
}

// eachRow reads a table's rows into fresh value slices.
func eachRow(ctx context.Context, q querier, t tableInfo, fn func([]any) error) error {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quoteIdent(c)
	}
	rows, err := q.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+quoteIdent(t.Name))
	if err != nil {
		return fmt.Errorf("store: unable to read %s: %w", t.Name, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("store: unable to read %s: %w", t.Name, err)
		}
		for i, v := range vals {
			// Postgres hands JSONB over as bytes: keep text as text, so it
			// lands in a TEXT or JSONB column alike.
			if b, ok := v.([]byte); ok && utf8.Valid(b) {
				vals[i] = string(b)
			}
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: unable to read %s: %w", t.Name, err)
	}
	return nil
}
