package campaign_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// droppingSender is a null sender whose session drops in the middle of its
// dropAt-th send: the message went out, but the call ends in an error.
type droppingSender struct {
	*nullSender
	dropAt int32
	n      atomic.Int32
}

func (s *droppingSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	if s.n.Add(1) != s.dropAt {
		return s.nullSender.SendText(ctx, phone, text)
	}
	res, _ := s.nullSender.SendText(ctx, phone, text)
	s.mu.Lock()
	s.recent[phone] = append(s.recent[phone], campaign.OutgoingMessage{ID: res.MessageID, Text: text})
	s.mu.Unlock()
	s.down.Store(true)
	return campaign.SendResult{}, errors.New("browser: the page crashed")
}

// rotationRig is an engine over three accounts, each with its own sender.
func rotationRig(t *testing.T, s *models.Store, senders map[string]campaign.Sender) (ids []string, e *campaign.Engine) {
	t.Helper()
	for _, name := range []string{"A", "B", "C"} {
		a := &models.WhatsAppAccount{Name: name}
		if err := s.CreateWhatsAppAccount(context.Background(), a, 0); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return ids, runEngine(t, s, newNullSender(), func(o *campaign.Options) {
		o.AccountSender = func(id string) campaign.Sender { return senders[id] }
	})
}

func rotatingCampaign(t *testing.T, s *models.Store, n int, prefix string, ids []string, p models.Pacing) *models.Campaign {
	t.Helper()
	g, _ := seedContacts(t, s, n, prefix)
	p, err := campaign.NormalizePacing(p)
	if err != nil {
		t.Fatal(err)
	}
	c := &models.Campaign{Name: "Rotation " + prefix, Template: "Hi {{name}}", GroupIDs: []string{g.ID}, Pacing: p, AccountIDs: ids}
	if err := s.CreateCampaign(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// sentBy checks every sent recipient of c went out once, through the
// account it records, and returns the count per account.
func sentBy(t *testing.T, s *models.Store, c *models.Campaign, senders map[string]*nullSender) map[string]int {
	t.Helper()
	recs, err := s.RecipientsInState(context.Background(), c.ID, models.RecipientSent)
	if err != nil {
		t.Fatal(err)
	}
	times := map[string]int{}
	for _, snd := range senders {
		for _, m := range snd.messages() {
			times[m.Phone]++
		}
	}
	per := map[string]int{}
	for _, r := range recs {
		if times[r.Phone] != 1 {
			t.Fatalf("%s received %d messages", r.Phone, times[r.Phone])
		}
		found := false
		for _, m := range senders[r.AccountID].messages() {
			found = found || m.Phone == r.Phone
		}
		if !found {
			t.Fatalf("recipient %d records account %q, which did not send to it", r.Seq, r.AccountID)
		}
		per[r.AccountID]++
	}
	return per
}

// A campaign with three accounts spreads its messages over them, each
// account paced by its own clock, and each account's cap holds.
func TestRotationSpreadAndCaps(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		nulls := map[string]*nullSender{}
		senders := map[string]campaign.Sender{}
		ids, e := rotationRig(t, s, senders)
		for _, id := range ids {
			nulls[id] = newNullSender()
			senders[id] = nulls[id]
		}
		capped := 4
		if _, err := s.UpdateWhatsAppAccount(context.Background(), ids[2], models.WhatsAppAccountPatch{DailyCap: &capped}); err != nil {
			t.Fatal(err)
		}
		c := rotatingCampaign(t, s, 30, "41", ids, models.Pacing{Preset: "custom", MinDelayMS: 30, MaxDelayMS: 30})
		if _, err := e.Start(context.Background(), c.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the rotation", stateIs(s, c.ID, models.CampaignCompleted))
		per := sentBy(t, s, c, nulls)
		if per[ids[2]] != capped {
			t.Fatalf("the capped account sent %d, want its cap of %d (%v)", per[ids[2]], capped, per)
		}
		for _, id := range ids[:2] {
			if per[id] < 11 || per[id] > 15 {
				t.Fatalf("the work is not spread: %v", per)
			}
		}
	})
}

// One account drops in the middle of a send: the others go on, the
// recipient it held stays "sending" until it is back, then is settled on
// it from its chat (sent, never resent through another account).
func TestRotationAccountDrops(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		nulls := map[string]*nullSender{}
		senders := map[string]campaign.Sender{}
		ids, e := rotationRig(t, s, senders)
		for _, id := range ids {
			nulls[id] = newNullSender()
			senders[id] = nulls[id]
		}
		drop := &droppingSender{nullSender: nulls[ids[1]], dropAt: 3}
		senders[ids[1]] = drop
		c := rotatingCampaign(t, s, 30, "42", ids, models.Pacing{Preset: "custom", MinDelayMS: 10, MaxDelayMS: 10})
		if _, err := e.Start(context.Background(), c.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the other accounts to send the rest", func() bool {
			n, err := s.CountStates(context.Background(), c.ID, 1)
			return err == nil && n[models.RecipientSent] == 29 && n[models.RecipientSending] == 1
		})
		held, err := s.RecipientsInState(context.Background(), c.ID, models.RecipientSending)
		if err != nil || len(held) != 1 || held[0].AccountID != ids[1] {
			t.Fatalf("held: %+v, %v", held, err)
		}
		time.Sleep(100 * time.Millisecond)
		if got, _ := s.GetCampaign(context.Background(), c.ID); got.State != models.CampaignRunning {
			t.Fatalf("the campaign is %s while two accounts work", got.State)
		}
		drop.down.Store(false)
		waitFor(t, "the held recipient settled on its account", stateIs(s, c.ID, models.CampaignCompleted))
		per := sentBy(t, s, c, nulls)
		if per[ids[1]] != 3 || per[ids[0]]+per[ids[2]] != 27 {
			t.Fatalf("sends per account: %v", per)
		}
	})
}
