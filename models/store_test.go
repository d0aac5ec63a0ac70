package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func newContact(t *testing.T, s *models.Store, phone, name string, vars map[string]string) *models.Contact {
	t.Helper()
	var c models.Contact
	if err := (models.ContactInput{Phone: phone, Name: name, Variables: vars}).Apply(&c, "IN"); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if err := s.CreateContact(context.Background(), &c); err != nil {
		t.Fatalf("create %s: %v", phone, err)
	}
	return &c
}

func TestStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		t.Run("contacts", func(t *testing.T) {
			a := newContact(t, s, "98765 43210", "Asha Rao", map[string]string{"v1": "Pune", "v2": "Gold"})
			if a.Phone != "+919876543210" || len(a.ID) != 36 {
				t.Fatalf("stored %+v", a)
			}
			a.Attributes = models.Attributes{"city": "Pune ☀"}
			if err := s.UpdateContact(ctx, a); err != nil {
				t.Fatal(err)
			}
			got, err := s.GetContact(ctx, a.ID)
			if err != nil || got.Name != "Asha Rao" || got.V1 != "Pune" || got.Attributes["city"] != "Pune ☀" {
				t.Fatalf("get = %+v, %v", got, err)
			}
			// Same number typed another way is a duplicate.
			var dup models.Contact
			(models.ContactInput{Phone: "+91 98765-43210"}).Apply(&dup, "IN")
			if err := s.CreateContact(ctx, &dup); !errors.Is(err, models.ErrDuplicate) {
				t.Fatalf("duplicate phone: %v", err)
			}
			newContact(t, s, "9876500001", "Bela", map[string]string{"v1": "Mumbai"})
			newContact(t, s, "9876500002", "Chand 100%_off", nil)

			for _, tc := range []struct {
				q    string
				want int64
			}{{"", 3}, {"asha", 1}, {"PUNE", 1}, {"mumbai", 1}, {"98765", 3}, {"100%", 1}, {"%", 1}, {"_", 1}, {"nobody", 0}} {
				items, total, err := s.ListContacts(ctx, models.ContactQuery{Q: tc.q})
				if err != nil || total != tc.want || int64(len(items)) != tc.want {
					t.Errorf("search %q: %d items, total %d, %v; want %d", tc.q, len(items), total, err, tc.want)
				}
			}
			page2, total, _ := s.ListContacts(ctx, models.ContactQuery{Page: 2, PerPage: 2})
			if total != 3 || len(page2) != 1 || page2[0].Name != "Chand 100%_off" {
				t.Fatalf("page 2 = %+v (total %d)", page2, total)
			}
			if _, err := s.GetContact(ctx, "not-a-uuid"); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("bad id: %v", err)
			}
			if _, err := s.GetContact(ctx, models.NewID()); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("missing id: %v", err)
			}
		})

		t.Run("groups", func(t *testing.T) {
			g, err := s.CreateGroup(ctx, "  VIP  ")
			if err != nil || g.Name != "VIP" {
				t.Fatalf("create group: %+v %v", g, err)
			}
			if _, err := s.CreateGroup(ctx, "vip"); !errors.Is(err, models.ErrDuplicate) {
				t.Fatalf("case-insensitive duplicate: %v", err)
			}
			var ve *models.ValidationError
			if _, err := s.CreateGroup(ctx, " "); !errors.As(err, &ve) {
				t.Fatalf("empty name: %v", err)
			}
			var ids []string
			for i := 0; i < 5; i++ {
				ids = append(ids, newContact(t, s, fmt.Sprintf("91234000%02d", i), fmt.Sprintf("Member %d", i), nil).ID)
			}
			n, err := s.AddMembers(ctx, g.ID, append(ids, models.NewID(), "junk"))
			if err != nil || n != 5 {
				t.Fatalf("add members = %d, %v", n, err)
			}
			if n, _ := s.AddMembers(ctx, g.ID, ids[:2]); n != 0 {
				t.Fatalf("re-adding members added %d", n)
			}
			got, _ := s.GetGroup(ctx, g.ID)
			if got.MemberCount != 5 {
				t.Fatalf("member count %d", got.MemberCount)
			}
			members, total, _ := s.ListContacts(ctx, models.ContactQuery{GroupID: g.ID})
			if total != 5 || len(members) != 5 {
				t.Fatalf("group listing %d/%d", len(members), total)
			}
			if n, _ := s.RemoveMembers(ctx, g.ID, ids[:2]); n != 2 {
				t.Fatalf("removed %d", n)
			}
			if _, err := s.RenameGroup(ctx, g.ID, "Gold"); err != nil {
				t.Fatal(err)
			}
			if n, _ := s.DeleteContacts(ctx, ids[2:3]); n != 1 {
				t.Fatalf("deleted %d", n)
			}
			got, _ = s.GetGroup(ctx, g.ID)
			if got.Name != "Gold" || got.MemberCount != 2 {
				t.Fatalf("after rename and delete: %+v", got)
			}
			if err := s.DeleteGroup(ctx, g.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.GetContact(ctx, ids[3]); err != nil {
				t.Fatalf("deleting a group deleted its contacts: %v", err)
			}
			if err := s.DeleteGroup(ctx, g.ID); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("second delete: %v", err)
			}
		})
	})
}
