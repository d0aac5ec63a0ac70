package whatsapp_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/browser/wasim"
	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/campaign/whatsapp"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

const chromiumBin = "/usr/bin/chromium"

// rig is one simulator, one real headless Chromium linked to it, a SQLite
// store and a running engine fed by the driver's events.
type rig struct {
	sim    *wasim.Server
	m      *browser.Manager
	store  *models.Store
	engine *campaign.Engine
}

func newRig(t *testing.T) *rig {
	t.Helper()
	if _, err := os.Stat(chromiumBin); err != nil {
		t.Fatalf("the end-to-end test needs Chromium at %s: %v", chromiumBin, err)
	}
	sim := wasim.New(wasim.Options{
		LoadingDuration: 300 * time.Millisecond, FirstQRLifetime: 20 * time.Second, NextQRLifetime: 20 * time.Second,
		PollInterval: 100 * time.Millisecond,
		Acks:         wasim.AckPolicy{SentAfter: 50 * time.Millisecond, DeliveredAfter: 300 * time.Millisecond, ReadAfter: 900 * time.Millisecond},
	})
	base, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	m := browser.NewManager(browser.Options{
		DataDir: t.TempDir(), BaseURL: base, ChromePath: chromiumBin, Headless: true,
		TestHostRules: "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
		LoadTimeout:   20 * time.Second, SendTimeout: 15 * time.Second, PollInterval: 100 * time.Millisecond,
	})
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		m.Stop(ctx)
	})
	r := &rig{sim: sim, m: m, store: testdb.SQLite(t)}
	r.link(t)
	r.engine = campaign.New(campaign.Options{Store: r.store, Sender: whatsapp.NewSender(m), IdlePoll: 100 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.engine.Run(ctx); close(done) }()
	go whatsapp.Feed(ctx, m, r.engine)
	t.Cleanup(func() { cancel(); <-done })
	return r
}

// link scans the QR the browser shows and waits for ready.
func (r *rig) link(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		st := r.m.Status()
		if st.State == browser.StateReady {
			return
		}
		if st.State == browser.StateQR && st.QR != "" {
			if err := r.sim.ScanRef(st.QR); err == nil {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				_, err = r.m.WaitFor(ctx, browser.StateReady)
				cancel()
				if err == nil {
					return
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("WhatsApp did not become ready: %+v", r.m.Status())
}

func (r *rig) campaign(t *testing.T, n int, tag, tpl string, p models.Pacing) (*models.Campaign, []models.Contact) {
	t.Helper()
	ctx := context.Background()
	g, err := r.store.CreateGroup(ctx, "E2E "+tag)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var cs []models.Contact
	for i := 0; i < n; i++ {
		var c models.Contact
		in := models.ContactInput{Phone: fmt.Sprintf("+1415%s%04d", tag, i), Name: fmt.Sprintf("Friend %s-%d", tag, i), Variables: map[string]string{"v1": fmt.Sprintf("code-%d", i)}}
		if err := in.Apply(&c, "US"); err != nil {
			t.Fatal(err)
		}
		if err := r.store.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		cs = append(cs, c)
	}
	r.store.AddMembers(ctx, g.ID, ids)
	p, err = campaign.NormalizePacing(p)
	if err != nil {
		t.Fatal(err)
	}
	c := &models.Campaign{Name: "E2E " + tag, Template: tpl, GroupIDs: []string{g.ID}, Pacing: p}
	if err := r.store.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c, cs
}

func (r *rig) waitState(t *testing.T, id, state string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		c, err := r.store.GetCampaign(context.Background(), id)
		if err == nil && c.State == state {
			return
		}
		if time.Now().After(deadline) {
			counts, _ := r.store.CountStates(context.Background(), id, 0)
			t.Fatalf("campaign not %s after %v: %+v, counts %v, session %+v", state, d, c, counts, r.m.Status())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ledgerFor returns the simulator's accepted messages by phone digits.
func (r *rig) ledgerFor() map[string][]string {
	out := map[string][]string{}
	for _, e := range r.sim.Ledger() {
		d := strings.TrimPrefix(e.Phone, "+")
		out[d] = append(out[d], e.Text)
	}
	return out
}

func (r *rig) ledgerCount(prefix string) int {
	n := 0
	for _, e := range r.sim.Ledger() {
		if strings.HasPrefix(strings.TrimPrefix(e.Phone, "+"), prefix) {
			n++
		}
	}
	return n
}

// checkExactlyOnce asserts every recipient has one message with its exact frozen text.
func (r *rig) checkExactlyOnce(t *testing.T, id string, skip map[string]bool) {
	t.Helper()
	ledger := r.ledgerFor()
	err := r.store.EachRecipient(context.Background(), id, nil, func(rec *models.Recipient) error {
		got := ledger[strings.TrimPrefix(rec.Phone, "+")]
		if skip[rec.Phone] {
			if len(got) != 0 {
				t.Errorf("%s: %d messages, want none", rec.Phone, len(got))
			}
			return nil
		}
		if len(got) != 1 || got[0] != rec.Body {
			t.Errorf("%s: ledger %q, want exactly [%q]", rec.Phone, got, rec.Body)
		}
		switch rec.State {
		case models.RecipientSent, models.RecipientDelivered, models.RecipientRead:
		default:
			t.Errorf("%s: state %s after its message went out", rec.Phone, rec.State)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCampaignEndToEnd(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()

	t.Run("200 recipients, zero delay, one unknown number", func(t *testing.T) {
		c, cs := r.campaign(t, 200, "555", "{Hi|Hello} {{name}}, your code is {{v1}}.\nSee you soon!", models.Pacing{Preset: "custom"})
		unknown := cs[17].Phone
		r.sim.SetUnknown(strings.TrimPrefix(unknown, "+"))
		if _, err := r.engine.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		r.waitState(t, c.ID, models.CampaignCompleted, 8*time.Minute)
		r.checkExactlyOnce(t, c.ID, map[string]bool{unknown: true})
		counts, _ := r.store.CountStates(ctx, c.ID, 0)
		if counts[models.RecipientInvalid] != 1 || counts.Sent() != 199 {
			t.Fatalf("counts %v", counts)
		}
		// Acks arrive through the feed: delivered and read.
		deadline := time.Now().Add(20 * time.Second)
		for counts[models.RecipientRead] == 0 && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
			counts, _ = r.store.CountStates(ctx, c.ID, 0)
		}
		if counts[models.RecipientRead]+counts[models.RecipientDelivered] == 0 {
			t.Fatalf("no ack reached the campaign: %v", counts)
		}
	})

	t.Run("pause and resume", func(t *testing.T) {
		c, _ := r.campaign(t, 12, "556", "Hello {{name}}", models.Pacing{Preset: "custom", MinDelayMS: 100, MaxDelayMS: 200})
		if _, err := r.engine.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Minute)
		for r.ledgerCount("1415556") < 3 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if err := r.engine.Pause(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Second) // a send in flight finishes
		held := r.ledgerCount("1415556")
		time.Sleep(3 * time.Second)
		if n := r.ledgerCount("1415556"); n != held || n >= 12 {
			t.Fatalf("paused campaign sent: %d then %d", held, n)
		}
		if err := r.engine.Resume(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		r.waitState(t, c.ID, models.CampaignCompleted, 3*time.Minute)
		r.checkExactlyOnce(t, c.ID, nil)
	})

	t.Run("session dropped mid-campaign", func(t *testing.T) {
		c, _ := r.campaign(t, 12, "557", "Hey {{name}}, {{v1}}", models.Pacing{Preset: "custom", MinDelayMS: 100, MaxDelayMS: 200})
		if _, err := r.engine.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Minute)
		for r.ledgerCount("1415557") < 4 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		r.sim.Logout()
		r.waitState(t, c.ID, models.CampaignPaused, time.Minute)
		got, _ := r.store.GetCampaign(ctx, c.ID)
		if got.PauseReason != models.PauseWhatsApp {
			t.Fatalf("paused for %q", got.PauseReason)
		}
		r.link(t) // re-link: scan the new QR
		r.waitState(t, c.ID, models.CampaignCompleted, 3*time.Minute)
		r.checkExactlyOnce(t, c.ID, nil)
	})
}
