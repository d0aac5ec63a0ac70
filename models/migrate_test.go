package models_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestConcurrentCloudMigration: installs starting together on an empty cloud
// database all start, and the schema is the one a single install makes —
// directly (session advisory lock) and through a transaction pooler (retry).
func TestConcurrentCloudMigration(t *testing.T) {
	want := schemaOf(t, testdb.Postgres(t))
	for _, tc := range []struct {
		name     string
		url      func(t *testing.T) string
		execMode string
	}{
		{"direct", func(t *testing.T) string { return testdb.PostgresURL(t) }, ""},
		{"pgbouncer", func(t *testing.T) string { return testdb.PgBouncerURL(t, testdb.PostgresURL(t)) }, "exec"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbURL := tc.url(t)
			const installs = 4
			stores := make([]*models.Store, installs)
			errs := make([]error, installs)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range installs {
				wg.Go(func() {
					<-start
					stores[i], errs[i] = testdb.Open(context.Background(), models.OpenOptions{DatabaseURL: dbURL, PGExecMode: tc.execMode})
				})
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("install %d of %d failed to start: %v", i+1, installs, err)
				}
				t.Cleanup(func() { stores[i].Close() })
			}
			if got := schemaOf(t, stores[0]); !slices.Equal(got, want) {
				t.Fatalf("schema after %d concurrent starts differs from one start's:\ngot  %v\nwant %v", installs, got, want)
			}
			// Each version is recorded once: nothing was applied twice.
			var dups int64
			testdb.Gorm(stores[0]).Raw(`SELECT COUNT(*) FROM (SELECT version_id FROM goose_db_version
				GROUP BY version_id HAVING COUNT(*) > 1) d`).Scan(&dups)
			if dups != 0 {
				t.Fatalf("%d migration versions recorded more than once", dups)
			}
			// Every install can write.
			for i, s := range stores {
				newContact(t, s, fmt.Sprintf("98765%05d", i+1), "Install", nil)
			}
		})
	}
}

// TestSQLiteOpensTwice: SQLite is unaffected by the cloud's lock; a second
// open of a migrated file finds nothing to do.
func TestSQLiteOpensTwice(t *testing.T) {
	dir := t.TempDir() + "/sambad.db"
	for i := range 2 {
		s, err := testdb.Open(context.Background(), models.OpenOptions{SQLitePath: dir})
		if err != nil {
			t.Fatalf("open %d: %v", i+1, err)
		}
		s.Close()
	}
}

// schemaOf lists the public schema's tables, columns, indexes, functions and
// triggers, and the migration versions applied.
func schemaOf(t *testing.T, s *models.Store) []string {
	t.Helper()
	sqlDB, err := testdb.Gorm(s).DB()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, q := range []string{
		`SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = 'public'`,
		`SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'`,
		`SELECT 'function ' || routine_name FROM information_schema.routines WHERE routine_schema = 'public'`,
		`SELECT 'trigger ' || event_object_table || '.' || trigger_name || ' ' || event_manipulation FROM information_schema.triggers WHERE trigger_schema = 'public'`,
		`SELECT 'extension ' || extname FROM pg_extension`,
		`SELECT DISTINCT 'version ' || version_id FROM goose_db_version WHERE is_applied`,
	} {
		out = append(out, rows(t, sqlDB, q)...)
	}
	slices.Sort(out)
	return out
}

func rows(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	r, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", strings.Fields(q)[1], err)
	}
	defer r.Close()
	var out []string
	for r.Next() {
		var v string
		if err := r.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
