package models_test

import (
	"fmt"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestAudiencePreview counts an unsaved audience as a saved campaign's would
// be: group members and chosen contacts once each, opted-out ones counted
// apart and never the first contact shown.
func TestAudiencePreview(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		var ids []string
		for i, name := range []string{"Asha", "Bela", "Chitra"} {
			c := models.Contact{}
			if err := (models.ContactInput{Phone: fmt.Sprintf("98765432%02d", i), Name: name}).Apply(&c, "IN"); err != nil {
				t.Fatal(err)
			}
			c.OptedOut = i == 0
			if err := s.CreateContact(ctx, &c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		g, _ := s.CreateGroup(ctx, "G")
		s.AddMembers(ctx, g.ID, ids[:2])
		for _, tc := range []struct {
			groups, contacts []string
			total, out       int64
			first            string
		}{
			{nil, nil, 0, 0, ""},
			{[]string{g.ID}, nil, 2, 1, "Bela"},
			{nil, []string{ids[2]}, 1, 0, "Chitra"},
			{[]string{g.ID}, []string{ids[1], ids[2]}, 3, 1, "Bela"},
		} {
			total, out, first, err := s.AudiencePreview(ctx, tc.groups, tc.contacts)
			name := ""
			if first != nil {
				name = first.Name
			}
			if err != nil || total != tc.total || out != tc.out || name != tc.first {
				t.Errorf("%d groups, %d contacts: %d total, %d out, first %q, %v; want %d, %d, %q", len(tc.groups), len(tc.contacts), total, out, name, err, tc.total, tc.out, tc.first)
			}
		}
	})
}
