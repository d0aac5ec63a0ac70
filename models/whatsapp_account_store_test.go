package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func TestWhatsAppAccountStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		var ids []string
		for _, name := range []string{"Shop", "Support", "Offers"} {
			a := &models.WhatsAppAccount{Name: name, DailyCap: 200}
			if err := s.CreateWhatsAppAccount(ctx, a, 3); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		if err := s.CreateWhatsAppAccount(ctx, &models.WhatsAppAccount{Name: "fourth"}, 3); !errors.Is(err, models.ErrTooManyAccounts) {
			t.Fatalf("a fourth account over a limit of 3: %v", err)
		}
		list, err := s.ListWhatsAppAccounts(ctx)
		if err != nil || len(list) != 3 || list[0].ID != ids[0] || list[2].Position != 2 {
			t.Fatalf("list = %+v, %v", list, err)
		}
		name, cap, qs, qe := "Support desk", 50, "21:00", "09:00"
		got, err := s.UpdateWhatsAppAccount(ctx, ids[1], models.WhatsAppAccountPatch{Name: &name, DailyCap: &cap, QuietStart: &qs, QuietEnd: &qe})
		if err != nil || got.Name != name || got.DailyCap != 50 || got.QuietStart != "21:00" || got.QuietEnd != "09:00" {
			t.Fatalf("update = %+v, %v", got, err)
		}
		if err := s.SetWhatsAppAccountPhone(ctx, ids[1], "+919812345678"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetWhatsAppAccount(ctx, ids[1]); got.Phone != "+919812345678" {
			t.Fatalf("phone = %q", got.Phone)
		}
		if err := s.DeleteWhatsAppAccount(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetWhatsAppAccount(ctx, ids[0]); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deleted account: %v", err)
		}
		if err := s.DeleteWhatsAppAccount(ctx, "not-an-id"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("bad id: %v", err)
		}
		if _, err := s.UpdateWhatsAppAccount(ctx, ids[0], models.WhatsAppAccountPatch{Name: &name}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("update of a removed account: %v", err)
		}
		// A new account goes after the others even once the first is gone.
		a := &models.WhatsAppAccount{Name: "New"}
		if err := s.CreateWhatsAppAccount(ctx, a, 3); err != nil || a.Position != 3 {
			t.Fatalf("create after a delete: %v, position %d", err, a.Position)
		}
		counts, err := s.SentSinceByAccount(ctx, time.Now().Add(-time.Hour), ids[1])
		if err != nil || len(counts) != 0 {
			t.Fatalf("counts = %v, %v", counts, err)
		}
	})
}
