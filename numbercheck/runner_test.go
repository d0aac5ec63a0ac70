package numbercheck_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/numbercheck"
)

// scripted is a Checker that answers from a table, so restarts and
// cancels can be tested at any point; the real driver is tested in
// whatsapp/number_check_test.go (Chromium and the simulator).
type scripted struct {
	mu      sync.Mutex
	off     map[string]bool // numbers not on WhatsApp
	asked   map[string]int
	ready   bool
	stall   chan struct{} // when set, each check waits for a value
	checked chan string
}

func newScripted() *scripted {
	return &scripted{off: map[string]bool{}, asked: map[string]int{}, ready: true, checked: make(chan string, 100)}
}

func (s *scripted) Check(ctx context.Context, _ string, phone string) (bool, error) {
	s.mu.Lock()
	ready, stall := s.ready, s.stall
	s.mu.Unlock()
	if !ready {
		return false, fmt.Errorf("test: %w", numbercheck.ErrNotReady)
	}
	if stall != nil {
		select {
		case <-stall:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	s.mu.Lock()
	s.asked[phone]++
	on := !s.off[phone]
	s.mu.Unlock()
	s.checked <- phone
	return on, nil
}

func (s *scripted) ValidAccount(_ context.Context, id string) error {
	if id == "" {
		return nil
	}
	return fmt.Errorf("account_id %q: %w", id, numbercheck.ErrUnknownAccount)
}

func (s *scripted) NotReadyReason(string) string { return "the phone is offline" }

func start(t *testing.T, st *models.Store, c numbercheck.Checker) (*numbercheck.Runner, func()) {
	t.Helper()
	r := numbercheck.New(numbercheck.Options{Store: st, Checker: c, MinDelay: -1, RetryNotReady: 50 * time.Millisecond, IdlePoll: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return r, sync.OnceFunc(stop)
}

func await(t *testing.T, r *numbercheck.Runner, id string, ok func(*models.NumberCheck) bool) *models.NumberCheck {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, err := r.Get(context.Background(), id)
		if err == nil && ok(n) {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("job not as awaited: %+v, %v", n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func request(n int) numbercheck.Request {
	req := numbercheck.Request{Pacing: models.Pacing{Preset: "custom", MinDelayMS: 1, MaxDelayMS: 5}}
	for i := 0; i < n; i++ {
		req.Phones = append(req.Phones, fmt.Sprintf("+14155551%03d", i))
	}
	return req
}

// A job interrupted by a stop (a restart of Sambad) goes on at the next
// start where it was: every number checked once, except at most the one in
// flight, and the results found before the stop kept.
func TestJobResumesAfterRestart(t *testing.T) {
	st := testdb.SQLite(t)
	c := newScripted()
	c.off["+14155551003"] = true
	stall := make(chan struct{})
	c.stall = stall
	r1, stop1 := start(t, st, c)
	job, err := r1.Start(context.Background(), request(8))
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		stall <- struct{}{}
	}
	await(t, r1, job.ID, func(n *models.NumberCheck) bool { return n.Counts.Done() == 4 })
	stop1() // the fifth check is in flight, stalled: the stop abandons it
	mid, _ := r1.Get(context.Background(), job.ID)
	if mid.Finished() || mid.Counts.Done() != 4 || mid.State != models.NumberCheckRunning {
		t.Fatalf("the job at the stop: %+v", mid)
	}
	c.mu.Lock()
	c.stall = nil
	c.mu.Unlock()
	r2, _ := start(t, st, c)
	final := await(t, r2, job.ID, func(n *models.NumberCheck) bool { return n.Finished() })
	if final.State != models.NumberCheckDone || final.Counts.OnWhatsApp != 7 || final.Counts.NotOnWhatsApp != 1 {
		t.Fatalf("after the restart: %+v", final)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// The stalled fifth number never answered before the stop, so every
	// number answered exactly once.
	for ph, n := range c.asked {
		if n != 1 {
			t.Errorf("%s answered %d times", ph, n)
		}
	}
	if len(c.asked) != 8 {
		t.Fatalf("%d numbers answered, want 8", len(c.asked))
	}
}

// While WhatsApp is not ready the job waits and says why; it goes on by
// itself once ready. A cancel keeps what was found, and a finished job
// cannot be cancelled.
func TestJobWaitsAndCancels(t *testing.T) {
	st := testdb.SQLite(t)
	c := newScripted()
	c.ready = false
	r, _ := start(t, st, c)
	ctx := context.Background()
	job, err := r.Start(ctx, request(5))
	if err != nil {
		t.Fatal(err)
	}
	w := await(t, r, job.ID, func(n *models.NumberCheck) bool { return n.State == models.NumberCheckWaiting })
	if w.Detail != "Waiting for WhatsApp: the phone is offline" || w.Counts.Done() != 0 {
		t.Fatalf("waiting job: %+v", w)
	}
	c.mu.Lock()
	c.ready, c.stall = true, make(chan struct{})
	stall := c.stall
	c.mu.Unlock()
	r.SessionChanged()
	stall <- struct{}{}
	stall <- struct{}{}
	await(t, r, job.ID, func(n *models.NumberCheck) bool { return n.Counts.Done() == 2 && n.State == models.NumberCheckRunning })
	cancelled, err := r.Cancel(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	close(stall) // a check in flight at the cancel still records its answer
	time.Sleep(200 * time.Millisecond)
	end, _ := r.Get(ctx, job.ID)
	if end.State != models.NumberCheckCancelled || end.Counts.Done() < 2 || end.Counts.Done() > 3 || cancelled.FinishedAt == nil {
		t.Fatalf("after the cancel: %+v", end)
	}
	var ue *campaign.Error
	if _, err := r.Cancel(ctx, job.ID); !errors.As(err, &ue) || ue.Status != 409 {
		t.Fatalf("cancel of a cancelled job: %v", err)
	}
}

// Requests a person can get wrong get a message: no numbers, too many, an
// unknown account, a pace faster than the floor.
func TestStartRefusesBadRequests(t *testing.T) {
	st := testdb.SQLite(t)
	r := numbercheck.New(numbercheck.Options{Store: st, Checker: newScripted()})
	ctx := context.Background()
	big := request(0)
	for i := 0; i <= models.MaxNumberCheck; i++ {
		big.Phones = append(big.Phones, fmt.Sprintf("+1415%07d", i))
	}
	fast := request(2)
	acct := request(1)
	acct.AccountID = "other"
	for name, tc := range map[string]struct {
		req  numbercheck.Request
		want string
	}{
		"empty":    {request(0), "at least one number"},
		"too many": {big, "at most 1000"},
		"account":  {acct, "no such WhatsApp account"},
		"too fast": {fast, "waits at least 1s"},
	} {
		_, err := r.Start(ctx, tc.req)
		var ue *campaign.Error
		if !errors.As(err, &ue) || ue.Status != 422 || !strings.Contains(ue.Message, tc.want) {
			t.Errorf("%s: %v, want a 422 saying %q", name, err, tc.want)
		}
	}
	if n, err := r.Start(ctx, numbercheck.Request{Phones: []string{"+14155550000"}}); err != nil || n.Pacing.Preset != numbercheck.DefaultPreset {
		t.Fatalf("a request without pacing: %+v, %v", n, err)
	}
}
