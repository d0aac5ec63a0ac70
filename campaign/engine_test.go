package campaign_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func TestStateMachine(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		ok       bool
	}{
		{"draft", "running", true}, {"draft", "scheduled", true}, {"draft", "paused", false}, {"draft", "completed", false},
		{"scheduled", "running", true}, {"scheduled", "draft", true}, {"scheduled", "paused", false},
		{"running", "paused", true}, {"running", "completed", true}, {"running", "stopped", true}, {"running", "draft", false},
		{"paused", "running", true}, {"paused", "stopped", true}, {"paused", "completed", false},
		{"completed", "running", true}, {"completed", "paused", false}, {"stopped", "paused", false}, {"failed", "draft", false},
	} {
		if got := models.CanTransition(tc.from, tc.to); got != tc.ok {
			t.Errorf("%s → %s: %v, want %v", tc.from, tc.to, got, tc.ok)
		}
	}
	for st, want := range map[string]bool{"draft": true, "scheduled": true, "paused": true, "running": false, "completed": false} {
		if models.CampaignEditable(st) != want {
			t.Errorf("editable(%s) != %v", st, want)
		}
	}
}

func TestEngineSendsFrozenTexts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		rig := newEngineRig(t, s, nil)
		ctx, snd, e := rig.ctx, rig.snd, rig.e
		c, cs := rig.campaign(t, 12, "01", "{Hi|Hello} {{name}} from {{city}}, code {{v1}} {{v9|none}}", fast)
		// Two opted out: excluded from the plan and counted.
		for _, c := range cs[:2] {
			c.OptedOut = true
			if err := s.UpdateContact(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		snd.down.Store(true) // planned, but nothing sent until the session is up
		if res := rig.start(t, c.ID); res.Planned != 10 || res.OptedOut != 2 {
			t.Fatalf("start = %+v", res)
		}
		if _, err := e.Start(ctx, c.ID); !errors.Is(err, models.ErrState) {
			t.Fatalf("second start: %v", err)
		}
		// Editing a contact after the start does not change its message.
		cs[5].Name = "Renamed"
		if err := s.UpdateContact(ctx, cs[5]); err != nil {
			t.Fatal(err)
		}
		rig.waitState(t, "auto-pause while WhatsApp is down", c.ID, models.CampaignPaused)
		snd.down.Store(false)
		e.SessionChanged()
		rig.waitState(t, "completion", c.ID, models.CampaignCompleted)
		msgs := snd.messages()
		if len(msgs) != 10 {
			t.Fatalf("%d messages sent, want 10", len(msgs))
		}
		seen := map[string]bool{}
		for _, m := range msgs {
			if seen[m.Phone] {
				t.Fatalf("%s got two messages", m.Phone)
			}
			seen[m.Phone] = true
			if strings.Contains(m.Text, "Renamed") || !strings.Contains(m.Text, "from Pune, code V") || !strings.HasSuffix(m.Text, " none") {
				t.Errorf("text %q", m.Text)
			}
		}
		if seen[cs[0].Phone] || seen[cs[1].Phone] {
			t.Fatal("an opted-out contact was messaged")
		}
		got, _ := s.GetCampaign(ctx, c.ID)
		if got.Planned != 10 || got.OptedOut != 2 {
			t.Fatalf("campaign counts %+v", got)
		}
		counts, _ := s.CountStates(ctx, c.ID, 0)
		if counts[models.RecipientSent] != 10 || counts.Total() != 10 {
			t.Fatalf("counts %v", counts)
		}
		// Acks move states forward only; an early ack waits for its outcome.
		e.HandleAck(msgs[0].ID, "read")
		e.HandleAck(msgs[0].ID, "delivered")
		e.HandleAck(msgs[1].ID, "delivered")
		counts, _ = s.CountStates(ctx, c.ID, 0)
		if counts[models.RecipientRead] != 1 || counts[models.RecipientDelivered] != 1 || counts[models.RecipientSent] != 8 {
			t.Fatalf("after acks: %v", counts)
		}
	})
}

func TestEngineInvalidFailuresAndRetry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		rig := newEngineRig(t, s, nil)
		ctx, snd, e := rig.ctx, rig.snd, rig.e
		c, cs := rig.campaign(t, 8, "02", "Hi {{name}}", models.Pacing{Preset: "custom", MaxFailures: 3})
		snd.invalid[cs[1].Phone] = true
		rig.start(t, c.ID)
		rig.waitState(t, "completion", c.ID, models.CampaignCompleted)
		counts, _ := s.CountStates(ctx, c.ID, 0)
		if counts[models.RecipientInvalid] != 1 || counts[models.RecipientSent] != 7 {
			t.Fatalf("counts %v", counts)
		}
		if _, err := e.RetryFailed(ctx, c.ID); err == nil {
			t.Fatal("retry with nothing failed was accepted")
		}

		// Three failures in a row pause the campaign.
		c2, _ := rig.campaign(t, 6, "03", "Hello {{name}}", models.Pacing{Preset: "custom", MaxFailures: 3})
		snd.failing.Store(true)
		rig.start(t, c2.ID)
		rig.waitState(t, "auto-pause after failures", c2.ID, models.CampaignPaused)
		got, _ := s.GetCampaign(ctx, c2.ID)
		counts, _ = s.CountStates(ctx, c2.ID, 0)
		if got.PauseReason != models.PauseFailures || counts[models.RecipientFailed] != 3 || counts[models.RecipientPending] != 3 {
			t.Fatalf("paused %+v with %v", got, counts)
		}
		snd.failing.Store(false)
		if err := e.Resume(ctx, c2.ID); err != nil {
			t.Fatal(err)
		}
		rig.waitState(t, "completion", c2.ID, models.CampaignCompleted)
		before := len(snd.messages())
		n, err := e.RetryFailed(ctx, c2.ID)
		if err != nil || n != 3 {
			t.Fatalf("retry = %d, %v", n, err)
		}
		rig.waitState(t, "retry run", c2.ID, models.CampaignCompleted)
		if sent := len(snd.messages()) - before; sent != 3 {
			t.Fatalf("retry sent %d, want 3", sent)
		}
		runs, _ := s.ListRuns(ctx, c2.ID)
		if len(runs) != 2 || runs[1].Kind != "retry" || runs[1].Recipients != 3 || runs[1].FinishedAt == nil {
			t.Fatalf("runs %+v", runs)
		}
		per, _ := s.CountStates(ctx, c2.ID, 2)
		if per[models.RecipientSent] != 3 || per.Total() != 3 {
			t.Fatalf("run 2 counts %v", per)
		}
	})
}

func TestEnginePauseResumeStop(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		rig := newEngineRig(t, s, nil)
		ctx, snd, e := rig.ctx, rig.snd, rig.e
		c, _ := rig.campaign(t, 30, "04", "Hi {{name}}", models.Pacing{Preset: "custom", MinDelayMS: 20, MaxDelayMS: 20})
		rig.start(t, c.ID)
		waitFor(t, "a few sends", func() bool { return len(snd.messages()) >= 3 })
		if err := e.Pause(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond) // let a send in flight finish
		n := len(snd.messages())
		time.Sleep(150 * time.Millisecond)
		if len(snd.messages()) != n {
			t.Fatal("a paused campaign kept sending")
		}
		if err := e.Pause(ctx, c.ID); !errors.Is(err, models.ErrState) {
			t.Fatalf("pausing twice: %v", err)
		}
		// A paused campaign can be edited (pacing), a running one cannot.
		got, _ := s.GetCampaign(ctx, c.ID)
		got.Pacing.MinDelayMS, got.Pacing.MaxDelayMS = 0, 0
		if err := s.UpdateCampaign(ctx, got); err != nil {
			t.Fatalf("edit while paused: %v", err)
		}
		if err := e.Resume(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateCampaign(ctx, got); !errors.Is(err, models.ErrState) {
			t.Fatalf("edit while running: %v", err)
		}
		rig.waitState(t, "completion", c.ID, models.CampaignCompleted)
		if len(snd.messages()) != 30 {
			t.Fatalf("sent %d", len(snd.messages()))
		}

		// Stop: what is pending stays pending and is never sent.
		c2, _ := rig.campaign(t, 30, "05", "Bye {{name}}", models.Pacing{Preset: "custom", MinDelayMS: 20, MaxDelayMS: 20})
		rig.start(t, c2.ID)
		waitFor(t, "a send", func() bool { return len(snd.messages()) >= 31 })
		if err := e.Stop(ctx, c2.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		n = len(snd.messages())
		time.Sleep(100 * time.Millisecond)
		got, _ = s.GetCampaign(ctx, c2.ID)
		if len(snd.messages()) != n || got.State != models.CampaignStopped || n >= 60 {
			t.Fatalf("after stop: state %s, %d sent", got.State, n)
		}
		if err := e.Resume(ctx, c2.ID); !errors.Is(err, models.ErrState) {
			t.Fatalf("resume after stop: %v", err)
		}
	})
}

func TestEngineReconciles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		rig := newEngineRig(t, s, nil)
		ctx, snd, e := rig.ctx, rig.snd, rig.e
		snd.down.Store(true)
		c, _ := rig.campaign(t, 5, "06", "Hi {{name}}", fast)
		rig.start(t, c.ID)
		rig.waitState(t, "pause while down", c.ID, models.CampaignPaused)
		// A crash after the "sending" mark: three recipients left sending.
		recs, err := s.ClaimPending(ctx, c.ID, 1, 3)
		if err != nil || len(recs) != 3 {
			t.Fatalf("claim: %d %v", len(recs), err)
		}
		byPhone := map[string]models.Recipient{}
		for _, r := range recs {
			byPhone[r.Phone] = r
		}
		// The first did go out, the second provably did not, the third's chat cannot be read.
		snd.recent[recs[0].Phone] = []campaign.OutgoingMessage{{ID: "older", Text: "something else"}, {ID: "m-1", Text: "  " + recs[0].Body + "\n"}}
		snd.recent[recs[1].Phone] = []campaign.OutgoingMessage{{ID: "old", Text: "Hi someone else"}}
		snd.readErr[recs[2].Phone] = true
		snd.down.Store(false)
		e.SessionChanged()
		rig.waitState(t, "completion", c.ID, models.CampaignCompleted)
		all, _, _ := s.ListRecipients(ctx, models.RecipientQuery{CampaignID: c.ID})
		states := map[string]string{}
		for _, r := range all {
			states[r.Phone] = r.State
		}
		if states[recs[0].Phone] != "sent" || states[recs[1].Phone] != "sent" || states[recs[2].Phone] != "unknown" {
			t.Fatalf("states %v", states)
		}
		// Never a blind resend: the first was not sent again, the unknown not sent at all.
		count := map[string]int{}
		for _, m := range snd.messages() {
			count[m.Phone]++
		}
		if count[recs[0].Phone] != 0 || count[recs[1].Phone] != 1 || count[recs[2].Phone] != 0 || len(snd.messages()) != 3 {
			t.Fatalf("sends per phone %v", count)
		}
		for _, r := range all {
			if r.Phone == recs[0].Phone && r.MessageID != "m-1" {
				t.Fatalf("reconciled message id %q", r.MessageID)
			}
		}
		// The person decides to resend the unknown one.
		n, err := e.ResolveUnknown(ctx, c.ID, "resend")
		if err != nil || n != 1 {
			t.Fatalf("resolve = %d %v", n, err)
		}
		waitFor(t, "resend", func() bool { return len(snd.messages()) == 4 })
		rig.waitState(t, "completion", c.ID, models.CampaignCompleted)
	})
}

// fakeClock's time only moves when the test says so.
type fakeClock struct{ now atomicTime }

type atomicTime struct{ v atomicValue }

func (c *fakeClock) Now() time.Time { return c.now.v.Load().(time.Time) }
func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	return time.After(min(d, 5*time.Millisecond))
}

func TestEngineQuietHoursAndDailyCap(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		clk := &fakeClock{}
		loc, _ := time.LoadLocation("Asia/Kolkata")
		clk.now.v.Store(time.Date(2026, 1, 10, 23, 0, 0, 0, loc)) // inside 22:00–08:00
		rig := newEngineRig(t, s, func(o *campaign.Options) { o.Clock, o.Location = clk, loc })
		snd, e := rig.snd, rig.e
		c, _ := rig.campaign(t, 6, "07", "Hi {{name}}", models.Pacing{Preset: "custom", QuietStart: "22:00", QuietEnd: "08:00", DailyCap: 4})
		rig.start(t, c.ID)
		waitFor(t, "quiet hours status", func() bool { return e.Live(c.ID).Status == "quiet hours" })
		time.Sleep(50 * time.Millisecond)
		if len(snd.messages()) != 0 {
			t.Fatal("sent during quiet hours")
		}
		if until := e.Live(c.ID).Until; !until.Equal(time.Date(2026, 1, 11, 8, 0, 0, 0, loc)) {
			t.Fatalf("quiet until %v", until)
		}
		clk.now.v.Store(time.Date(2026, 1, 11, 8, 0, 0, 0, loc))
		waitFor(t, "daily cap", func() bool { return e.Live(c.ID).Status == "daily cap reached" })
		if n := len(snd.messages()); n != 4 {
			t.Fatalf("sent %d before the cap, want 4", n)
		}
		clk.now.v.Store(time.Date(2026, 1, 12, 9, 0, 0, 0, loc))
		rig.waitState(t, "completion next day", c.ID, models.CampaignCompleted)
		if n := len(snd.messages()); n != 6 {
			t.Fatalf("sent %d, want 6", n)
		}
	})
}

func TestEngineSchedule(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		rig := newEngineRig(t, s, nil)
		ctx, snd, e := rig.ctx, rig.snd, rig.e
		g, _ := seedContacts(t, s, 3, "08")
		c := newCampaign(t, s, "Hi {{name}}", g.ID, fast)
		if err := e.Schedule(ctx, c.ID, time.Now().Add(-time.Minute)); err == nil {
			t.Fatal("a schedule in the past was accepted")
		}
		if err := e.Schedule(ctx, c.ID, time.Now().Add(400*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetCampaign(ctx, c.ID)
		if got.State != models.CampaignScheduled || len(snd.messages()) != 0 {
			t.Fatalf("scheduled: %s, %d sent", got.State, len(snd.messages()))
		}
		// Editing is allowed while scheduled; pausing is not.
		if err := e.Pause(ctx, c.ID); !errors.Is(err, models.ErrState) {
			t.Fatalf("pause a scheduled campaign: %v", err)
		}
		rig.waitState(t, "the scheduled start", c.ID, models.CampaignCompleted)
		if len(snd.messages()) != 3 {
			t.Fatalf("sent %d", len(snd.messages()))
		}
		// A template that became invalid is caught before scheduling.
		bad := newCampaign(t, s, "Hi {{name}}", g.ID, fast)
		bad.Template = "Hi {{nmae}}"
		if err := s.UpdateCampaign(ctx, bad); err != nil {
			t.Fatal(err)
		}
		var te *campaign.TemplateError
		if err := e.Schedule(ctx, bad.ID, time.Now().Add(time.Hour)); !errors.As(err, &te) {
			t.Fatalf("schedule with an unknown variable: %v", err)
		}
	})
}

func TestReconcileWaitsForSession(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		rig := newEngineRig(t, s, nil)
		ctx, snd, e := rig.ctx, rig.snd, rig.e
		snd.down.Store(true)
		c, _ := rig.campaign(t, 3, "09", "Hi {{name}}", fast)
		rig.start(t, c.ID)
		rig.waitState(t, "pause while down", c.ID, models.CampaignPaused)
		recs, _ := s.ClaimPending(ctx, c.ID, 1, 1)
		// It went out, but the first two chat reads meet a session that just dropped.
		snd.recent[recs[0].Phone] = []campaign.OutgoingMessage{{ID: "m-9", Text: recs[0].Body}}
		snd.readNotReady.Store(2)
		snd.down.Store(false)
		e.SessionChanged()
		rig.waitState(t, "completion", c.ID, models.CampaignCompleted)
		got, _, _ := s.ListRecipients(ctx, models.RecipientQuery{CampaignID: c.ID, States: []string{models.RecipientSent}})
		if len(got) != 3 {
			t.Fatalf("%d sent, want 3 (none unknown)", len(got))
		}
		for _, m := range snd.messages() {
			if m.Phone == recs[0].Phone {
				t.Fatal("the reconciled recipient was sent again")
			}
		}
	})
}

func TestEngineShutdownPausesAndResumes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		g, _ := seedContacts(t, s, 15, "10")
		snd := newNullSender()
		c := newCampaign(t, s, "Hi {{name}}", g.ID, models.Pacing{Preset: "custom", MinDelayMS: 30, MaxDelayMS: 30})
		e1 := campaign.New(campaign.Options{Store: s, Sender: snd, IdlePoll: 10 * time.Millisecond})
		if _, err := e1.Start(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- e1.Run(runCtx) }()
		waitFor(t, "a few sends", func() bool { return len(snd.messages()) >= 3 })
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the engine did not stop")
		}
		got, _ := s.GetCampaign(ctx, c.ID)
		if got.State != models.CampaignPaused || got.PauseReason != models.PauseShutdown {
			t.Fatalf("after shutdown: %s (%s)", got.State, got.PauseReason)
		}
		counts, _ := s.CountStates(ctx, c.ID, 0)
		if counts[models.RecipientSending] != 0 || counts.Sent() != int64(len(snd.messages())) {
			t.Fatalf("after shutdown: counts %v with %d sent", counts, len(snd.messages()))
		}
		// The next start goes on by itself, sending each remaining one once.
		runEngine(t, s, snd, nil)
		waitFor(t, "completion after restart", stateIs(s, c.ID, models.CampaignCompleted))
		seen := map[string]int{}
		for _, m := range snd.messages() {
			seen[m.Phone]++
		}
		if len(seen) != 15 || len(snd.messages()) != 15 {
			t.Fatalf("%d phones, %d messages", len(seen), len(snd.messages()))
		}
	})
}
