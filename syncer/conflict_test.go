package syncer_test

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"gorm.io/gorm"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// TestClockSkewDoesNotWin: an install whose clock is hours ahead does not
// win over a later edit from an install with the right time.
func TestClockSkewDoesNotWin(t *testing.T) {
	ctx := context.Background()
	url, cloud := migratedCloud(t)
	a, b := testdb.SQLite(t), testdb.SQLite(t)
	a.SetClock(func() time.Time { return time.Now().Add(5 * time.Hour) })
	wa, wb := newWorker(a, url), newWorker(b, url)
	c := addContact(t, a, "9876500001", "Asha")
	round(t, wa)
	round(t, wb)

	ca, _ := a.GetContact(ctx, c.ID)
	ca.Name = "from the install 5 h ahead"
	if err := a.UpdateContact(ctx, ca); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	cb, _ := b.GetContact(ctx, c.ID)
	cb.Name = "from the install on time, later"
	if err := b.UpdateContact(ctx, cb); err != nil {
		t.Fatal(err)
	}
	if !cb.UpdatedAt.Before(ca.UpdatedAt) {
		t.Fatalf("the skewed clock was not ahead: %v vs %v", cb.UpdatedAt, ca.UpdatedAt)
	}
	round(t, wb)
	round(t, wa)
	for name, s := range map[string]*models.Store{"a": a, "b": b, "cloud": cloud} {
		got, err := s.GetContact(ctx, c.ID)
		if err != nil || got.Name != "from the install on time, later" {
			t.Fatalf("%s: name %q (%v): the skewed clock won", name, got.Name, err)
		}
	}
}

// TestRejectedChangeIsVisible: a change Postgres refuses (the same phone
// created on two installs offline) is listed as rejected, kept locally, and
// the cloud's clashing row is held on that install rather than forced in.
func TestRejectedChangeIsVisible(t *testing.T) {
	ctx := context.Background()
	url, cloud := migratedCloud(t)
	a, b := testdb.SQLite(t), testdb.SQLite(t)
	wa, wb := newWorker(a, url), newWorker(b, url)
	addContact(t, a, "9876500001", "Asha on a")
	mine := addContact(t, b, "9876500001", "Asha on b")
	round(t, wa)
	round(t, wb)
	st, err := wb.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rejected) != 1 || st.Rejected[0].RowID != mine.ID || !strings.Contains(st.Rejected[0].Reason, "already has a contact with this phone") {
		t.Fatalf("rejected = %+v", st.Rejected)
	}
	if st.Pending != 0 || st.Held != 1 {
		t.Fatalf("pending %d held %d; want 0 and 1", st.Pending, st.Held)
	}
	if got, err := b.GetContact(ctx, mine.ID); err != nil || got.Name != "Asha on b" {
		t.Fatalf("the rejected local row is gone: %v", err)
	}
	if n, _ := cloud.CountContacts(ctx); n != 1 {
		t.Fatalf("cloud has %d contacts", n)
	}
	// Resolving it: b's contact gets another phone and is sent again; the
	// held row from the cloud then comes in too.
	mine.Phone = "+919876500009"
	if err := b.UpdateContact(ctx, mine); err != nil {
		t.Fatal(err)
	}
	round(t, wb)
	st, _ = wb.Status(ctx)
	if len(st.Rejected) != 2 {
		t.Fatalf("editing a row the cloud never got: rejected = %+v", st.Rejected)
	}
	if err := wb.RetryRejected(ctx, st.Rejected[0].OpID); err != nil {
		t.Fatal(err)
	}
	round(t, wb)
	round(t, wa)
	if st, _ := wb.Status(ctx); len(st.Rejected) != 0 || st.Held != 0 || st.Pending != 0 {
		t.Fatalf("after retrying: %+v", st)
	}
	if got, err := b.GetContactByPhone(ctx, "+919876500001"); err != nil || got.Name != "Asha on a" {
		t.Fatalf("the held row did not come in: %+v %v", got, err)
	}
	assertSame(t, "a and cloud", takeSnapshot(t, a), takeSnapshot(t, cloud))
	assertSame(t, "b and cloud", takeSnapshot(t, b), takeSnapshot(t, cloud))

	// Dismissing removes an entry from the list.
	mine.Phone = "+919876500001"
	if err := b.UpdateContact(ctx, mine); err == nil {
		t.Fatal("a duplicate phone was accepted locally")
	}
	db, _ := testdb.Gorm(b).DB()
	db.Exec(`INSERT INTO sync_rejected (op_id, seq, tbl, row_id, kind, fields, reason) VALUES ('x', 1, 'contacts', 'r', 'update', '{}', 'test')`)
	if err := wb.DismissRejected(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if st, _ := wb.Status(ctx); len(st.Rejected) != 0 {
		t.Fatalf("after dismissing: %+v", st.Rejected)
	}
}

// TestSchemaMismatchHoldsChanges: an install older than the cloud accepts
// does not push and says why; an op from a newer schema than the cloud's is
// not applied; a pulled row from a newer schema is held, not misapplied.
func TestSchemaMismatchHoldsChanges(t *testing.T) {
	ctx := context.Background()
	url, cloud := migratedCloud(t)
	a, b := testdb.SQLite(t), testdb.SQLite(t)
	wa, wb := newWorker(a, url), newWorker(b, url)
	c := addContact(t, a, "9876500001", "Asha")
	round(t, wa)
	round(t, wb)

	// The cloud now needs a newer install.
	testdb.Gorm(cloud).Exec(`UPDATE sync_meta SET value = '999' WHERE key = 'min_client_schema'`)
	addContact(t, a, "9876500002", "Bela")
	var se *syncer.ErrSchema
	if err := wa.Round(ctx); !errors.As(err, &se) || !strings.Contains(err.Error(), "update Sambad") {
		t.Fatalf("round with an old schema: %v", err)
	}
	if st, _ := wa.Status(ctx); st.Pending != 1 || !strings.Contains(st.LastError, "schema") {
		t.Fatalf("status = %+v", st)
	}
	testdb.Gorm(cloud).Exec(`UPDATE sync_meta SET value = '4' WHERE key = 'min_client_schema'`)
	round(t, wa)

	// An op written by a newer schema than the cloud's stays in the outbox.
	db, _ := testdb.Gorm(a).DB()
	db.Exec(`UPDATE sync_state SET value = '999' WHERE key = 'schema_version'`)
	addContact(t, a, "9876500003", "Chand")
	if err := wa.Round(ctx); !errors.As(err, &se) {
		t.Fatalf("round with a newer-schema op: %v", err)
	}
	if st, _ := wa.Status(ctx); st.Pending != 1 {
		t.Fatalf("pending = %d; the newer-schema op left the outbox", st.Pending)
	}
	if n, _ := cloud.CountContacts(ctx); n != 2 {
		t.Fatalf("cloud has %d contacts; the newer-schema op was applied", n)
	}
	db.Exec(`DELETE FROM sync_outbox`)
	round(t, wb)

	// A row written by a newer schema (a column this install does not know) is held.
	testdb.Gorm(cloud).Exec(`ALTER TABLE contacts ADD COLUMN nickname TEXT NOT NULL DEFAULT ''`)
	testdb.Gorm(cloud).Exec(`UPDATE contacts SET name = 'Asha v2', nickname = 'A' WHERE id = ?`, c.ID)
	round(t, wb)
	st, _ := wb.Status(ctx)
	if got, _ := b.GetContact(ctx, c.ID); st.Held != 1 || got.Name != "Asha" {
		t.Fatalf("held %d, name %q: the newer-schema row was applied", st.Held, got.Name)
	}
	// Once the row no longer needs the newer schema, it comes through.
	testdb.Gorm(cloud).Exec(`ALTER TABLE contacts DROP COLUMN nickname`)
	testdb.Gorm(cloud).Exec(`UPDATE contacts SET name = 'Asha v3' WHERE id = ?`, c.ID)
	round(t, wb)
	if got, _ := b.GetContact(ctx, c.ID); got.Name != "Asha v3" {
		t.Fatalf("name %q after the schema caught up", got.Name)
	}
}

// TestOfflineIsLoggedOncePerChange: a cloud that refuses connections or
// stalls (a paused Supabase project) makes one log line per change of
// state, not one per retry, and the worker recovers when it comes back.
func TestOfflineIsLoggedOncePerChange(t *testing.T) {
	dbURL, _ := migratedCloud(t)
	target, _ := url.Parse(dbURL)
	px := testdb.NewProxy(t, target.Host)
	via := *target
	via.Host = px.Addr()
	var buf bytes.Buffer
	logrus.SetOutput(&buf)
	t.Cleanup(func() { logrus.SetOutput(os.Stderr) })

	s := testdb.SQLite(t)
	w := newWorker(s, via.String())
	w.OpTimeout = 300 * time.Millisecond
	px.Cut()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	defer func() { cancel(); <-done }()
	addContact(t, s, "9876500001", "Asha")
	waitFor(t, func() bool { st, _ := w.Status(ctx); return st.State == "offline" })
	time.Sleep(1500 * time.Millisecond) // many retries
	px.Restore()
	waitFor(t, func() bool { st, _ := w.Status(ctx); return st.State == "online" && st.Pending == 0 })
	px.Blackhole()
	time.Sleep(1500 * time.Millisecond)
	px.Restore()
	waitFor(t, func() bool { st, _ := w.Status(ctx); return st.State == "online" })
	logs := buf.String()
	if n := strings.Count(logs, "unreachable"); n != 2 {
		t.Fatalf("%d 'unreachable' lines; want 2 (one per outage):\n%s", n, logs)
	}
	if n := strings.Count(logs, "connected to the cloud"); n != 2 {
		t.Fatalf("%d 'connected' lines; want 2:\n%s", n, logs)
	}
	if strings.Contains(logs, "level=error") {
		t.Fatalf("an outage was logged as an error:\n%s", logs)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSessionAndLogNeverReachTheCloud: only the allow-listed business tables
// sync; the WhatsApp session profile and error.log in the data directory
// never reach Postgres.
func TestSessionAndLogNeverReachTheCloud(t *testing.T) {
	ctx := context.Background()
	var names []string
	for _, tb := range syncer.Tables() {
		names = append(names, tb.Name)
	}
	// Business data only: never the sign-in password or sessions (each
	// install keeps its own), never sync bookkeeping. whatsapp_accounts is
	// each account's row (name, number, cap, holding install) so every
	// install can list the accounts; its profile directory stays on disk
	// (checked below for both layouts).
	const allowed = "contacts,contact_groups,group_members,campaigns,campaign_groups,campaign_contacts,campaign_runs,campaign_recipients,campaign_sends,campaign_messages,media_chunks,media,campaign_media,whatsapp_accounts"
	if strings.Join(names, ",") != allowed {
		t.Fatalf("synced tables = %v: a new table needs a deliberate decision here", names)
	}
	dir := t.TempDir()
	const sessionMarker, logMarker = "SESSION-SECRET-7f3a", "ERRORLOG-LINE-91c2"
	os.MkdirAll(filepath.Join(dir, "whatsapp-session", "Default"), 0o700)
	os.WriteFile(filepath.Join(dir, "whatsapp-session", "Default", "Cookies"), []byte(sessionMarker), 0o600)
	// The accounts' layout: whatsapp-session/<account id>/.
	acct := filepath.Join(dir, "whatsapp-session", "01a23c07-4f85-7521-948d-4e82ef7b4f5c", "Default")
	os.MkdirAll(acct, 0o700)
	os.WriteFile(filepath.Join(acct, "Cookies"), []byte(sessionMarker), 0o600)
	os.WriteFile(filepath.Join(dir, "error.log"), []byte(logMarker+"\n"), 0o600)
	local, err := testdb.Open(ctx, models.OpenOptions{SQLitePath: filepath.Join(dir, "sambad.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	url, cloud := migratedCloud(t)
	addContact(t, local, "9876500001", "Asha")
	round(t, newWorker(local, url))

	var serverTables []string
	testdb.Gorm(cloud).Raw(`SELECT name FROM sync_tables ORDER BY name`).Scan(&serverTables)
	if strings.Join(serverTables, ",") != "campaign_contacts,campaign_groups,campaign_media,campaign_messages,campaign_recipients,campaign_runs,campaign_sends,campaigns,contact_groups,contacts,group_members,media,media_chunks,whatsapp_accounts" {
		t.Fatalf("the cloud syncs %v", serverTables)
	}
	var tables []string
	testdb.Gorm(cloud).Raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables)
	found := 0
	for _, tb := range tables {
		var n int64
		for _, m := range []string{sessionMarker, logMarker} {
			testdb.Gorm(cloud).Raw(`SELECT COUNT(*) FROM "`+tb+`" t WHERE t::text LIKE ?`, "%"+m+"%").Scan(&n)
			if n > 0 {
				t.Errorf("table %s holds %s", tb, m)
			}
		}
		testdb.Gorm(cloud).Raw(`SELECT COUNT(*) FROM "` + tb + `" t WHERE t::text LIKE '%Asha%'`).Scan(&n)
		found += int(n)
	}
	if found == 0 {
		t.Fatal("the contact did not reach the cloud: the scan proves nothing")
	}
}

// TestAPIRolesSeeNothing: with Supabase's REST API in front of the public
// schema, a role without policies (anon, authenticated) reads no synced row.
func TestAPIRolesSeeNothing(t *testing.T) {
	ctx := context.Background()
	url, cloud := migratedCloud(t)
	s := testdb.SQLite(t)
	addContact(t, s, "9876500001", "Asha")
	round(t, newWorker(s, url))
	role := "sambad_test_api_" + strings.ReplaceAll(models.NewID()[24:], "-", "")
	db := testdb.Gorm(cloud).WithContext(ctx)
	if err := db.Exec(`CREATE ROLE ` + role + ` NOLOGIN`).Error; err != nil {
		t.Skipf("cannot create a role: %v", err)
	}
	t.Cleanup(func() {
		testdb.Gorm(cloud).Exec(`DROP OWNED BY ` + role)
		testdb.Gorm(cloud).Exec(`DROP ROLE ` + role)
	})
	for _, tb := range []string{"contacts", "contact_groups", "group_members", "sync_rows", "sync_applied", "sync_leases"} {
		if err := db.Exec(`GRANT SELECT ON ` + tb + ` TO ` + role).Error; err != nil {
			t.Fatal(err)
		}
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET LOCAL ROLE ` + role).Error; err != nil {
			return err
		}
		for _, tb := range []string{"contacts", "sync_rows", "sync_applied"} {
			var n int64
			if err := tx.Raw(`SELECT COUNT(*) FROM ` + tb).Scan(&n).Error; err != nil {
				return err
			}
			if n != 0 {
				t.Errorf("a role without policies reads %d rows of %s", n, tb)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := cloud.CountContacts(ctx); n != 1 {
		t.Fatalf("the owner reads %d contacts", n)
	}
}
