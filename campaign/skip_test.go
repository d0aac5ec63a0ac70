package campaign_test

import (
	"testing"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// A campaign that skips numbers known not to be on WhatsApp sends to the
// others only, completes, and counts the skipped ones as skipped: not
// failed, not invalid, never handed to the sender.
func TestCampaignSkipsNotOnWhatsApp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		r := newEngineRig(t, s, nil)
		c, cs := r.campaign(t, 6, "71", "Hi {{name}}", fast)
		chk := &models.NumberCheck{}
		var items []models.NumberCheckItem
		for _, ct := range cs[:3] {
			items = append(items, models.NumberCheckItem{Phone: ct.Phone, ContactID: ct.ID})
		}
		if err := s.CreateNumberCheck(r.ctx, chk, items); err != nil {
			t.Fatal(err)
		}
		for _, res := range []string{models.NumberNotOnWA, models.NumberOnWhatsApp, models.NumberNotOnWA} {
			it, _ := s.NextPendingNumber(r.ctx, chk.ID)
			s.RecordNumber(r.ctx, it, res, "")
		}
		c.SkipNotOnWhatsApp = true
		if err := s.UpdateCampaign(r.ctx, c); err != nil {
			t.Fatal(err)
		}
		if res := r.start(t, c.ID); res.Skipped != 2 || res.Planned != 6 {
			t.Fatalf("plan = %+v", res)
		}
		r.waitState(t, "completed", c.ID, models.CampaignCompleted)
		sent := map[string]bool{}
		for _, m := range r.snd.messages() {
			sent[m.Phone] = true
		}
		if len(sent) != 4 || sent[cs[0].Phone] || sent[cs[2].Phone] || !sent[cs[1].Phone] {
			t.Fatalf("sent to %v", sent)
		}
		counts, _ := s.CountStates(r.ctx, c.ID, 0)
		if counts[models.RecipientSkipped] != 2 || counts[models.RecipientFailed] != 0 || counts[models.RecipientInvalid] != 0 || counts.Sent() != 4 {
			t.Fatalf("counts = %v", counts)
		}
	})
}
