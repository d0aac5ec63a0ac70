package syncer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// The number checker's columns (schema 17) travel with their tables: a
// check's result recorded on one install reaches the cloud and the other
// install, with its date; an edit of the same contact elsewhere that does
// not touch them keeps them (field-level last writer wins); a campaign's
// skip option travels with the campaign.
func TestNumberCheckColumnsSync(t *testing.T) {
	ctx := context.Background()
	url, cloud := migratedCloud(t)
	a, b := testdb.SQLite(t), testdb.SQLite(t)
	wa, wb := newWorker(a, url), newWorker(b, url)
	c := addContact(t, a, "9876500101", "Asha")
	round(t, wa)
	round(t, wb)

	chk := &models.NumberCheck{}
	if err := a.CreateNumberCheck(ctx, chk, []models.NumberCheckItem{{Phone: c.Phone, ContactID: c.ID}}); err != nil {
		t.Fatal(err)
	}
	it, _ := a.NextPendingNumber(ctx, chk.ID)
	if err := a.RecordNumber(ctx, it, models.NumberNotOnWA, ""); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	for name, s := range map[string]*models.Store{"cloud": cloud, "install b": b} {
		got, err := s.GetContact(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.WhatsApp() != "no" || got.OnWhatsAppCheckedAt == nil || got.OnWhatsAppCheckedAt.Sub(*it.CheckedAt).Abs() > time.Second {
			t.Fatalf("%s: on_whatsapp %q at %v, want no at %v", name, got.WhatsApp(), got.OnWhatsAppCheckedAt, it.CheckedAt)
		}
	}
	// The job itself stays on the install that ran it.
	if _, err := b.GetNumberCheck(ctx, chk.ID); err == nil {
		t.Fatal("the number check job was synced")
	}

	// B renames the contact; A's check result survives the rename.
	got, _ := b.GetContact(ctx, c.ID)
	got.Name = "Asha B"
	if err := b.UpdateContact(ctx, got); err != nil {
		t.Fatal(err)
	}
	round(t, wb)
	round(t, wa)
	if got, _ := a.GetContact(ctx, c.ID); got.Name != "Asha B" || got.WhatsApp() != "no" {
		t.Fatalf("install a after the rename: %q, on_whatsapp %q", got.Name, got.WhatsApp())
	}

	// A campaign's skip option.
	cp := &models.Campaign{Name: "skip", Template: "hi", ContactIDs: []string{c.ID}, SkipNotOnWhatsApp: true, Pacing: models.Pacing{Preset: "medium"}}
	if err := a.CreateCampaign(ctx, cp); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	if got, err := b.GetCampaign(ctx, cp.ID); err != nil || !got.SkipNotOnWhatsApp {
		t.Fatalf("campaign on install b: %+v, %v", got, err)
	}
}

// RefreshOutbox, run by cli after every migration, records the schema the
// outbox's ops are written in (an op carrying a column of schema 17 must
// not claim an older schema) and leaves an install that never synced alone.
func TestRefreshOutboxAfterMigration(t *testing.T) {
	ctx := context.Background()
	never := testdb.SQLite(t)
	if err := syncer.RefreshOutbox(ctx, testdb.DB(never)); err != nil {
		t.Fatal(err)
	}
	var n int
	testdb.Gorm(never).Raw(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_%'`).Scan(&n)
	if n != 0 {
		t.Fatalf("an install that never synced got %d outbox triggers", n)
	}

	s := testdb.SQLite(t)
	if _, err := syncer.Enable(ctx, testdb.DB(s)); err != nil {
		t.Fatal(err)
	}
	// As if the outbox was set up by an older version.
	testdb.Gorm(s).Exec(`UPDATE sync_state SET value = '13' WHERE key = 'schema_version'`)
	testdb.Gorm(s).Exec(`DROP TRIGGER sync_contacts_update`)
	if err := syncer.RefreshOutbox(ctx, testdb.DB(s)); err != nil {
		t.Fatal(err)
	}
	c := addContact(t, s, "9876500102", "Bela")
	chk := &models.NumberCheck{}
	s.CreateNumberCheck(ctx, chk, []models.NumberCheckItem{{Phone: c.Phone, ContactID: c.ID}})
	it, _ := s.NextPendingNumber(ctx, chk.ID)
	if err := s.RecordNumber(ctx, it, models.NumberOnWhatsApp, ""); err != nil {
		t.Fatal(err)
	}
	var op struct {
		Fields        string
		SchemaVersion int64
	}
	testdb.Gorm(s).Raw(`SELECT fields, schema_version FROM sync_outbox WHERE tbl = 'contacts' AND kind = 'update' ORDER BY seq DESC LIMIT 1`).Scan(&op)
	want, _ := testdb.DB(s).SchemaVersion(ctx)
	if op.SchemaVersion != want || op.SchemaVersion < 17 || !strings.Contains(op.Fields, `"on_whatsapp":true`) {
		t.Fatalf("the check's op: %+v; want schema %d and on_whatsapp in its fields", op, want)
	}
}
