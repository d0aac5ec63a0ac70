package whatsapp_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/numbercheck"
	"github.com/sambad/sambad/server"
	"github.com/sambad/sambad/whatsapp"
)

// A mix of known and unknown numbers, checked one after the other against
// the simulator with its randomised compose timings on (late history, late
// handlers, the "Starting chat" dialog): every answer is right and nothing
// is sent.
func TestCheckNumberMixedTimings(t *testing.T) {
	r := newCheckSite(t)
	if r.sim.Seed() == 0 {
		t.Fatal("the simulator's compose timings are off; this test needs them on")
	}
	ctx := context.Background()
	want := map[string]bool{}
	for i := 0; i < 16; i++ {
		ph := fmt.Sprintf("+1415777%04d", i)
		want[ph] = i%3 != 1
		if !want[ph] {
			r.sim.SetUnknown(strings.TrimPrefix(ph, "+"))
		}
	}
	c := whatsapp.NumberChecker{Registry: r.reg}
	for i := 0; i < 16; i++ {
		ph := fmt.Sprintf("+1415777%04d", i)
		cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		on, err := c.Check(cctx, "", ph)
		cancel()
		if err != nil {
			t.Fatalf("check %s: %v", ph, err)
		}
		if on != want[ph] {
			t.Errorf("check %s = %v, want %v", ph, on, want[ph])
		}
	}
	if n := r.ledgerCount("1415777"); n != 0 {
		t.Fatalf("checking sent %d messages", n)
	}
	if err := c.ValidAccount(ctx, "someone-else"); err == nil {
		t.Fatal("an unknown account id was accepted")
	}
	if err := c.ValidAccount(ctx, r.first); err != nil {
		t.Fatalf("the first account's id was refused: %v", err)
	}
}

// A check job through the real driver: the phone goes offline in the
// middle; the job waits (state "waiting", saying why), goes on when the
// phone is back, and completes with every result right and written to the
// contacts with the date.
func TestNumberCheckJobWaitsForPhone(t *testing.T) {
	r := newCheckSite(t)
	ctx := context.Background()
	var req numbercheck.Request
	want := map[string]bool{}
	for i := 0; i < 10; i++ {
		var ct models.Contact
		in := models.ContactInput{Phone: fmt.Sprintf("+1415888%04d", i), Name: fmt.Sprintf("Check %d", i)}
		if err := in.Apply(&ct, "US"); err != nil {
			t.Fatal(err)
		}
		if err := r.store.CreateContact(ctx, &ct); err != nil {
			t.Fatal(err)
		}
		want[ct.ID] = i%4 != 2
		if !want[ct.ID] {
			r.sim.SetUnknown(strings.TrimPrefix(ct.Phone, "+"))
		}
		req.Phones, req.ContactIDs = append(req.Phones, ct.Phone), append(req.ContactIDs, ct.ID)
	}
	req.Pacing = models.Pacing{Preset: "custom", MinDelayMS: 50, MaxDelayMS: 150}
	runner := numbercheck.New(numbercheck.Options{Store: r.store, Checker: whatsapp.NumberChecker{Registry: r.reg},
		MinDelay: -1, RetryNotReady: 300 * time.Millisecond, IdlePoll: 200 * time.Millisecond})
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { runner.Run(rctx); close(done) }()
	go whatsapp.FeedSessionChanges(rctx, r.reg.Get(r.first).Manager(), runner.SessionChanged)
	t.Cleanup(func() { cancel(); <-done })

	job, err := runner.Start(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	waitJob(t, runner, job.ID, 90*time.Second, func(n *models.NumberCheck) bool { return n.Counts.Done() >= 3 })
	r.sim.SetOffline(true)
	offlineAt := waitJob(t, runner, job.ID, 60*time.Second, func(n *models.NumberCheck) bool { return n.State == models.NumberCheckWaiting })
	if !strings.Contains(offlineAt.Detail, "phone is offline") {
		t.Errorf("waiting detail = %q, want it to say the phone is offline", offlineAt.Detail)
	}
	// While offline nothing moves on.
	time.Sleep(2 * time.Second)
	still, _ := runner.Get(ctx, job.ID)
	if still.State != models.NumberCheckWaiting || still.Counts.Done() != offlineAt.Counts.Done() {
		t.Fatalf("while the phone was offline the job went on: %+v (was %+v)", still, offlineAt)
	}
	r.sim.SetOffline(false)
	final := waitJob(t, runner, job.ID, 120*time.Second, func(n *models.NumberCheck) bool { return n.Finished() })
	if final.State != models.NumberCheckDone || final.Counts.Errors != 0 || final.Counts.Done() != 10 {
		t.Fatalf("job ended %+v", final)
	}
	for id, on := range want {
		ct, err := r.store.GetContact(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if ct.OnWhatsApp == nil || *ct.OnWhatsApp != on || ct.OnWhatsAppCheckedAt == nil {
			t.Errorf("%s: on_whatsapp %v at %v, want %v", ct.Phone, ct.OnWhatsApp, ct.OnWhatsAppCheckedAt, on)
		}
	}
	if n := r.ledgerCount("1415888"); n != 0 {
		t.Fatalf("the check sent %d messages", n)
	}
}

// checkSite is an accounts site whose first account is linked.
type checkSite struct {
	*accountsSite
	first string
}

func newCheckSite(t *testing.T) checkSite {
	s := newAccountsSite(t)
	var list struct {
		Items []server.Account `json:"items"`
	}
	s.call("GET", "/accounts", "", &list)
	if len(list.Items) == 0 {
		t.Fatal("no first account")
	}
	first := list.Items[0].ID
	s.link(first, "919855500001")
	return checkSite{accountsSite: s, first: first}
}

// ledgerCount counts the messages the simulator got for numbers starting
// with prefix.
func (s checkSite) ledgerCount(prefix string) int {
	n := 0
	for _, e := range s.sim.Ledger() {
		if strings.HasPrefix(strings.TrimPrefix(e.Phone, "+"), prefix) {
			n++
		}
	}
	return n
}

func waitJob(t *testing.T, r *numbercheck.Runner, id string, d time.Duration, ok func(*models.NumberCheck) bool) *models.NumberCheck {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		n, err := r.Get(context.Background(), id)
		if err == nil && ok(n) {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("number check not as awaited after %v: %+v (%v)", d, n, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
