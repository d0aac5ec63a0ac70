package syncer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

type outboxRow struct {
	Seq    int64
	Table  string
	RowID  string
	Kind   string
	Fields map[string]any
}

func readOutbox(t *testing.T, s *models.Store) []outboxRow {
	t.Helper()
	db, _ := testdb.Gorm(s).DB()
	rows, err := db.Query(`SELECT seq, tbl, row_id, kind, fields FROM sync_outbox ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		var f string
		if err := rows.Scan(&r.Seq, &r.Table, &r.RowID, &r.Kind, &f); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(f), &r.Fields); err != nil {
			t.Fatalf("fields %q: %v", f, err)
		}
		out = append(out, r)
	}
	return out
}

func addContact(t *testing.T, s *models.Store, phone, name string) *models.Contact {
	t.Helper()
	var c models.Contact
	if err := (models.ContactInput{Phone: phone, Name: name}).Apply(&c, "IN"); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateContact(context.Background(), &c); err != nil {
		t.Fatalf("create %s: %v", phone, err)
	}
	return &c
}

// TestOutboxRecordsEveryWrite: every store write path, bulk and cascaded
// ones included, leaves ops in the outbox, in order, with only changed fields.
func TestOutboxRecordsEveryWrite(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t)
	before := addContact(t, s, "9876500000", "Before sync")
	if _, err := syncer.Enable(ctx, testdb.DB(s)); err != nil {
		t.Fatal(err)
	}
	if _, err := syncer.Enable(ctx, testdb.DB(s)); err != nil { // idempotent
		t.Fatal(err)
	}
	a := addContact(t, s, "9876500001", "Asha")
	a.Name = "Asha Rao"
	if err := s.UpdateContact(ctx, a); err != nil {
		t.Fatal(err)
	}
	g, err := s.CreateGroup(ctx, "VIP")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMembers(ctx, g.ID, []string{a.ID, before.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteContacts(ctx, []string{a.ID}); err != nil {
		t.Fatal(err)
	}
	ops := readOutbox(t, s)
	var got []string
	for _, op := range ops {
		got = append(got, op.Table+" "+op.Kind)
	}
	want := []string{
		"contacts insert",       // the row stored before sync was set up
		"contacts insert",       // Asha
		"contacts update",       // rename
		"contact_groups insert", //
		"group_members insert", "group_members insert",
		"group_members delete", // cascaded by deleting the contact
		"contacts delete",
	}
	if len(got) != len(want) {
		t.Fatalf("outbox = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("outbox = %v, want %v", got, want)
		}
	}
	upd := ops[2].Fields
	if upd["name"] != "Asha Rao" || upd["phone"] != nil || upd["updated_at"] == nil {
		t.Fatalf("update op fields = %v: want only the changed ones", upd)
	}
	if ops[1].Fields["opted_out"] != false || ops[1].Fields["attributes"] == nil {
		t.Fatalf("insert op fields = %v", ops[1].Fields)
	}
}

// TestOutboxOpIDsUniquePerRow: one statement that writes many rows records
// one op per row, each with its own op id (the trigger makes a fresh id per
// row; a statement-level constant would repeat it).
func TestOutboxOpIDsUniquePerRow(t *testing.T) {
	ctx := context.Background()
	s := testdb.SQLite(t)
	if _, err := syncer.Enable(ctx, testdb.DB(s)); err != nil {
		t.Fatal(err)
	}
	rows := make([]models.Contact, 300)
	for i := range rows {
		rows[i] = models.Contact{ID: models.NewID(), Phone: fmt.Sprintf("+9198765%05d", i), Name: "x"}
	}
	for _, stmt := range []func() error{
		func() error { return testdb.Gorm(s).CreateInBatches(rows, 300).Error }, // one multi-row INSERT
		func() error { return testdb.Gorm(s).Exec(`UPDATE contacts SET name = name || 'y'`).Error },
		func() error { return testdb.Gorm(s).Exec(`DELETE FROM contacts`).Error },
	} {
		if err := stmt(); err != nil {
			t.Fatal(err)
		}
	}
	var ops, ids int64
	testdb.Gorm(s).Raw(`SELECT COUNT(*), COUNT(DISTINCT op_id) FROM sync_outbox`).Row().Scan(&ops, &ids)
	if ops != 900 || ids != 900 {
		t.Fatalf("%d ops with %d distinct ids, want 900 and 900", ops, ids)
	}
	var malformed int64
	testdb.Gorm(s).Raw(`SELECT COUNT(*) FROM sync_outbox WHERE length(op_id) <> 36 OR substr(op_id, 15, 1) <> '4'`).Scan(&malformed)
	if malformed != 0 {
		t.Fatalf("%d op ids are not UUIDs", malformed)
	}
}
