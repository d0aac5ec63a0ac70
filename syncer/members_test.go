package syncer_test

import (
	"context"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

func isMember(t *testing.T, s *models.Store, groupID, contactID string) bool {
	t.Helper()
	var n int64
	if err := testdb.Gorm(s).Model(&models.GroupMember{}).Where("group_id = ? AND contact_id = ?", groupID, contactID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestMemberReAddedAfterRemoval: a group membership has a natural key
// (group_id, contact_id), so removing a contact from a group and adding it
// back writes the same row id again. The re-add is a newer write than the
// removal and must reach the cloud and the other installs; only a deleted
// contact or group ("deletes win") keeps a membership out.
func TestMemberReAddedAfterRemoval(t *testing.T) {
	ctx := context.Background()
	url, cloud := migratedCloud(t)
	a, b := testdb.SQLite(t), testdb.SQLite(t)
	wa, wb := newWorker(a, url), newWorker(b, url)
	c := addContact(t, a, "9876500011", "Ravi")
	d := addContact(t, a, "9876500012", "Meena")
	g, err := a.CreateGroup(ctx, "Team")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddMembers(ctx, g.ID, []string{c.ID, d.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)

	same := func(step string, want bool, contactID string) {
		t.Helper()
		names := []string{"cloud", "a", "b"}
		for i, s := range []*models.Store{cloud, a, b} {
			if got := isMember(t, s, g.ID, contactID); got != want {
				t.Fatalf("%s: member on %s = %v, want %v", step, names[i], got, want)
			}
		}
		assertSame(t, step+": a and cloud", takeSnapshot(t, a), takeSnapshot(t, cloud))
		assertSame(t, step+": b and cloud", takeSnapshot(t, b), takeSnapshot(t, cloud))
	}

	// Removed and re-added on the same install, one round apart.
	if _, err := a.RemoveMembers(ctx, g.ID, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	same("removed on a", false, c.ID)
	if _, err := a.AddMembers(ctx, g.ID, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	same("re-added on a", true, c.ID)

	// Removed on a, re-added on b after b saw the removal.
	if _, err := a.RemoveMembers(ctx, g.ID, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	same("removed again on a", false, c.ID)
	if _, err := b.AddMembers(ctx, g.ID, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wb)
	round(t, wa)
	same("re-added on b", true, c.ID)

	// Removed and re-added before a push: both ops travel in one batch.
	if _, err := b.RemoveMembers(ctx, g.ID, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddMembers(ctx, g.ID, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wb)
	round(t, wa)
	same("removed and re-added in one batch on b", true, c.ID)

	// Re-added in a batch the cloud applies op by op (another op in it is
	// rejected: a phone b sent first).
	if _, err := a.RemoveMembers(ctx, g.ID, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	same("removed on a before the slow batch", false, c.ID)
	addContact(t, b, "9876500013", "Kiran on b")
	round(t, wb)
	clash := addContact(t, a, "9876500013", "Kiran on a")
	if _, err := a.AddMembers(ctx, g.ID, []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	st, err := wa.Status(ctx)
	if err != nil || len(st.Rejected) != 1 || st.Rejected[0].RowID != clash.ID {
		t.Fatalf("the clashing contact was not rejected: %+v, %v", st, err)
	}
	if err := wa.DismissRejected(ctx, st.Rejected[0].OpID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeleteContacts(ctx, []string{clash.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	same("re-added on a in a batch applied op by op", true, c.ID)

	// Deletes still win: b removes and re-adds d while a deletes d; the
	// membership of a deleted contact stays gone everywhere.
	if _, err := a.DeleteContacts(ctx, []string{d.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.RemoveMembers(ctx, g.ID, []string{d.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddMembers(ctx, g.ID, []string{d.ID}); err != nil {
		t.Fatal(err)
	}
	round(t, wa)
	round(t, wb)
	round(t, wa)
	same("re-added on b, contact deleted on a", false, d.ID)
	if _, err := b.GetContact(ctx, d.ID); err == nil {
		t.Fatal("the deleted contact came back on b")
	}
	for name, w := range map[string]*syncer.Worker{"a": wa, "b": wb} {
		st, err := w.Status(ctx)
		if err != nil || st.Pending != 0 || st.Held != 0 || len(st.Rejected) != 0 {
			t.Fatalf("status of %s: %+v, %v", name, st, err)
		}
	}
}
