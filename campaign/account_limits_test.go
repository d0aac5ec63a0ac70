package campaign_test

import (
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// Each account's own daily cap and quiet hours hold its campaigns; an
// account without them keeps the campaign's (the global defaults), and one
// account's sends do not count against another's cap.
func TestEngineAccountCapAndQuietHours(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		clk := &fakeClock{}
		loc, _ := time.LoadLocation("Asia/Kolkata")
		clk.now.v.Store(time.Date(2026, 1, 10, 12, 30, 0, 0, loc))
		rig := newEngineRig(t, s, func(o *campaign.Options) { o.Clock, o.Location = clk, loc })
		ctx, snd, e := rig.ctx, rig.snd, rig.e
		plain := &models.WhatsAppAccount{Name: "Plain"}
		own := &models.WhatsAppAccount{Name: "Own", DailyCap: 3, QuietStart: "12:00", QuietEnd: "13:00"}
		for _, a := range []*models.WhatsAppAccount{plain, own} {
			if err := s.CreateWhatsAppAccount(ctx, a, 0); err != nil {
				t.Fatal(err)
			}
		}
		on := func(n int, prefix, account string) *models.Campaign {
			g, _ := seedContacts(t, s, n, prefix)
			p, err := campaign.NormalizePacing(models.Pacing{Preset: "custom", DailyCap: 10})
			if err != nil {
				t.Fatal(err)
			}
			c := &models.Campaign{Name: "On " + account, Template: "Hi {{name}}", GroupIDs: []string{g.ID}, Pacing: p, AccountIDs: models.IDList{account}}
			if err := s.CreateCampaign(ctx, c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		// The first account has no limits of its own: the campaign's hold
		// (no quiet hours, a cap of 10), so it sends at 12:30.
		c1 := on(4, "31", plain.ID)
		rig.start(t, c1.ID)
		rig.waitState(t, "the plain account's campaign", c1.ID, models.CampaignCompleted)
		if n := len(snd.messages()); n != 4 {
			t.Fatalf("sent %d through the plain account, want 4", n)
		}
		// The other account is in its own quiet hours until 13:00, though
		// the campaign has none; then it stops at its own cap of 3, below
		// the campaign's 10 and not counting the plain account's 4.
		c2 := on(5, "32", own.ID)
		rig.start(t, c2.ID)
		waitFor(t, "the account's quiet hours", func() bool { return e.Live(c2.ID).Status == "quiet hours" })
		if until := e.Live(c2.ID).Until; !until.Equal(time.Date(2026, 1, 10, 13, 0, 0, 0, loc)) {
			t.Fatalf("quiet until %v, want 13:00", until)
		}
		if n := len(snd.messages()); n != 4 {
			t.Fatalf("sent %d during the account's quiet hours", n-4)
		}
		clk.now.v.Store(time.Date(2026, 1, 10, 13, 0, 0, 0, loc))
		waitFor(t, "the account's daily cap", func() bool { return e.Live(c2.ID).Status == "daily cap reached" })
		if n := len(snd.messages()) - 4; n != 3 {
			t.Fatalf("sent %d through the capped account, want its cap of 3", n)
		}
		clk.now.v.Store(time.Date(2026, 1, 11, 13, 30, 0, 0, loc))
		rig.waitState(t, "completion next day", c2.ID, models.CampaignCompleted)
		if n := len(snd.messages()); n != 9 {
			t.Fatalf("sent %d, want 9", n)
		}
		// Each recipient records the account that claimed it.
		for _, w := range []struct {
			c    *models.Campaign
			want string
			n    int
		}{{c1, plain.ID, 4}, {c2, own.ID, 5}} {
			c, want := w.c, w.want
			recs, err := s.RecipientsInState(ctx, c.ID, models.RecipientSent)
			if err != nil || len(recs) != w.n {
				t.Fatalf("sent recipients of %s: %d, %v", c.Name, len(recs), err)
			}
			for _, r := range recs {
				if r.AccountID != want {
					t.Fatalf("recipient %d of %s holds account %q, want %q", r.Seq, c.Name, r.AccountID, want)
				}
			}
		}
	})
}
