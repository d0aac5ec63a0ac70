package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/webhook"
)

// verdictSender answers each number as the table says: sent when absent.
type verdictSender struct {
	mu      sync.Mutex
	verdict map[string]campaign.SendResult
	n       int
}

func (s *verdictSender) Ready() bool { return true }
func (s *verdictSender) SendText(_ context.Context, phone, _ string) (campaign.SendResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.verdict[phone]; ok {
		return v, nil
	}
	s.n++
	return campaign.SendResult{Status: campaign.StatusSent, MessageID: fmt.Sprintf("true_%s_%d", phone, s.n)}, nil
}
func (s *verdictSender) SendFile(ctx context.Context, phone string, _ campaign.File) (campaign.SendResult, error) {
	return s.SendText(ctx, phone, "")
}
func (s *verdictSender) RecentOutgoing(context.Context, string, int) ([]campaign.OutgoingMessage, error) {
	return nil, nil
}

// posted is one request a headerReceiver got.
type posted struct {
	header http.Header
	body   []byte
	event  webhook.Event
}

// headerReceiver is a real HTTP receiver that keeps each request whole.
type headerReceiver struct {
	url string
	mu  sync.Mutex
	got []posted
}

func newHeaderReceiver(t *testing.T) *headerReceiver {
	r := &headerReceiver{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		p := posted{header: req.Header.Clone(), body: body}
		_ = json.Unmarshal(body, &p.event)
		r.mu.Lock()
		r.got = append(r.got, p)
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(ts.Close)
	r.url = ts.URL + "/hook"
	return r
}

func (r *headerReceiver) posts() []posted {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]posted(nil), r.got...)
}

// TestMessageFailedReachesTheReceiver: a campaign to three numbers, one not
// on WhatsApp and one that WhatsApp refuses, posts two message.failed
// events (and nothing else to an endpoint that asked for only those) to a
// real receiver, signed, with the recipient in the payload. A number not
// on WhatsApp is a message.failed whose payload state is invalid_number,
// with the engine's reason; a refused send carries state failed and
// WhatsApp's reason.
func TestMessageFailedReachesTheReceiver(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		const secret = "failed-events-secret"
		r := newHeaderReceiver(t)
		w, err := s.CreateWebhook(ctx, r.url, secret, []string{"message.failed"}, true)
		if err != nil {
			t.Fatal(err)
		}
		g, err := s.CreateGroup(ctx, "Failures")
		if err != nil {
			t.Fatal(err)
		}
		contacts := map[string]models.Contact{}
		var ids []string
		for i, name := range []string{"Asha", "Bela", "Chitra"} {
			var c models.Contact
			if err := (models.ContactInput{Phone: fmt.Sprintf("+1415555%04d", 100+i), Name: name}).Apply(&c, "US"); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateContact(ctx, &c); err != nil {
				t.Fatal(err)
			}
			contacts[c.Phone] = c
			ids = append(ids, c.ID)
		}
		if _, err := s.AddMembers(ctx, g.ID, ids); err != nil {
			t.Fatal(err)
		}
		snd := &verdictSender{verdict: map[string]campaign.SendResult{
			"+14155550101": {Status: campaign.StatusInvalidNumber},
			"+14155550102": {Status: campaign.StatusFailed, Reason: "WhatsApp did not accept the message"},
		}}
		cp := &models.Campaign{Name: "Offer", Template: "Hi {{name}}", GroupIDs: []string{g.ID}, Pacing: models.Pacing{Preset: "custom"}}
		if err := s.CreateCampaign(ctx, cp); err != nil {
			t.Fatal(err)
		}
		e := campaign.New(campaign.Options{Store: s, Sender: snd, IdlePoll: 5 * time.Millisecond})
		if _, err := e.Start(ctx, cp.ID); err != nil {
			t.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(ctx)
		ran := make(chan struct{})
		go func() { e.Run(runCtx); close(ran) }()
		t.Cleanup(func() { cancel(); <-ran })
		run(t, s, webhook.Options{})

		waitFor(t, 20*time.Second, "the campaign to finish", func() bool {
			c, err := s.GetCampaign(ctx, cp.ID)
			return err == nil && c.State == models.CampaignCompleted
		})
		waitFor(t, 10*time.Second, "two message.failed deliveries logged", func() bool {
			log, _ := s.WebhookDeliveries(ctx, w.ID, 10)
			return len(log) >= 2
		})
		got := r.posts()
		if len(got) != 2 {
			t.Fatalf("the receiver got %d posts, want the 2 failures: %v", len(got), got)
		}
		type payload struct {
			CampaignID string `json:"campaign_id"`
			Recipient  int    `json:"recipient"`
			ContactID  string `json:"contact_id"`
			Name       string `json:"name"`
			Phone      string `json:"phone"`
			MessageID  string `json:"message_id"`
			State      string `json:"state"`
			Error      string `json:"error"`
		}
		var ps []payload
		for _, p := range got {
			if !webhook.Verify(secret, p.body, p.header.Get(webhook.HeaderSignature)) {
				t.Errorf("bad signature %q on %s", p.header.Get(webhook.HeaderSignature), p.body)
			}
			if p.event.Type != "message.failed" || p.header.Get(webhook.HeaderEvent) != "message.failed" ||
				p.header.Get(webhook.HeaderEventID) != p.event.ID || p.event.ID == "" || p.event.Time.IsZero() {
				t.Errorf("event %+v with headers %v", p.event, p.header)
			}
			var pl payload
			if err := json.Unmarshal(p.event.Payload, &pl); err != nil {
				t.Fatalf("payload %s: %v", p.event.Payload, err)
			}
			ps = append(ps, pl)
		}
		sort.Slice(ps, func(i, j int) bool { return ps[i].Phone < ps[j].Phone })
		want := []struct{ phone, state, err string }{
			{"+14155550101", models.RecipientInvalid, "this number is not on WhatsApp"},
			{"+14155550102", models.RecipientFailed, "WhatsApp did not accept the message"},
		}
		for i, w := range want {
			p := ps[i]
			c := contacts[w.phone]
			if p.Phone != w.phone || p.State != w.state || p.Error != w.err || p.CampaignID != cp.ID ||
				p.ContactID != c.ID || p.Name != c.Name || p.Recipient < 1 || p.MessageID != "" {
				t.Errorf("payload %d = %+v, want %s %s %q for contact %s (%s) of campaign %s", i, p, w.phone, w.state, w.err, c.ID, c.Name, cp.ID)
			}
		}
		log, _ := s.WebhookDeliveries(ctx, w.ID, 10)
		for _, d := range log {
			if !d.OK || d.Status != http.StatusNoContent || d.EventType != "message.failed" {
				t.Errorf("delivery logged as %+v", d)
			}
		}
	})
}
