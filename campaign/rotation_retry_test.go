package campaign_test

import (
	"context"
	"testing"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// "Retry failed" of a rotating campaign may use any account of its set: a
// recipient that failed on account A is not pinned to A. Here A fails its
// sends, then is down when the person retries: B sends them all.
func TestRotationRetryUsesAnyAccount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		nulls := map[string]*nullSender{}
		senders := map[string]campaign.Sender{}
		ids, e := rotationRig(t, s, senders)
		for _, id := range ids {
			nulls[id] = newNullSender()
			senders[id] = nulls[id]
		}
		a, b := ids[0], ids[1]
		nulls[a].failing.Store(true)
		c := rotatingCampaign(t, s, 8, "43", ids[:2], models.Pacing{Preset: "custom", MinDelayMS: 10, MaxDelayMS: 10})
		if _, err := e.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the first run", stateIs(s, c.ID, models.CampaignCompleted))
		failed, err := s.RecipientsInState(ctx, c.ID, models.RecipientFailed)
		if err != nil || len(failed) == 0 {
			t.Fatalf("failed on A: %d, %v", len(failed), err)
		}
		for _, r := range failed {
			if r.AccountID != a {
				t.Fatalf("recipient %d failed on %q, not on A", r.Seq, r.AccountID)
			}
		}
		// A is down now; the retry must not wait for it.
		nulls[a].failing.Store(false)
		nulls[a].down.Store(true)
		if _, err := e.RetryFailed(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the retry sent through B", stateIs(s, c.ID, models.CampaignCompleted))
		if n, _ := s.CountStates(ctx, c.ID, 0); n[models.RecipientSent] != 8 {
			t.Fatalf("after the retry: %v", n)
		}
		sent, err := s.RecipientsInState(ctx, c.ID, models.RecipientSent)
		if err != nil {
			t.Fatal(err)
		}
		retried := map[int64]bool{}
		for _, r := range failed {
			retried[r.Seq] = true
		}
		for _, r := range sent {
			if retried[r.Seq] && r.AccountID != b {
				t.Fatalf("retried recipient %d records account %q, want B", r.Seq, r.AccountID)
			}
		}
		if len(nulls[a].messages()) != 0 {
			t.Fatalf("A, which only failed and then was down, sent %d", len(nulls[a].messages()))
		}
		sentBy(t, s, c, nulls)
	})
}
