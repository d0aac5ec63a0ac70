package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/webhook"
)

// receiver is a real HTTP server on 127.0.0.1 that checks each delivery's
// signature and keeps the events in the order they arrived.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret string
	status atomic.Int32 // answer; 0 means 204
	mu     sync.Mutex
	got    []webhook.Event
	bad    []string
}

func newReceiver(t *testing.T, secret string) *receiver {
	r := &receiver{t: t, secret: secret}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		if st := r.status.Load(); st != 0 {
			http.Error(w, "receiver is down", int(st))
			return
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if !webhook.Verify(r.secret, body, req.Header.Get(webhook.HeaderSignature)) {
			r.bad = append(r.bad, "bad signature: "+req.Header.Get(webhook.HeaderSignature))
		}
		if ts, err := strconv.ParseInt(req.Header.Get(webhook.HeaderTimestamp), 10, 64); err != nil || time.Since(time.Unix(ts, 0)) > time.Minute {
			r.bad = append(r.bad, "bad timestamp: "+req.Header.Get(webhook.HeaderTimestamp))
		}
		var e webhook.Event
		if err := json.Unmarshal(body, &e); err != nil {
			r.bad = append(r.bad, "bad body: "+string(body))
		}
		r.got = append(r.got, e)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) events() []webhook.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bad) > 0 {
		r.t.Fatalf("receiver saw: %v", r.bad)
	}
	return append([]webhook.Event(nil), r.got...)
}

// waitFor polls cond for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func run(t *testing.T, s *models.Store, opt webhook.Options) *webhook.Dispatcher {
	opt.AllowPrivate = true
	if opt.Poll == 0 {
		opt.Poll = 20 * time.Millisecond
	}
	d := webhook.New(s, opt)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return d
}

// sessionEvents records n WhatsApp account events; the outbox trigger turns
// each into a session.state event whose detail is its number.
func sessionEvents(t *testing.T, s *models.Store, from, n int) {
	for i := from; i < from+n; i++ {
		e := models.Event{Kind: models.EventWhatsApp, State: "ready", Detail: strconv.Itoa(i)}
		if err := s.RecordEvent(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
}

func details(t *testing.T, evs []webhook.Event) []int {
	var out []int
	for _, e := range evs {
		var p struct{ State, Detail string }
		if err := json.Unmarshal(e.Payload, &p); err != nil || e.Type != "session.state" || p.State != "ready" {
			t.Fatalf("event %+v (%s): %v", e, e.Payload, err)
		}
		n, _ := strconv.Atoi(p.Detail)
		out = append(out, n)
	}
	return out
}

// inOrder checks that got holds 0..n-1 in order; a repeat of the event just
// before is allowed (at least once), a gap or a step back is not.
func inOrder(t *testing.T, got []int, n int) {
	t.Helper()
	next := 0
	for i, v := range got {
		switch {
		case v == next:
			next++
		case v == next-1:
		default:
			t.Fatalf("event %d is %d, want %d: %v", i, v, next, got)
		}
	}
	if next != n {
		t.Fatalf("got %d events of %d: %v", next, n, got)
	}
}

func TestDeliveryIsSignedAndInOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		secret := webhook.NewSecret()
		r := newReceiver(t, secret)
		other := newReceiver(t, "other-secret")
		w, err := s.CreateWebhook(ctx, r.srv.URL+"/hook", secret, nil, true)
		if err != nil {
			t.Fatal(err)
		}
		// An endpoint that only wants imports gets none of these.
		if _, err := s.CreateWebhook(ctx, other.srv.URL, "other-secret", []string{"import.completed"}, true); err != nil {
			t.Fatal(err)
		}
		sessionEvents(t, s, 0, 40)
		run(t, s, webhook.Options{})
		waitFor(t, 20*time.Second, "40 events", func() bool { return len(r.events()) >= 40 })
		inOrder(t, details(t, r.events()), 40)
		ids := map[string]bool{}
		for _, e := range r.events() {
			if ids[e.ID] || e.Time.IsZero() {
				t.Fatalf("event %+v repeated or without a time", e)
			}
			ids[e.ID] = true
		}
		if len(other.events()) != 0 {
			t.Fatalf("the import-only endpoint got %v", other.events())
		}
		// The receiver answers before the dispatcher logs the delivery.
		waitFor(t, 10*time.Second, "40 logged deliveries", func() bool {
			log, _ := s.WebhookDeliveries(ctx, w.ID, 100)
			return len(log) >= 40
		})
		log, err := s.WebhookDeliveries(ctx, w.ID, 100)
		if err != nil || len(log) != 40 || !log[0].OK || log[0].Status != 204 {
			t.Fatalf("delivery log = %d rows (%+v), %v", len(log), log[:min(1, len(log))], err)
		}
	})
}

// TestReceiverDownThenBack: events that happen while the receiver answers
// 503 all arrive, in order, once it is back; the log shows the failures.
func TestReceiverDownThenBack(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	r := newReceiver(t, "s3cret-value-123")
	r.status.Store(503)
	w, err := s.CreateWebhook(ctx, r.srv.URL, "s3cret-value-123", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	// 1.5 s down in `make test`; SAMBAD_WEBHOOK_SOAK=1 keeps it down for a
	// minute, with a backoff (1 s doubling to 5 s) that stays under the
	// default 50 failures in that time.
	rounds := 10
	opt := webhook.Options{BaseDelay: 20 * time.Millisecond, MaxDelay: 200 * time.Millisecond}
	if os.Getenv("SAMBAD_WEBHOOK_SOAK") != "" {
		rounds = 400
		opt = webhook.Options{BaseDelay: time.Second, MaxDelay: 5 * time.Second}
	}
	run(t, s, opt)
	for i := 0; i < rounds; i++ {
		sessionEvents(t, s, i*3, 3)
		time.Sleep(150 * time.Millisecond)
	}
	fails, _ := s.WebhookDeliveries(ctx, w.ID, 1000)
	if len(fails) < 3 || fails[0].OK || fails[0].Status != 503 || !strings.Contains(fails[0].Response, "receiver is down") {
		t.Fatalf("while down the log holds %d rows, newest %+v", len(fails), fails[0])
	}
	r.status.Store(0)
	waitFor(t, 60*time.Second, "every event after the receiver came back", func() bool { return len(r.events()) >= rounds*3 })
	inOrder(t, details(t, r.events()), rounds*3)
	waitFor(t, 10*time.Second, "the failure count to start again", func() bool {
		got, _ := s.Webhook(ctx, w.ID)
		return got.Failures == 0
	})
	got, _ := s.Webhook(ctx, w.ID)
	if !got.Enabled || got.Failures != 0 {
		t.Fatalf("after recovery the endpoint is %+v", got)
	}
}

func TestSwitchedOffAfterMaxFailures(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	r := newReceiver(t, "secret-secret")
	r.status.Store(500)
	w, err := s.CreateWebhook(ctx, r.srv.URL, "secret-secret", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	sessionEvents(t, s, 0, 2)
	d := run(t, s, webhook.Options{MaxFailures: 3, BaseDelay: 10 * time.Millisecond, MaxDelay: 20 * time.Millisecond})
	waitFor(t, 10*time.Second, "the endpoint to be switched off", func() bool {
		got, _ := s.Webhook(ctx, w.ID)
		return !got.Enabled
	})
	got, _ := s.Webhook(ctx, w.ID)
	if !strings.Contains(got.DisabledReason, "3 failed deliveries in a row") || !strings.Contains(got.DisabledReason, "HTTP 500") {
		t.Fatalf("reason = %q", got.DisabledReason)
	}
	if log, _ := s.WebhookDeliveries(ctx, w.ID, 100); len(log) != 3 {
		t.Fatalf("log has %d rows, want 3", len(log))
	}
	// Events keep being kept while it is off; switched on again with the
	// receiver fixed, it catches up on all of them, in order.
	sessionEvents(t, s, 2, 3)
	r.status.Store(0)
	on := true
	if _, err := s.UpdateWebhook(ctx, w.ID, models.WebhookInput{Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	// The page and the API wake the dispatcher after a change; with every
	// endpoint off it otherwise only looks again after its idle minute.
	d.Notify()
	waitFor(t, 10*time.Second, "the missed events", func() bool { return len(r.events()) >= 5 })
	inOrder(t, details(t, r.events()), 5)
}

// TestPrivateAddressRefusedAtDelivery: an endpoint that passed the check
// when registered but now points at a private address (DNS rebinding) is
// refused by the dialer.
func TestPrivateAddressRefusedAtDelivery(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	r := newReceiver(t, "secret-secret")
	w, err := s.CreateWebhook(ctx, r.srv.URL, "secret-secret", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	d := webhook.New(s, webhook.Options{}) // private addresses not allowed
	res, err := d.SendTest(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || !strings.Contains(res.Error, "SAMBAD_WEBHOOK_ALLOW_PRIVATE") || len(r.events()) != 0 {
		t.Fatalf("delivery to 127.0.0.1 = %+v; receiver got %d", res, len(r.events()))
	}
}

func TestSendTestAndSendAgain(t *testing.T) {
	s := testdb.SQLite(t)
	ctx := context.Background()
	r := newReceiver(t, "secret-secret")
	w, err := s.CreateWebhook(ctx, r.srv.URL, "secret-secret", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	sessionEvents(t, s, 0, 1)
	d := run(t, s, webhook.Options{})
	waitFor(t, 10*time.Second, "the event, logged", func() bool {
		log, _ := s.WebhookDeliveries(ctx, w.ID, 10)
		return len(r.events()) == 1 && len(log) == 1
	})
	res, err := d.SendTest(ctx, w.ID)
	if err != nil || !res.OK || res.Source != "test" {
		t.Fatalf("test = %+v, %v", res, err)
	}
	log, _ := s.WebhookDeliveries(ctx, w.ID, 10)
	again, err := d.SendAgain(ctx, w.ID, log[1].ID)
	if err != nil || !again.OK {
		t.Fatalf("again = %+v, %v", again, err)
	}
	evs := r.events()
	if len(evs) != 3 || evs[1].Type != "webhook.test" || evs[2].ID != evs[0].ID || string(evs[2].Payload) != string(evs[0].Payload) {
		t.Fatalf("receiver got %+v", evs)
	}
	if _, err := d.SendAgain(ctx, w.ID, 999999); err == nil {
		t.Fatal("send again of an unknown delivery worked")
	}
}

func TestCheckURL(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		url     string
		private bool
		want    string // "" when accepted
	}{
		{"https://93.184.216.34/hook", false, ""},
		{"ftp://93.184.216.34/hook", false, "only http and https"},
		{"not a url", false, "is not a URL"},
		{"http://127.0.0.1:8080/", false, "SAMBAD_WEBHOOK_ALLOW_PRIVATE"},
		{"http://10.1.2.3/", false, "private"},
		{"http://192.168.1.10/", false, "private"},
		{"http://169.254.169.254/latest/meta-data", false, "link-local"},
		{"http://[::1]/", false, "loopback"},
		{"http://localhost:9000/", false, "localhost"},
		{"http://user:pw@93.184.216.34/", false, "no user name"},
		{"http://127.0.0.1:8080/", true, ""},
		{"http://192.168.1.10/", true, ""},
	} {
		err := webhook.CheckURL(ctx, tc.url, tc.private)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s (private %v): %v", tc.url, tc.private, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s (private %v) = %v, want %q", tc.url, tc.private, err, tc.want)
		}
	}
}

func TestSignature(t *testing.T) {
	body := []byte(`{"id":"1"}`)
	// Computed independently: printf '{"id":"1"}' | openssl dgst -sha256 -hmac key
	want := "sha256=77cb8fd154ecfa2865657b2915c997c624ee47fe122e8a8bb91b10a09b47fb3c"
	if got := webhook.Sign("key", body); got != want || !webhook.Verify("key", body, want) || webhook.Verify("other", body, want) {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}
