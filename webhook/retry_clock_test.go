package webhook_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/webhook"
)

// clockStore is the store as the dispatcher sees it, with time moved on
// through the two places the dispatcher reads it from: each outbox event
// looks age older, and the retry time it asks for after a failure is
// recorded (as a wait from now) and then brought forward to now, so a test
// sees hours of backoff without waiting them out.
type clockStore struct {
	*models.Store
	mu    sync.Mutex
	age   time.Duration
	waits []time.Duration
}

func (c *clockStore) setAge(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.age = d
}

func (c *clockStore) recorded() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

func (c *clockStore) WebhookEventsAfter(ctx context.Context, after int64, limit int) ([]models.WebhookEvent, error) {
	evs, err := c.Store.WebhookEventsAfter(ctx, after, limit)
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range evs {
		evs[i].At = evs[i].At.Add(-c.age)
	}
	return evs, err
}

func (c *clockStore) FailWebhook(ctx context.Context, id string, d *models.WebhookDelivery, next time.Time, maxFailures int) (bool, error) {
	wait := time.Until(next)
	off, err := c.Store.FailWebhook(ctx, id, d, time.Now(), maxFailures)
	// Recorded once stored, so a test that saw n waits finds n failures.
	c.mu.Lock()
	c.waits = append(c.waits, wait)
	c.mu.Unlock()
	return off, err
}

func runOn(t *testing.T, s webhook.Store, opt webhook.Options) *webhook.Dispatcher {
	opt.AllowPrivate = true
	opt.Poll = 10 * time.Millisecond
	d := webhook.New(s, opt)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return d
}

// TestRetryBackoffDoubles: with the defaults, a receiver that keeps
// answering 500 is tried again after 5 s, 10 s, 20 s … each wait double
// the one before, until the waits reach MaxDelay (1 h) and stay there; the
// event is not passed and every try is in the log.
func TestRetryBackoffDoubles(t *testing.T) {
	s := &clockStore{Store: testdb.SQLite(t)}
	ctx := context.Background()
	r := newReceiver(t, "retry-secret-value")
	r.status.Store(http.StatusInternalServerError)
	w, err := s.CreateWebhook(ctx, r.srv.URL, "retry-secret-value", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	sessionEvents(t, s.Store, 0, 1)
	runOn(t, s, webhook.Options{})
	const tries = 13
	waitFor(t, 20*time.Second, "13 failed tries", func() bool { return len(s.recorded()) >= tries })
	waits := s.recorded()[:tries]
	want := 5 * time.Second
	for i, got := range waits {
		// The wait is measured a moment after the dispatcher chose it.
		if got > want || got < want-time.Second {
			t.Fatalf("wait after failure %d = %s, want %s (all: %v)", i+1, got, want, waits)
		}
		if want = 2 * want; want > time.Hour {
			want = time.Hour
		}
	}
	got, err := s.Webhook(ctx, w.ID)
	if err != nil || got.LastEventID != 0 || got.Failures < tries || !got.Enabled {
		t.Fatalf("after %d failures the endpoint is %+v, %v", tries, got, err)
	}
	log, _ := s.WebhookDeliveries(ctx, w.ID, 100)
	if len(log) < tries || log[0].OK || log[0].Status != 500 || log[0].EventType != "session.state" {
		t.Fatalf("log: %d rows, newest %+v", len(log), log[0])
	}
}

// TestGiveUpAfter24Hours: an event the receiver keeps refusing is still
// tried while it is younger than GiveUpAfter (24 h by default) and passed
// once it is older, the log saying the dispatcher gave up and why; the
// endpoint stays on, its failures start again, and the next event is
// delivered.
func TestGiveUpAfter24Hours(t *testing.T) {
	s := &clockStore{Store: testdb.SQLite(t)}
	ctx := context.Background()
	r := newReceiver(t, "give-up-secret-value")
	r.status.Store(http.StatusServiceUnavailable)
	w, err := s.CreateWebhook(ctx, r.srv.URL, "give-up-secret-value", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	sessionEvents(t, s.Store, 0, 1)
	first, _ := s.WebhookEventsAfter(ctx, 0, 10)
	runOn(t, s, webhook.Options{})
	waitFor(t, 10*time.Second, "the first failure", func() bool { return len(s.recorded()) >= 1 })

	// A minute short of a day old: still tried, not given up.
	s.setAge(24*time.Hour - time.Minute)
	n := len(s.recorded())
	waitFor(t, 10*time.Second, "two more tries", func() bool { return len(s.recorded()) >= n+2 })
	got, _ := s.Webhook(ctx, w.ID)
	if got.LastEventID != 0 {
		t.Fatalf("an event 23 h 59 min old was passed: %+v", got)
	}
	log, _ := s.WebhookDeliveries(ctx, w.ID, 100)
	for _, d := range log {
		if strings.Contains(d.Error, "gave up") {
			t.Fatalf("gave up before 24 h: %+v", d)
		}
	}

	// A minute over: the next try is the last.
	s.setAge(24*time.Hour + time.Minute)
	waitFor(t, 10*time.Second, "the event to be passed", func() bool {
		got, _ := s.Webhook(ctx, w.ID)
		return got.LastEventID == first[0].ID
	})
	log, _ = s.WebhookDeliveries(ctx, w.ID, 100)
	last := log[0]
	if last.OK || last.Status != 503 || last.EventID != first[0].ID || last.Error != "gave up after 24h0m0s: HTTP 503" {
		t.Fatalf("the last delivery logged = %+v", last)
	}
	got, _ = s.Webhook(ctx, w.ID)
	if !got.Enabled || got.Failures != 0 || got.NextAttemptAt != nil {
		t.Fatalf("after giving up the endpoint is %+v", got)
	}
	if len(r.events()) != 0 {
		t.Fatalf("a refused event was counted as received: %v", r.events())
	}

	// The receiver back, a new event of now goes through.
	s.setAge(0)
	r.status.Store(0)
	sessionEvents(t, s.Store, 1, 1)
	waitFor(t, 10*time.Second, "the next event", func() bool { return len(r.events()) == 1 })
	if got := details(t, r.events()); got[0] != 1 {
		t.Fatalf("received %v, want the event after the one given up", got)
	}
}
