package campaign_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// dyingSender is a null sender whose session dies at its dieAt-th send,
// before the message leaves: the call ends in an error (outcome unknown to
// the engine) and the account never comes back.
type dyingSender struct {
	*nullSender
	dieAt int32
	n     atomic.Int32
}

func (s *dyingSender) SendText(ctx context.Context, phone, text string) (campaign.SendResult, error) {
	if s.n.Add(1) != s.dieAt {
		return s.nullSender.SendText(ctx, phone, text)
	}
	s.down.Store(true)
	return campaign.SendResult{}, errors.New("browser: the page crashed")
}

// TestReleaseHeldByDeadAccount: a recipient held by an account that never
// comes back keeps a rotation's run open; a person releases it (refused
// while the account named is connected), it becomes "unknown" naming the
// account, the person resends it, another account of the set sends it, and
// the run completes with every recipient exactly once in the ledger.
func TestReleaseHeldByDeadAccount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		nulls := map[string]*nullSender{}
		senders := map[string]campaign.Sender{}
		ids, e := rotationRig(t, s, senders)
		for _, id := range ids {
			nulls[id] = newNullSender()
			senders[id] = nulls[id]
		}
		senders[ids[1]] = &dyingSender{nullSender: nulls[ids[1]], dieAt: 3}
		c := rotatingCampaign(t, s, 30, "71", ids, models.Pacing{Preset: "custom", MinDelayMS: 5, MaxDelayMS: 5})
		if _, err := e.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the others to send the rest", func() bool {
			n, err := s.CountStates(ctx, c.ID, 1)
			return err == nil && n[models.RecipientSent] == 29 && n[models.RecipientSending] == 1
		})
		time.Sleep(50 * time.Millisecond)
		if got, _ := s.GetCampaign(ctx, c.ID); got.State != models.CampaignRunning {
			t.Fatalf("the campaign is %s with a recipient held", got.State)
		}
		held, err := e.Held(ctx, c.ID)
		if err != nil || len(held) != 1 || held[0].AccountID != ids[1] || held[0].Held != 1 || held[0].Ready || held[0].Name != "B" {
			t.Fatalf("held: %+v, %v", held, err)
		}
		var ue *campaign.Error
		if err := e.AccountFree(ctx, ids[1]); !errors.As(err, &ue) || ue.Status != http.StatusConflict || !strings.Contains(ue.Message, c.Name) {
			t.Fatalf("removing the account that holds it: %v; want a 409 naming the campaign", err)
		}
		if err := e.AccountFree(ctx, ids[0]); err != nil {
			t.Fatalf("an account holding nothing: %v", err)
		}
		if _, err := e.ReleaseHeld(ctx, c.ID, ids[0]); !errors.As(err, &ue) || ue.Status != http.StatusConflict {
			t.Fatalf("releasing a connected account: %v; want a 409", err)
		}
		if _, err := e.ReleaseHeld(ctx, "00000000-0000-0000-0000-000000000000", ids[1]); !errors.As(err, &ue) || ue.Status != http.StatusNotFound {
			t.Fatalf("releasing on an unknown campaign: %v; want a 404", err)
		}
		n, err := e.ReleaseHeld(ctx, c.ID, ids[1])
		if err != nil || n != 1 {
			t.Fatalf("release: %d, %v", n, err)
		}
		unk, err := s.RecipientsInState(ctx, c.ID, models.RecipientUnknown)
		if err != nil || len(unk) != 1 || !strings.Contains(unk[0].Error, `"B"`) {
			t.Fatalf("released: %+v, %v", unk, err)
		}
		if _, err := e.ReleaseHeld(ctx, c.ID, ids[1]); !errors.As(err, &ue) || ue.Status != http.StatusConflict {
			t.Fatalf("releasing again: %v; want a 409 (holds none)", err)
		}
		if n, err := e.ResolveUnknown(ctx, c.ID, "resend"); err != nil || n != 1 {
			t.Fatalf("resend: %d, %v", n, err)
		}
		waitFor(t, "the run to complete", func() bool {
			n, err := s.CountStates(ctx, c.ID, 1)
			return stateIs(s, c.ID, models.CampaignCompleted)() && err == nil && n[models.RecipientSent] == 30
		})
		per := sentBy(t, s, c, nulls)
		if per[ids[1]] != 2 || per[ids[0]]+per[ids[2]] != 28 {
			t.Fatalf("sends per account: %v", per)
		}
		sends, repeated, err := s.SendLedger(ctx, c.ID)
		if err != nil || sends != 30 || repeated != 0 {
			t.Fatalf("ledger: %d sends, %d repeated, %v; want 30, 0", sends, repeated, err)
		}
		if err := e.AccountFree(ctx, ids[1]); err != nil {
			t.Fatalf("the dead account, released, may be removed: %v", err)
		}
	})
}

// downAfterSender is a fileSender whose session drops (not ready) once it
// has sent `after` messages, until up is set.
type downAfterSender struct {
	*fileSender
	after int
	up    atomic.Bool
}

func (s *downAfterSender) Ready() bool {
	s.mu.Lock()
	n := s.n
	s.mu.Unlock()
	return n < s.after || s.up.Load()
}

// TestFilesRecipientPinnedToAccount: in a rotation of a campaign with
// files, a recipient whose first file went out through account A before A
// dropped goes back to pending; account B sends the others but not the
// rest of that one's messages, which wait for A (its chat holds the first)
// and go out through A once it is back.
func TestFilesRecipientPinnedToAccount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		r := newFilesRig(t, s, 3, "72")
		a := &downAfterSender{fileSender: newFileSender(), after: 1}
		b := newFileSender()
		var ids []string
		for _, name := range []string{"A", "B"} {
			acc := &models.WhatsAppAccount{Name: name}
			if err := s.CreateWhatsAppAccount(ctx, acc, 0); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, acc.ID)
		}
		senders := map[string]campaign.Sender{ids[0]: a, ids[1]: b}
		e := runEngine(t, s, newNullSender(), func(o *campaign.Options) {
			o.Files = r.lib
			o.AccountSender = func(id string) campaign.Sender { return senders[id] }
		})
		p, _ := campaign.NormalizePacing(fast)
		c := &models.Campaign{Name: "Pinned", Template: "Hi {{name}}, our offer", GroupIDs: []string{r.group}, Pacing: p,
			MediaIDs: []string{r.photo.ID, r.pdf.ID}, CaptionMode: models.CaptionFirstFile, AccountIDs: ids}
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "B to send the others", func() bool {
			n, err := s.CountStates(ctx, c.ID, 1)
			return err == nil && n[models.RecipientSent] == 2 && n[models.RecipientPending] == 1
		})
		var first string
		var firstName string
		for _, ct := range r.contacts {
			if len(a.chat(ct.Phone)) > 0 {
				first, firstName = ct.Phone, ct.Name
			}
		}
		time.Sleep(100 * time.Millisecond)
		if got := b.chat(first); len(got) != 0 {
			t.Fatalf("B sent %d of the messages of a recipient whose first file went out through A: %+v", len(got), got)
		}
		if got := a.chat(first); len(got) != 1 {
			t.Fatalf("A's chat with the first recipient: %+v", got)
		}
		if got, _ := s.GetCampaign(ctx, c.ID); got.State != models.CampaignRunning {
			t.Fatalf("the campaign is %s while a recipient waits for its account", got.State)
		}
		a.up.Store(true)
		e.SessionChanged()
		waitFor(t, "completion", stateIs(s, c.ID, models.CampaignCompleted))
		want := []chatMsg{r.photoMsg("Hi " + firstName + ", our offer"), r.pdfMsg()}
		got := a.chat(first)
		if len(got) != 2 {
			t.Fatalf("A's chat with the first recipient: %+v, want both messages", got)
		}
		for i := range want {
			g := got[i]
			g.ID = ""
			if g != want[i] {
				t.Fatalf("message %d = %+v, want %+v", i+1, g, want[i])
			}
		}
		if got := b.chat(first); len(got) != 0 {
			t.Fatalf("B's chat with the first recipient: %+v", got)
		}
		sends, repeated, err := s.SendLedger(ctx, c.ID)
		if err != nil || sends != 6 || repeated != 0 {
			t.Fatalf("ledger: %d sends, %d repeated, %v; want 6, 0", sends, repeated, err)
		}
	})
}
