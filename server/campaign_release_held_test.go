package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// POST /api/v1/campaigns/{id}/release-held: 404 for an unknown campaign,
// 409 for an account that is connected (it settles what it holds), 200 with
// the count for one that is not, whose held recipient becomes "unknown".
func TestCampaignReleaseHeldAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s, 3)
		ctx := t.Context()
		for _, name := range []string{"Front desk", "Shop phone"} {
			if err := s.CreateWhatsAppAccount(ctx, &models.WhatsAppAccount{Name: name}, 0); err != nil {
				t.Fatal(err)
			}
		}
		accts, _ := s.ListWhatsAppAccounts(ctx)
		// The fixture's engine sends through one sender, connected: the
		// campaign's account (its first) is ready; the other one is not.
		ready, gone := accts[0].ID, accts[1].ID
		// WhatsApp is down: the campaign pauses at once, and one recipient
		// is left "sending" on the other account, as one that dropped
		// mid-send leaves it.
		f.sender.down.Store(true)
		c := &models.Campaign{Name: "Held", Template: "Hi {{name}}", GroupIDs: []string{f.group.ID},
			Pacing: models.Pacing{Preset: "custom"}, AccountIDs: models.IDList{ready, gone}}
		if err := f.engine.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := f.engine.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for cp, _ := s.GetCampaign(ctx, c.ID); cp.State != models.CampaignPaused; cp, _ = s.GetCampaign(ctx, c.ID) {
			if time.Now().After(deadline) {
				t.Fatal("not paused")
			}
			time.Sleep(10 * time.Millisecond)
		}
		recs, err := s.ClaimPendingOn(ctx, c.ID, gone, 1, 1)
		if err != nil || len(recs) != 1 {
			t.Fatal(recs, err)
		}
		held := recs[0].Seq
		if code, out := f.do(t, "POST", "/api/v1/campaigns/01a00000-0000-7000-8000-000000000000/release-held", `{"account_id":"`+gone+`"}`); code != 404 {
			t.Fatalf("unknown campaign: %d %v", code, out)
		}
		code, out := f.do(t, "POST", "/api/v1/campaigns/"+c.ID+"/release-held", `{"account_id":"`+gone+`"}`)
		if code != 200 || out["released"] != float64(1) {
			t.Fatalf("release: %d %v", code, out)
		}
		unk, _ := s.RecipientsInState(ctx, c.ID, models.RecipientUnknown)
		if len(unk) != 1 || unk[0].Seq != held || !strings.Contains(unk[0].Error, "Shop phone") {
			t.Fatalf("released: %+v", unk)
		}
		if code, out := f.do(t, "POST", "/api/v1/campaigns/"+c.ID+"/release-held", `{"account_id":"`+gone+`"}`); code != 409 {
			t.Fatalf("nothing left to release: %d %v", code, out)
		}
		// The campaign's account, connected, settles what it holds itself.
		f.sender.down.Store(false)
		code, out = f.do(t, "POST", "/api/v1/campaigns/"+c.ID+"/release-held", `{"account_id":"`+ready+`"}`)
		if msg, _ := out["error"].(string); code != 409 || !strings.Contains(msg, "is connected") {
			t.Fatalf("ready account: %d %v", code, out)
		}
	})
}
