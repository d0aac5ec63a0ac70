package campaign_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestScheduledStartThatFailsGoesBackToDraft: a scheduled campaign whose
// start fails at its time (here a contact's variable was emptied after
// scheduling, so its message would be empty) becomes a draft again with the
// reason on it, sends nothing, and is not retried on every poll.
func TestScheduledStartThatFailsGoesBackToDraft(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		rig := newEngineRig(t, s, nil)
		ctx, snd, e := rig.ctx, rig.snd, rig.e
		g, contacts := seedContacts(t, s, 3, "31")
		c := newCampaign(t, s, "{{v1}}", g.ID, fast)
		if err := e.Schedule(ctx, c.ID, time.Now().Add(300*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		if err := testdb.Gorm(s).Exec("UPDATE contacts SET v1 = '' WHERE id = ?", contacts[1].ID).Error; err != nil {
			t.Fatal(err)
		}
		rig.waitState(t, "the failed scheduled start", c.ID, models.CampaignDraft)
		got, err := s.GetCampaign(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.LastError, "could not start at the scheduled time") || !strings.Contains(got.LastError, "is empty") {
			t.Fatalf("the draft's reason = %q", got.LastError)
		}
		time.Sleep(100 * time.Millisecond) // several polls
		if got, _ := s.GetCampaign(ctx, c.ID); got.State != models.CampaignDraft || len(snd.messages()) != 0 {
			t.Fatalf("after the failed start: %s, %d sent", got.State, len(snd.messages()))
		}
	})
}
