package models

import (
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
