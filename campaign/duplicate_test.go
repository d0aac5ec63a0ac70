package campaign_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestEngineRunAgain: a completed campaign's copy is a draft that, started,
// sends the same message to the same audience again; the original keeps
// its results.
func TestEngineRunAgain(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		rig := newEngineRig(t, s, nil)
		ctx, snd, e := rig.ctx, rig.snd, rig.e
		c, _ := rig.campaign(t, 3, "07", "Hi {{name}}", fast)
		rig.start(t, c.ID)
		rig.waitState(t, "first run completes", c.ID, models.CampaignCompleted)

		cp, err := e.Duplicate(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cp.State != models.CampaignDraft || cp.Name != c.Name+" (copy)" || cp.Pacing != c.Pacing {
			t.Fatalf("copy = %+v", cp)
		}
		rig.start(t, cp.ID)
		rig.waitState(t, "the copy completes", cp.ID, models.CampaignCompleted)
		msgs := snd.messages()
		times := map[string]int{}
		for _, m := range msgs {
			times[m.Phone+" "+m.Text]++
		}
		if len(msgs) != 6 || len(times) != 3 {
			t.Fatalf("sent %+v; want the 3 messages twice", msgs)
		}
		for k, n := range times {
			if n != 2 {
				t.Fatalf("%q sent %d times; want twice", k, n)
			}
		}
		counts, _ := s.CountStates(ctx, c.ID, 0)
		if counts.Sent() != 3 {
			t.Fatalf("the original's counts after the copy ran: %v", counts)
		}

		_, err = e.Duplicate(ctx, models.NewID())
		var ue *campaign.Error
		if !errors.As(err, &ue) || ue.Status != http.StatusNotFound || !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("duplicate of an unknown campaign: %#v", err)
		}
	})
}
