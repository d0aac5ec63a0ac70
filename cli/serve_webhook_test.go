package cli

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/webhook"
)

// slowReceiver is a webhook receiver on 127.0.0.1 that takes delay per
// request, so events queue up in Sambad's outbox, and checks signatures.
type slowReceiver struct {
	url    string
	delay  atomic.Int64 // nanoseconds per request
	secret string
	mu     sync.Mutex
	got    []webhook.Event
	bad    int
}

func newSlowReceiver(t *testing.T, delay time.Duration) *slowReceiver {
	r := &slowReceiver{}
	r.delay.Store(int64(delay))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		time.Sleep(time.Duration(r.delay.Load()))
		var e webhook.Event
		r.mu.Lock()
		defer r.mu.Unlock()
		if json.Unmarshal(body, &e) != nil || !webhook.Verify(r.secret, body, req.Header.Get(webhook.HeaderSignature)) {
			r.bad++
		}
		r.got = append(r.got, e)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	r.url = "http://" + l.Addr().String() + "/sambad"
	return r
}

func (r *slowReceiver) events() ([]webhook.Event, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhook.Event(nil), r.got...), r.bad
}

// TestServeWebhooksSurviveKill9 runs the real binary with real Chromium and
// the simulator, registers a webhook whose receiver is slow (so events wait
// in the outbox), kills Sambad with SIGKILL in the middle of a campaign,
// starts it again and checks that the receiver, in the end, got every event
// the database holds: each outbox event, after all events before it, and
// for each recipient the event of its final state.
func TestServeWebhooksSurviveKill9(t *testing.T) {
	dir := shortTempDir(t, "whk")
	exe := sambadBinary(t)
	sim, simURL := startSimulator(t)
	dataDir := filepath.Join(dir, "data")
	env := "SAMBAD_WEBHOOK_ALLOW_PRIVATE=true"

	child := startServeChild(t, exe, dataDir, simURL, env)
	st := child.session(t, "qr", false, 90*time.Second)
	if st.QR == nil {
		child.fatal(t, "session in qr without a payload: %+v", st)
	}
	if err := sim.ScanRef(*st.QR); err != nil {
		t.Fatalf("scan: %v", err)
	}
	child.session(t, "ready", false, 60*time.Second)

	rcv := newSlowReceiver(t, 2*time.Second) // slower than sends: a backlog builds
	var hook struct{ ID, Secret string }
	child.api(t, http.MethodPost, "/api/v1/webhooks", map[string]any{"url": rcv.url}, &hook)
	rcv.mu.Lock()
	rcv.secret = hook.Secret
	rcv.mu.Unlock()

	const n = 24
	cp, want := child.startGroupCampaign(t, groupCampaign{N: n, Name: "Meena", Block: "98722", Group: "Hooks", Campaign: "Hooked",
		Template: "Hi {{name}}, the sale starts today.", Render: func(name string) string { return "Hi " + name + ", the sale starts today." },
		MinDelayMS: 100, MaxDelayMS: 200})
	deadline := time.Now().Add(120 * time.Second)
	for len(sim.Ledger()) < 10 {
		if time.Now().After(deadline) {
			child.fatal(t, "WhatsApp never received 10 messages; it has %d", len(sim.Ledger()))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := child.cmd.Process.Kill(); err != nil { // SIGKILL: nothing is flushed
		t.Fatal(err)
	}
	<-child.exited
	got, _ := rcv.events()
	store, err := models.Open(context.Background(), models.OpenOptions{SQLitePath: filepath.Join(dataDir, "sambad.db")})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := store.WebhookEventsAfter(context.Background(), 0, 100000)
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed with %d sent: %d events in the outbox, %d received so far", len(sim.Ledger()), len(pending), len(got))
	if len(pending) <= len(got) {
		t.Fatalf("no event was waiting at the kill (%d in the outbox, %d received): the test did not exercise the outbox", len(pending), len(got))
	}

	rcv.delay.Store(int64(20 * time.Millisecond)) // now catch up quickly
	child = startServeChild(t, exe, dataDir, simURL, env)
	child.session(t, "ready", true, 90*time.Second)
	v := child.waitCampaign(t, cp.ID, 180*time.Second, "finished", func(v campaignView) bool {
		return v.State == models.CampaignCompleted || v.State == models.CampaignStopped || v.State == models.CampaignFailed
	})
	if v.State != models.CampaignCompleted || v.sent() != n {
		child.fatal(t, "campaign ended %+v, want completed with %d sent", v, n)
	}
	checkOncePerRecipient(t, sim.Ledger(), want)
	// Acks settle, then the receiver catches up with the whole outbox.
	time.Sleep(2 * time.Second)
	store, err = models.Open(context.Background(), models.OpenOptions{SQLitePath: filepath.Join(dataDir, "sambad.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	deadline = time.Now().Add(120 * time.Second)
	var outbox []models.WebhookEvent
	for {
		if outbox, err = store.WebhookEventsAfter(context.Background(), 0, 100000); err != nil {
			t.Fatal(err)
		}
		got, bad := rcv.events()
		if bad > 0 {
			t.Fatalf("%d deliveries had a bad body or signature", bad)
		}
		seen := map[string]bool{}
		for _, e := range got {
			seen[e.ID] = true
		}
		missing := 0
		for _, e := range outbox {
			if !seen[eventIDString(e.ID)] {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			child.fatal(t, "the receiver never got %d of the %d outbox events", missing, len(outbox))
		}
		time.Sleep(200 * time.Millisecond)
	}
	got, _ = rcv.events()
	checkWebhookOrder(t, got, outbox)

	// Every recipient's final state was told.
	told := map[string]bool{}
	var started, completed bool
	for _, e := range got {
		var p struct {
			CampaignID string `json:"campaign_id"`
			Phone      string `json:"phone"`
			State      string `json:"state"`
		}
		json.Unmarshal(e.Payload, &p)
		told[e.Type+" "+p.Phone] = true
		started = started || (e.Type == "campaign.started" && p.CampaignID == cp.ID)
		completed = completed || (e.Type == "campaign.completed" && p.CampaignID == cp.ID)
	}
	if !started || !completed {
		t.Fatalf("campaign.started %v, campaign.completed %v", started, completed)
	}
	err = store.EachRecipient(context.Background(), cp.ID, nil, func(r *models.Recipient) error {
		if !told["message."+r.State+" "+r.Phone] {
			t.Errorf("recipient %s ended %s; the receiver never got message.%s for it", r.Phone, r.State, r.State)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, e := range outbox {
		types[e.Type]++
	}
	t.Logf("the receiver got %d deliveries for %d outbox events: %v", len(got), len(outbox), types)
	child.sigterm(t, filepath.Join(dataDir, "error.log"), 30*time.Second)
}

func eventIDString(id int64) string { b, _ := json.Marshal(id); return string(b) }

// checkWebhookOrder fails unless each event arrived only after every outbox
// event before it had arrived (a repeat after the crash is allowed: at
// least once).
func checkWebhookOrder(t *testing.T, got []webhook.Event, outbox []models.WebhookEvent) {
	t.Helper()
	pos := map[string]int{} // first arrival of each id
	for i, e := range got {
		if _, ok := pos[e.ID]; !ok {
			pos[e.ID] = i
		}
	}
	prev := -1
	for _, e := range outbox {
		p := pos[eventIDString(e.ID)]
		if p < prev {
			t.Fatalf("event %d (%s) first arrived at %d, before an earlier event (at %d)", e.ID, e.Type, p, prev)
		}
		prev = p
	}
}
