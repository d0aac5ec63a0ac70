package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// BenchmarkBulkEditContacts sets v1 on every one of 10,000 contacts (the
// "every contact matching" case with no search) and undoes it, on SQLite:
// go test -run '^$' -bench BulkEditContacts -benchtime 3x ./models/
func BenchmarkBulkEditContacts(b *testing.B) {
	ctx := context.Background()
	s := testdb.SQLite(b)
	const n = 10000
	i := 0
	_, err := s.ImportContacts(ctx, models.ImportUpdate, models.ImportFields{Name: true}, func() ([]models.ImportRecord, error) {
		var out []models.ImportRecord
		for ; i < n && len(out) < 500; i++ {
			out = append(out, models.ImportRecord{Line: i + 2, Contact: models.Contact{Phone: fmt.Sprintf("+9198%08d", i), Name: fmt.Sprintf("Person %d", i)}})
		}
		return out, nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		changed, err := s.BulkEditContacts(ctx, models.BulkEdit{Field: "v1", Value: fmt.Sprintf("tier %d", k), Match: &models.ContactQuery{}})
		if err != nil || changed != n {
			b.Fatalf("edit = %d, %v", changed, err)
		}
		if restored, err := s.UndoBulkEdit(ctx); err != nil || restored != n {
			b.Fatalf("undo = %d, %v", restored, err)
		}
	}
}
