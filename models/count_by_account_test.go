package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// CountStatesByAccount counts each account's recipients per state, in the
// states CountStates uses, so the rows of "By account" add up to the
// campaign's counts; unclaimed recipients are under "".
func TestCountStatesByAccount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		var accts []string
		for _, name := range []string{"Shop", "Support"} {
			a := &models.WhatsAppAccount{Name: name}
			if err := s.CreateWhatsAppAccount(ctx, a, 0); err != nil {
				t.Fatal(err)
			}
			accts = append(accts, a.ID)
		}
		var ids []string
		for i := range 6 {
			var c models.Contact
			if err := (models.ContactInput{Phone: fmt.Sprintf("+1415555%04d", i), Name: fmt.Sprintf("P%d", i)}).Apply(&c, "US"); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateContact(ctx, &c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		c := &models.Campaign{Name: "Two accounts", Template: "Hi", ContactIDs: ids, AccountIDs: models.IDList(accts)}
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PlanRecipients(ctx, c.ID, func(*models.Contact) (string, error) { return "Hi", nil }); err != nil {
			t.Fatal(err)
		}
		onShop, err := s.ClaimPendingOn(ctx, c.ID, accts[0], 1, 3)
		if err != nil || len(onShop) != 3 {
			t.Fatalf("claim: %v %v", onShop, err)
		}
		onSupport, err := s.ClaimPendingOn(ctx, c.ID, accts[1], 1, 1)
		if err != nil || len(onSupport) != 1 {
			t.Fatalf("claim: %v %v", onSupport, err)
		}
		now := time.Now()
		if err := s.RecordOutcomes(ctx, c.ID, []models.Outcome{
			{Seq: onShop[0].Seq, State: models.RecipientSent, MessageID: "m1", At: now},
			{Seq: onShop[1].Seq, State: models.RecipientFailed, Error: "no", At: now},
		}); err != nil {
			t.Fatal(err)
		}
		got, err := s.CountStatesByAccount(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		shop, support, none := got[accts[0]], got[accts[1]], got[""]
		if shop[models.RecipientSent] != 1 || shop[models.RecipientFailed] != 1 || shop[models.RecipientSending] != 1 || shop.Total() != 3 ||
			support[models.RecipientSending] != 1 || support.Total() != 1 || none[models.RecipientPending] != 2 || len(got) != 3 {
			t.Fatalf("per account = %v", got)
		}
		all, _ := s.CountStates(ctx, c.ID, 0)
		if all.Total() != shop.Total()+support.Total()+none.Total() {
			t.Fatalf("per account %v does not add up to %v", got, all)
		}
	})
}
