package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// An update import leaves alone the fields its file has no column for, keeps
// created_at, and still writes every field a new record carries.
func TestImportContactsColumnsAbsentFromTheFile(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		stored := newContact(t, s, "9876543210", "Asha", map[string]string{"v1": "Pune", "v3": "Gold", "v10": "x"})
		before, err := s.GetContact(ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
		recs := []models.ImportRecord{
			// Stored: the file has a v2 column only.
			{Line: 2, Contact: models.Contact{Phone: "+919876543210", V2: "new v2"}},
			// New: carries a name and v5 although the file "has" neither.
			{Line: 3, Contact: models.Contact{Phone: "+919876500001", Name: "Bela", V5: "five"}},
			// New, empty everywhere.
			{Line: 4, Contact: models.Contact{Phone: "+919876500002"}},
		}
		fields := models.ImportFields{}
		fields.Variables[1] = true
		sent := false
		res, err := s.ImportContacts(ctx, models.ImportUpdate, fields, func() ([]models.ImportRecord, error) {
			if sent {
				return nil, nil
			}
			sent = true
			return recs, nil
		})
		if err != nil || res.Created != 2 || res.Updated != 1 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		got, err := s.GetContact(ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Asha" || got.V1 != "Pune" || got.V2 != "new v2" || got.V3 != "Gold" || got.V10 != "x" {
			t.Fatalf("stored contact after import = %+v", got)
		}
		if !got.CreatedAt.Equal(before.CreatedAt) || !got.UpdatedAt.After(before.UpdatedAt) {
			t.Fatalf("times: created %v → %v, updated %v → %v", before.CreatedAt, got.CreatedAt, before.UpdatedAt, got.UpdatedAt)
		}
		items, total, err := s.ListContacts(ctx, models.ContactQuery{Q: "bela"})
		if err != nil || total != 1 || items[0].Name != "Bela" || items[0].V5 != "five" || items[0].Phone != "+919876500001" {
			t.Fatalf("new contact = %+v (%d), %v", items, total, err)
		}
		if items[0].CreatedAt.IsZero() || !items[0].CreatedAt.Equal(items[0].UpdatedAt) {
			t.Fatalf("new contact times: %v, %v", items[0].CreatedAt, items[0].UpdatedAt)
		}
		if _, total, _ := s.ListContacts(ctx, models.ContactQuery{}); total != 3 {
			t.Fatalf("%d contacts stored; want 3", total)
		}
	})
}
