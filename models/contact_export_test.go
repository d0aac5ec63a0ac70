package models_test

import (
	"context"
	"slices"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestContactAttributeKeys: an export's extra columns are the attribute
// names of the contacts it selects, by search and by group.
func TestContactAttributeKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		a := newContact(t, s, "9876500011", "Asha", nil)
		b := newContact(t, s, "9876500012", "Bela", nil)
		newContact(t, s, "9876500013", "Chand", nil)
		a.Attributes = models.Attributes{"city": "Pune", "tier": "gold"}
		b.Attributes = models.Attributes{"city": "Mumbai", "shop": "Dadar"}
		for _, c := range []*models.Contact{a, b} {
			if err := s.UpdateContact(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		g, err := s.CreateGroup(ctx, "Buyers")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddMembers(ctx, g.ID, []string{b.ID}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			q    models.ContactQuery
			want []string
		}{
			{models.ContactQuery{}, []string{"city", "shop", "tier"}},
			{models.ContactQuery{Q: "asha"}, []string{"city", "tier"}},
			{models.ContactQuery{GroupID: g.ID}, []string{"city", "shop"}},
			{models.ContactQuery{Q: "asha", GroupID: g.ID}, []string{}},
			{models.ContactQuery{Q: "chand"}, []string{}},
		} {
			got, err := s.ContactAttributeKeys(ctx, tc.q)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("%+v: %v, %v; want %v", tc.q, got, err, tc.want)
			}
		}
	})
}
