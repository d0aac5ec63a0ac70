package syncer_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// deleteOp is a delete op as an install sends it: its fields are its key.
func deleteOp(seq int, table, rowID string, key map[string]string) map[string]any {
	return map[string]any{"op_id": models.NewID(), "install_id": "install-delete-run", "seq": seq, "table": table,
		"row_id": rowID, "key": key, "kind": "delete", "fields": key, "schema": 4, "run": 0}
}

// TestDeleteRunsTakeTheFastPath: a run of deletes is applied by
// sync_apply_runs, the set-based fast path, without raising (it used to
// raise "column reference tbl is ambiguous", and sync_apply then redid every
// delete op by op). The runs include rows deleted already (tombstoned) and
// rows the cloud never had.
func TestDeleteRunsTakeTheFastPath(t *testing.T) {
	ctx := context.Background()
	_, cloud := migratedCloud(t)
	var contacts []string
	for _, phone := range []string{"9876500001", "9876500002", "9876500003", "9876500004"} {
		contacts = append(contacts, addContact(t, cloud, phone, "c"+phone).ID)
	}
	g, err := cloud.CreateGroup(ctx, "VIP")
	if err != nil {
		t.Fatal(err)
	}
	gone, err := cloud.CreateGroup(ctx, "Old")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.AddMembers(ctx, g.ID, contacts); err != nil {
		t.Fatal(err)
	}
	if err := cloud.DeleteGroup(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	never := models.NewID()

	tests := []struct {
		name  string
		table string
		ops   []map[string]any
	}{
		{"memberships", "group_members", []map[string]any{
			deleteOp(1, "group_members", g.ID+":"+contacts[0], map[string]string{"group_id": g.ID, "contact_id": contacts[0]}),
			deleteOp(2, "group_members", g.ID+":"+contacts[1], map[string]string{"group_id": g.ID, "contact_id": contacts[1]}),
		}},
		{"contacts, one never in the cloud", "contacts", []map[string]any{
			deleteOp(3, "contacts", contacts[0], map[string]string{"id": contacts[0]}),
			deleteOp(4, "contacts", contacts[1], map[string]string{"id": contacts[1]}),
			deleteOp(5, "contacts", contacts[2], map[string]string{"id": contacts[2]}),
			deleteOp(6, "contacts", contacts[3], map[string]string{"id": contacts[3]}),
			deleteOp(7, "contacts", never, map[string]string{"id": never}),
		}},
		{"groups, one deleted already", "contact_groups", []map[string]any{
			deleteOp(8, "contact_groups", g.ID, map[string]string{"id": g.ID}),
			deleteOp(9, "contact_groups", gone.ID, map[string]string{"id": gone.ID}),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			batch, _ := json.Marshal(tc.ops)
			db := testdb.Gorm(cloud).WithContext(ctx)
			if err := db.Exec(`SELECT sync_apply_runs(?::jsonb)`, string(batch)).Error; err != nil {
				t.Fatalf("the fast path raised on a run of deletes: %v", err)
			}
			for _, op := range tc.ops {
				var status string
				var tomb bool
				db.Raw(`SELECT status FROM sync_applied WHERE op_id = ?`, op["op_id"]).Scan(&status)
				db.Raw(`SELECT deleted FROM sync_rows WHERE tbl = ? AND row_id = ?`, tc.table, op["row_id"]).Scan(&tomb)
				if status != "applied" || !tomb {
					t.Errorf("%s %s: applied as %q, tombstone %v", tc.table, op["row_id"], status, tomb)
				}
			}
		})
	}
	var left int64
	testdb.Gorm(cloud).Raw(`SELECT (SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM contact_groups) + (SELECT COUNT(*) FROM group_members)`).Scan(&left)
	if left != 0 {
		t.Fatalf("%d rows left after deleting them all", left)
	}
}
