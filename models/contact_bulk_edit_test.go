package models_test

import (
	"errors"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func TestBulkEditContacts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		asha := newContact(t, s, "9876500001", "Asha", map[string]string{"v1": "gold"})
		ravi := newContact(t, s, "9876500002", "Ravi", nil)
		meena := newContact(t, s, "9876500003", "Meena", map[string]string{"v1": "silver"})
		ravi.Attributes = models.Attributes{"city": "Pune"}
		if err := s.UpdateContact(ctx, ravi); err != nil {
			t.Fatal(err)
		}
		vip, _ := s.CreateGroup(ctx, "VIP")
		s.AddMembers(ctx, vip.ID, []string{asha.ID, ravi.ID})
		get := func(c *models.Contact) *models.Contact {
			t.Helper()
			got, err := s.GetContact(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}

		// Nothing to undo yet.
		if rec, err := s.LastBulkEdit(ctx); rec != nil || err != nil {
			t.Fatalf("last edit before any = %+v, %v", rec, err)
		}
		if _, err := s.UndoBulkEdit(ctx); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("undo with nothing to undo: %v", err)
		}

		// Set v1 on the selection: Asha already has "gold", so one changes.
		n, err := s.BulkEditContacts(ctx, models.BulkEdit{Field: "v1", Value: " gold ", IDs: []string{asha.ID, ravi.ID, "not-an-id"}})
		if err != nil || n != 1 {
			t.Fatalf("set v1 = %d, %v; want 1 changed", n, err)
		}
		if got := get(ravi); got.V1 != "gold" {
			t.Fatalf("ravi v1 = %q", got.V1)
		}
		// The search sees the new value.
		if _, total, _ := s.ListContacts(ctx, models.ContactQuery{Q: "gold"}); total != 2 {
			t.Fatalf("search gold = %d; want 2", total)
		}

		// An attribute on every member of VIP matching "a" (both); the new
		// edit replaces the undo of the last.
		n, err = s.BulkEditContacts(ctx, models.BulkEdit{Field: "attr:city", Value: "Mumbai", Match: &models.ContactQuery{Q: "a", GroupID: vip.ID, Page: 3}})
		if err != nil || n != 2 {
			t.Fatalf("set city = %d, %v", n, err)
		}
		if a, r, m := get(asha), get(ravi), get(meena); a.Attributes["city"] != "Mumbai" || r.Attributes["city"] != "Mumbai" || len(m.Attributes) != 0 {
			t.Fatalf("cities = %v %v %v", a.Attributes, r.Attributes, m.Attributes)
		}
		// An edit that changes nothing keeps the undo of the last one.
		if n, err := s.BulkEditContacts(ctx, models.BulkEdit{Field: "attr:city", Value: "Mumbai", IDs: []string{asha.ID}}); err != nil || n != 0 {
			t.Fatalf("the same edit again = %d, %v; want 0 changed", n, err)
		}
		rec, err := s.LastBulkEdit(ctx)
		if err != nil || rec == nil || rec.Field != "attr:city" || rec.Op != "set" || rec.Value != "Mumbai" || rec.Changed != 2 {
			t.Fatalf("last edit = %+v, %v", rec, err)
		}
		// Undo: Ravi's Pune comes back, Asha has no city again; v1 stays (only the last edit is undone).
		if n, err := s.UndoBulkEdit(ctx); err != nil || n != 2 {
			t.Fatalf("undo = %d, %v", n, err)
		}
		if a, r := get(asha), get(ravi); len(a.Attributes) != 0 || r.Attributes["city"] != "Pune" || r.V1 != "gold" {
			t.Fatalf("after undo: asha %v, ravi %v v1 %q", a.Attributes, r.Attributes, r.V1)
		}
		if rec, _ := s.LastBulkEdit(ctx); rec != nil {
			t.Fatalf("the undone edit is still offered: %+v", rec)
		}

		// Opted out on every contact, then clear v1 and name on all; undo name.
		if n, err := s.BulkEditContacts(ctx, models.BulkEdit{Field: "opted_out", Match: &models.ContactQuery{}}); err != nil || n != 3 {
			t.Fatalf("opt out all = %d, %v", n, err)
		}
		if !get(meena).OptedOut {
			t.Fatal("meena not opted out")
		}
		if n, err := s.BulkEditContacts(ctx, models.BulkEdit{Field: "opted_out", Clear: true, IDs: []string{meena.ID}}); err != nil || n != 1 || get(meena).OptedOut {
			t.Fatalf("opt meena back in = %d, %v", n, err)
		}
		if n, err := s.BulkEditContacts(ctx, models.BulkEdit{Field: "name", Clear: true, Match: &models.ContactQuery{}}); err != nil || n != 3 {
			t.Fatalf("clear names = %d, %v", n, err)
		}
		if _, total, _ := s.ListContacts(ctx, models.ContactQuery{Q: "meena"}); total != 0 {
			t.Fatal("the search still finds a cleared name")
		}
		// A contact deleted since the edit is skipped by the undo.
		s.DeleteContacts(ctx, []string{ravi.ID})
		if n, err := s.UndoBulkEdit(ctx); err != nil || n != 2 || get(meena).Name != "Meena" || get(asha).Name != "Asha" {
			t.Fatalf("undo names = %d, %v", n, err)
		}

		// Bad input is refused and changes nothing.
		for _, e := range []models.BulkEdit{
			{Field: "phone", Value: "1", IDs: []string{asha.ID}},
			{Field: "v11", Value: "x", IDs: []string{asha.ID}},
			{Field: "attr:1city", Value: "x", IDs: []string{asha.ID}},
			{Field: "attr:name", Value: "x", IDs: []string{asha.ID}},
			{Field: "v2", Value: "  ", IDs: []string{asha.ID}},
		} {
			var ve *models.ValidationError
			if _, err := s.BulkEditContacts(ctx, e); !errors.As(err, &ve) {
				t.Fatalf("%+v: %v; want a validation error", e, err)
			}
		}
		if got := get(asha); got.V2 != "" || len(got.Attributes) != 0 {
			t.Fatalf("a refused edit changed asha: %+v", got)
		}
	})
}
