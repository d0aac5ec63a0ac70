package models

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// querier is what listing tables needs: a pool, a connection or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// BackupExcluded reports whether a table never goes into a backup and is
// never touched by a restore: the sign-in tables (password hash, sessions,
// and any later auth_ table such as API tokens), sync state (it belongs to
// this install and its cloud, not to the data), the install-local activity
// feed and the migration ledger.
func BackupExcluded(table string) bool {
	switch {
	case table == "goose_db_version", table == "events", strings.HasPrefix(table, "sqlite_"):
		return true
	case strings.HasPrefix(table, "auth_"), strings.HasPrefix(table, "sync_"), strings.HasPrefix(table, "webhook_"):
		return true
	}
	return false
}

// tableInfo is one business table: its columns in order and the tables its
// foreign keys point to.
type tableInfo struct {
	Name    string
	Columns []string
	Parents []string
}

// businessTables lists the tables a backup holds, parents before children,
// read from the database's own catalog so a table added by a later
// migration is backed up without a change here.
func businessTables(ctx context.Context, q querier, named *queries) ([]tableInfo, error) {
	var names []string
	if err := collect(ctx, q, named.BackupTables, &names); err != nil {
		return nil, err
	}
	byName := map[string]*tableInfo{}
	for _, n := range names {
		if BackupExcluded(n) {
			continue
		}
		t := &tableInfo{Name: n}
		if err := collect(ctx, q, named.BackupColumns, &t.Columns, n); err != nil {
			return nil, err
		}
		if err := collect(ctx, q, named.BackupParents, &t.Parents, n); err != nil {
			return nil, err
		}
		byName[n] = t
	}
	// Parents first; ties by name, so two dumps of one schema list tables alike.
	var out []tableInfo
	done := map[string]bool{}
	var visit func(n string, depth int) error
	visit = func(n string, depth int) error {
		t, ok := byName[n]
		if !ok || done[n] {
			return nil
		}
		if depth > len(byName) {
			return fmt.Errorf("store: foreign keys of %s form a cycle", n)
		}
		parents := append([]string(nil), t.Parents...)
		sort.Strings(parents)
		for _, p := range parents {
			if p != n {
				if err := visit(p, depth+1); err != nil {
					return err
				}
			}
		}
		if !done[n] {
			done[n] = true
			out = append(out, *t)
		}
		return nil
	}
	sort.Strings(names)
	for _, n := range names {
		if err := visit(n, 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func collect(ctx context.Context, q querier, query string, dst *[]string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: unable to read the schema: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("store: unable to read the schema: %w", err)
		}
		*dst = append(*dst, s)
	}
	return rows.Err()
}

// quoteIdent quotes a table or column name for either dialect.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
