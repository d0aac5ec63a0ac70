package models_test

import (
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func TestGroupNamesOf(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		var a, b models.Contact
		(models.ContactInput{Phone: "9876543210", Name: "A"}).Apply(&a, "IN")
		(models.ContactInput{Phone: "9876543211", Name: "B"}).Apply(&b, "IN")
		s.CreateContact(ctx, &a)
		s.CreateContact(ctx, &b)
		vip, _ := s.CreateGroup(ctx, "VIP")
		diwali, _ := s.CreateGroup(ctx, "Diwali")
		s.AddMembers(ctx, vip.ID, []string{a.ID})
		s.AddMembers(ctx, diwali.ID, []string{a.ID})
		got, err := s.GroupNamesOf(ctx, []string{a.ID, b.ID, "not-an-id"})
		if err != nil || len(got) != 1 || len(got[a.ID]) != 2 || got[a.ID][0] != "Diwali" || got[a.ID][1] != "VIP" {
			t.Fatalf("groups = %v, %v; want A in Diwali and VIP, B in none", got, err)
		}
	})
}
