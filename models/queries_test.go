package models

import (
	"reflect"
	"strings"
	"testing"
)

// TestQueriesLoad: both dialect files hold every query the store needs, and
// nothing else.
func TestQueriesLoad(t *testing.T) {
	for _, d := range []string{DialectSQLite, DialectPostgres} {
		q, err := loadQueries(d)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if q.ClaimPending == "" || strings.Contains(q.ClaimPending, "--") {
			t.Fatalf("%s: claim-pending is %q (comments must be dropped)", d, q.ClaimPending)
		}
		if d == DialectPostgres && strings.Count(q.RecordOutcomes, outcomesValues) != 1 {
			t.Fatalf("record-outcomes must hold %s once: %q", outcomesValues, q.RecordOutcomes)
		}
	}
}

// TestQueriesMissingFailsStartup: a query missing from a dialect's file, a
// name no field takes, or a name used twice stops the store from opening.
func TestQueriesMissingFailsStartup(t *testing.T) {
	src, err := queriesFS.ReadFile("queries/postgres.sql")
	if err != nil {
		t.Fatal(err)
	}
	full, err := parseQueries(string(src))
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]string{}
	for k, v := range full {
		if k != "claim-pending" {
			missing[k] = v
		}
	}
	if err := fillQueries(&queries{}, missing, DialectPostgres); err == nil || !strings.Contains(err.Error(), `"claim-pending" is missing`) {
		t.Fatalf("a missing query: %v", err)
	}
	full["no-such-query"] = "SELECT 1"
	if err := fillQueries(&queries{}, full, DialectPostgres); err == nil || !strings.Contains(err.Error(), "no-such-query") {
		t.Fatalf("an unknown query: %v", err)
	}
	// A SQLite-only query is not wanted in the Postgres file.
	delete(full, "no-such-query")
	full["record-outcome"] = "SELECT 1"
	if err := fillQueries(&queries{}, full, DialectPostgres); err == nil || !strings.Contains(err.Error(), "record-outcome") {
		t.Fatalf("a query of the other dialect: %v", err)
	}
	if _, err := parseQueries("-- name: a\nSELECT 1\n-- name: a\nSELECT 2\n"); err == nil {
		t.Fatal("a name used twice was accepted")
	}
	if _, err := parseQueries("SELECT 1\n-- name: a\nSELECT 2\n"); err == nil {
		t.Fatal("SQL before the first name was accepted")
	}
	if _, err := parseQueries("-- name: a\n-- only a comment\n-- name: b\nSELECT 2\n"); err == nil {
		t.Fatal("an empty query was accepted")
	}
}

// TestStoreQueriesMissingFailsStartup: the statements of storeQueries
// (embedded in queries) are checked at start-up like the rest.
func TestStoreQueriesMissingFailsStartup(t *testing.T) {
	for _, d := range []string{DialectSQLite, DialectPostgres} {
		src, err := queriesFS.ReadFile("queries/" + d + ".sql")
		if err != nil {
			t.Fatal(err)
		}
		byName, err := parseQueries(string(src))
		if err != nil {
			t.Fatal(err)
		}
		delete(byName, "webhook-advance")
		if err := fillQueries(&queries{}, byName, d); err == nil || !strings.Contains(err.Error(), `"webhook-advance" is missing`) {
			t.Fatalf("%s: a missing store query: %v", d, err)
		}
	}
}

// TestStoreQueriesSameInBothDialects: a statement of storeQueries is the
// same in both files, its ? renumbered $n for Postgres (or left as ? where
// it is assembled and then renumbered or bound by GORM), except the few
// whose SQL differs by dialect, named here.
func TestStoreQueriesSameInBothDialects(t *testing.T) {
	differ := map[string]bool{"lock-users": true, "media-for-delete": true, "backup-tables": true, "backup-columns": true, "backup-parents": true}
	lite, err := loadQueries(DialectSQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := loadQueries(DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	lv, pv := reflect.ValueOf(lite.storeQueries), reflect.ValueOf(pg.storeQueries)
	for i := 0; i < lv.NumField(); i++ {
		f := lv.Type().Field(i)
		name, only, _ := strings.Cut(f.Tag.Get("query"), ",")
		l, p := lv.Field(i).String(), pv.Field(i).String()
		if differ[name] || only != "" {
			if !differ[name] && only != "" && (l != "" && p != "") {
				t.Errorf("%s: only for %s but in both files", name, only)
			}
			continue
		}
		if p != l && p != (&Store{dialect: DialectPostgres}).rebind(l) {
			t.Errorf("%s differs between the dialects:\nsqlite:   %s\npostgres: %s", name, l, p)
		}
	}
}
