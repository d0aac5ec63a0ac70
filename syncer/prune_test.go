package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// logApplied makes the cloud database log every row ever written to
// sync_applied (a test-only trigger in the test's own database), so that
// "applied exactly once" can still be checked after sync_prune deleted the
// records: an op applied again after its record was pruned logs twice.
func logApplied(t *testing.T, cloud *models.Store) {
	t.Helper()
	db, err := testdb.Gorm(cloud).DB()
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE TABLE test_applied_log (op_id UUID NOT NULL, install_id TEXT NOT NULL, seq BIGINT NOT NULL)`,
		`CREATE FUNCTION test_log_applied() RETURNS TRIGGER LANGUAGE plpgsql AS $$ BEGIN
		     INSERT INTO test_applied_log SELECT op_id, install_id, seq FROM new_rows; RETURN NULL; END $$`,
		`CREATE TRIGGER test_log_applied AFTER INSERT ON sync_applied REFERENCING NEW TABLE AS new_rows
		     FOR EACH STATEMENT EXECUTE FUNCTION test_log_applied()`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
}

// assertAppliedOnce checks that every op the install wrote (seqs 1 to the
// highest) was applied exactly once, and that sync_applied holds no record
// of the install below the lowest seq it may still send. It returns the
// number of ops.
func assertAppliedOnce(t *testing.T, what string, cloud, local *models.Store) int64 {
	t.Helper()
	var installID string
	var maxSeq, floor int64
	db, _ := testdb.Gorm(local).DB()
	db.QueryRow(`SELECT value FROM sync_state WHERE key = 'install_id'`).Scan(&installID)
	db.QueryRow(`SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0)`).Scan(&maxSeq)
	db.QueryRow(`SELECT COALESCE(MIN(seq), ?) FROM sync_outbox`, maxSeq+1).Scan(&floor)
	var n, distinct, top, stale int64
	testdb.Gorm(cloud).Raw(`SELECT COUNT(*), COUNT(DISTINCT seq), COALESCE(MAX(seq), 0) FROM test_applied_log WHERE install_id = ?`, installID).Row().Scan(&n, &distinct, &top)
	if maxSeq == 0 || n != maxSeq || distinct != maxSeq || top != maxSeq {
		t.Fatalf("%s wrote %d ops; Postgres applied %d (%d distinct, highest %d)", what, maxSeq, n, distinct, top)
	}
	testdb.Gorm(cloud).Raw(`SELECT COUNT(*) FROM sync_applied WHERE install_id = ? AND seq < ?`, installID, floor).Scan(&stale)
	if stale != 0 {
		t.Fatalf("%s: sync_applied keeps %d records below the outbox's lowest seq %d", what, stale, floor)
	}
	return maxSeq
}

// appliedSeqs returns the seqs sync_applied holds for the install, as "lo-hi" (or "none").
func appliedSeqs(t *testing.T, cloud, local *models.Store) string {
	t.Helper()
	var installID string
	db, _ := testdb.Gorm(local).DB()
	db.QueryRow(`SELECT value FROM sync_state WHERE key = 'install_id'`).Scan(&installID)
	var n, lo, hi int64
	testdb.Gorm(cloud).Raw(`SELECT COUNT(*), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM sync_applied WHERE install_id = ?`, installID).Row().Scan(&n, &lo, &hi)
	if n == 0 {
		return "none"
	}
	if n != hi-lo+1 {
		return fmt.Sprintf("%d seqs in %d-%d", n, lo, hi)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

// TestSyncPrune: sync_prune deletes one install's records below a seq, at
// most max_rows per call, and refuses input that would make it guess.
func TestSyncPrune(t *testing.T) {
	_, cloud := migratedCloud(t)
	db := testdb.Gorm(cloud)
	for _, install := range []string{"a", "b"} {
		err := db.Exec(`INSERT INTO sync_applied (op_id, install_id, seq, status)
			SELECT gen_random_uuid(), ?, s, 'applied' FROM generate_series(1, 10) s`, install).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		install  any
		below    any
		maxRows  int
		deleted  int64
		leftA    string // seqs left of install a
		errorHas string
	}{
		{"a chunk, lowest seqs first", "a", 6, 2, 2, "3-10", ""},
		{"the rest below the bound", "a", 6, 5000, 3, "6-10", ""},
		{"again: nothing to do", "a", 6, 5000, 0, "6-10", ""},
		{"the bound is exclusive", "a", 10, 5000, 4, "10-10", ""},
		{"no install id", "", 5, 10, 0, "10-10", "install id is missing"},
		{"no bound", "a", nil, 10, 0, "10-10", "needs a seq bound"},
		{"zero rows a call", "a", 11, 0, 0, "10-10", "positive max_rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n int64
			err := db.Raw(`SELECT sync_prune(?::text, ?::bigint, ?::integer)`, tc.install, tc.below, tc.maxRows).Row().Scan(&n)
			switch {
			case tc.errorHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errorHas)):
				t.Fatalf("error = %v, want one saying %q", err, tc.errorHas)
			case tc.errorHas == "" && err != nil:
				t.Fatal(err)
			case n != tc.deleted:
				t.Fatalf("deleted %d, want %d", n, tc.deleted)
			}
			var lo, hi int64
			db.Raw(`SELECT MIN(seq), MAX(seq) FROM sync_applied WHERE install_id = 'a'`).Row().Scan(&lo, &hi)
			if got := fmt.Sprintf("%d-%d", lo, hi); got != tc.leftA {
				t.Fatalf("install a keeps seqs %s, want %s", got, tc.leftA)
			}
		})
	}
	var b int64
	db.Raw(`SELECT COUNT(*) FROM sync_applied WHERE install_id = 'b'`).Scan(&b)
	if b != 10 {
		t.Fatalf("pruning install a left %d of install b's 10 records", b)
	}
}

// TestPruneAfterPush: the worker prunes the cloud's record of its applied
// ops after pushing, keeps the records of ops whose acknowledgement was lost
// (still in the outbox), and such an op, pushed again, is applied once.
func TestPruneAfterPush(t *testing.T) {
	url, cloud := migratedCloud(t)
	logApplied(t, cloud)
	local := testdb.SQLite(t)
	w := newWorker(local, url)
	w.BatchSize = 10
	addContacts := func(from, n int) {
		for i := from; i < from+n; i++ {
			addContact(t, local, fmt.Sprintf("98765%05d", i), fmt.Sprintf("c%d", i))
		}
	}
	addContacts(0, 25)
	round(t, w)
	if got := appliedSeqs(t, cloud, local); got != "none" {
		t.Fatalf("after pushing everything, sync_applied keeps seqs %s", got)
	}

	// The cloud applies seqs 26-45, the answer for 36-45 is lost.
	addContacts(25, 25)
	ctx, cancel := context.WithCancel(context.Background())
	pushes := 0
	syncer.SetAfterPush(w, func() {
		if pushes++; pushes == 2 {
			cancel()
		}
	})
	if err := w.Round(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("round with a lost acknowledgement: %v", err)
	}
	syncer.SetAfterPush(w, nil)
	if err := w.Prune(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := appliedSeqs(t, cloud, local); got != "36-45" {
		t.Fatalf("with seqs 36-50 in the outbox, sync_applied keeps seqs %s, want 36-45", got)
	}

	// The retry is answered from those records; within PruneInterval
	// (1 min) the worker does not prune again.
	round(t, w)
	if got := appliedSeqs(t, cloud, local); got != "36-50" {
		t.Fatalf("after the retry, sync_applied keeps seqs %s, want 36-50 (no prune within the interval)", got)
	}
	if n, _ := cloud.CountContacts(context.Background()); n != 50 {
		t.Fatalf("the cloud has %d contacts, want 50", n)
	}

	// A new process prunes on its first round.
	round(t, newWorker(local, url))
	if got := appliedSeqs(t, cloud, local); got != "none" {
		t.Fatalf("after a new worker's round, sync_applied keeps seqs %s", got)
	}
	assertAppliedOnce(t, "the install", cloud, local)
	st, err := w.Status(context.Background())
	if err != nil || st.Pending != 0 || len(st.Rejected) != 0 {
		t.Fatalf("status = %+v, %v", st, err)
	}
}
