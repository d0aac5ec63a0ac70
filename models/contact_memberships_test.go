package models_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func groupNames(t *testing.T, s *models.Store, contactID string) []string {
	t.Helper()
	gs, err := s.ContactGroups(t.Context(), contactID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return names
}

func TestContactMemberships(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		vip, _ := s.CreateGroup(ctx, "VIP")
		pune, _ := s.CreateGroup(ctx, "Pune")

		var c models.Contact
		(models.ContactInput{Phone: "9876543210", Name: "Asha"}).Apply(&c, "IN")
		if err := s.CreateContactInGroups(ctx, &c, models.Memberships{GroupIDs: []string{vip.ID}, NewGroup: " Diwali 2026 "}); err != nil {
			t.Fatal(err)
		}
		if got := groupNames(t, s, c.ID); !slices.Equal(got, []string{"Diwali 2026", "VIP"}) {
			t.Fatalf("after create: groups %v, want Diwali 2026 and VIP", got)
		}

		// Untick VIP, tick Pune, name an existing group in another case: no second group.
		c.Name = "Asha Rao"
		if err := s.UpdateContactInGroups(ctx, &c, models.Memberships{GroupIDs: []string{pune.ID}, NewGroup: "diwali 2026"}); err != nil {
			t.Fatal(err)
		}
		if got := groupNames(t, s, c.ID); !slices.Equal(got, []string{"Diwali 2026", "Pune"}) {
			t.Fatalf("after update: groups %v, want Diwali 2026 and Pune", got)
		}
		if gs, _ := s.ListGroups(ctx); len(gs) != 3 {
			t.Fatalf("%d groups, want 3 (the new-group name matched the existing one)", len(gs))
		}

		// A group deleted meanwhile: nothing is written, the contact keeps its name and groups.
		gone, _ := s.CreateGroup(ctx, "Gone")
		s.DeleteGroup(ctx, gone.ID)
		c.Name = "Changed"
		var ve *models.ValidationError
		if err := s.UpdateContactInGroups(ctx, &c, models.Memberships{GroupIDs: []string{vip.ID, gone.ID}}); !errors.As(err, &ve) || ve.Field != "groups" {
			t.Fatalf("deleted group: err %v, want a groups validation error", err)
		}
		if got, _ := s.GetContact(ctx, c.ID); got.Name != "Asha Rao" {
			t.Fatalf("name %q after a failed save, want Asha Rao", got.Name)
		}
		if got := groupNames(t, s, c.ID); !slices.Equal(got, []string{"Diwali 2026", "Pune"}) {
			t.Fatalf("after a failed save: groups %v", got)
		}

		// A new contact whose new-group name is too long is not stored.
		var d models.Contact
		(models.ContactInput{Phone: "9876543211", Name: "Bela"}).Apply(&d, "IN")
		long := strings.Repeat("g", models.MaxGroupNameLen+1)
		if err := s.CreateContactInGroups(ctx, &d, models.Memberships{NewGroup: long}); !errors.As(err, &ve) || ve.Field != "new group" {
			t.Fatalf("long group name: err %v", err)
		}
		if _, err := s.GetContactByPhone(ctx, d.Phone); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("contact stored although its group was refused: %v", err)
		}

		// Nothing ticked: the contact leaves every group; a duplicate phone is still ErrDuplicate.
		if err := s.UpdateContactInGroups(ctx, &c, models.Memberships{}); err != nil {
			t.Fatal(err)
		}
		if got := groupNames(t, s, c.ID); len(got) != 0 {
			t.Fatalf("groups %v after unticking all", got)
		}
		var dup models.Contact
		(models.ContactInput{Phone: "+91 98765 43210"}).Apply(&dup, "IN")
		if err := s.CreateContactInGroups(ctx, &dup, models.Memberships{GroupIDs: []string{vip.ID}}); !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("duplicate phone: %v", err)
		}
	})
}
