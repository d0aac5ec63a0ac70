package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestOutboxEventsFromTheDatabase: the triggers of migration 00012 write
// the right event for each cause, on both dialects, and nothing while no
// endpoint is registered.
func TestOutboxEventsFromTheDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		g, err := s.CreateGroup(ctx, "Outbox")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for i := range 3 {
			var c models.Contact
			if err := (models.ContactInput{Phone: fmt.Sprintf("+1415555%04d", i), Name: fmt.Sprintf("P%d", i)}).Apply(&c, "US"); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateContact(ctx, &c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		if _, err := s.AddMembers(ctx, g.ID, ids); err != nil {
			t.Fatal(err)
		}
		e := campaign.New(campaign.Options{Store: s, Sender: &instantSender{}})
		newCampaign := func(name string) string {
			c := &models.Campaign{Name: name, Template: "Hi {{name}}", GroupIDs: []string{g.ID}, Pacing: models.Pacing{Preset: "custom"}}
			if err := s.CreateCampaign(ctx, c); err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		// Nothing is written while no endpoint is registered.
		quiet := newCampaign("Quiet")
		if _, err := e.Start(ctx, quiet); err != nil {
			t.Fatal(err)
		}
		if evs, _ := s.WebhookEventsAfter(ctx, 0, 100); len(evs) != 0 {
			t.Fatalf("with no endpoint the outbox holds %v", evs)
		}
		if _, err := s.CreateWebhook(ctx, "http://127.0.0.1:9/", "secret-secret-secret", nil, false); err != nil { // off: still collects
			t.Fatal(err)
		}
		id := newCampaign("Loud")
		steps := []func(context.Context, string) error{
			func(ctx context.Context, id string) error { _, err := e.Start(ctx, id); return err },
			e.Pause, e.Resume, e.Stop,
		}
		for _, step := range steps {
			if err := step(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordEvent(ctx, models.Event{Kind: models.EventImport, Subject: "contacts.csv", State: "done", Detail: "3 new"}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordEvent(ctx, models.Event{Kind: models.EventWhatsApp, SubjectID: "acct-2", Subject: "Shop phone", State: "logged_out"}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordEvent(ctx, models.Event{Kind: models.EventBackup, State: "done"}); err != nil {
			t.Fatal(err)
		}
		evs, err := s.WebhookEventsAfter(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ev := range evs {
			var p map[string]any
			if err := json.Unmarshal([]byte(ev.Payload), &p); err != nil {
				t.Fatalf("payload %s: %v", ev.Payload, err)
			}
			switch {
			case strings.HasPrefix(ev.Type, "campaign."):
				if p["campaign_id"] != id || p["name"] != "Loud" {
					t.Errorf("%s payload %v", ev.Type, p)
				}
			case ev.Type == "import.completed":
				if p["file"] != "contacts.csv" || p["status"] != "done" || p["detail"] != "3 new" {
					t.Errorf("import payload %v", p)
				}
			case ev.Type == "session.state":
				if p["state"] != "logged_out" || p["account_id"] != "acct-2" || p["account_name"] != "Shop phone" {
					t.Errorf("session payload %v", p)
				}
			}
			got = append(got, ev.Type)
		}
		want := "campaign.started campaign.paused campaign.resumed campaign.stopped import.completed session.state"
		if strings.Join(got, " ") != want {
			t.Fatalf("outbox = %v, want %s", got, want)
		}

		// Message events name the account that sent: its id and name, ""
		// for a recipient that records none.
		acct := &models.WhatsAppAccount{Name: "Shop phone"}
		if err := s.CreateWhatsAppAccount(ctx, acct, 0); err != nil {
			t.Fatal(err)
		}
		c := &models.Campaign{Name: "Through the shop", Template: "Hi {{name}}", GroupIDs: []string{g.ID}, AccountIDs: models.IDList{acct.ID}}
		if err := s.CreateCampaign(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PlanRecipients(ctx, c.ID, func(*models.Contact) (string, error) { return "Hi", nil }); err != nil {
			t.Fatal(err)
		}
		onShop, err := s.ClaimPendingOn(ctx, c.ID, acct.ID, 1, 2)
		if err != nil || len(onShop) != 2 {
			t.Fatalf("claim: %v, %v", onShop, err)
		}
		onNone, err := s.ClaimPendingOn(ctx, c.ID, "", 1, 1)
		if err != nil || len(onNone) != 1 {
			t.Fatalf("claim: %v, %v", onNone, err)
		}
		now := time.Now()
		if err := s.RecordOutcomes(ctx, c.ID, []models.Outcome{
			{Seq: onShop[0].Seq, State: models.RecipientSent, MessageID: "m-shop", At: now},
			{Seq: onShop[1].Seq, State: models.RecipientFailed, Error: "no luck", At: now},
			{Seq: onNone[0].Seq, State: models.RecipientSent, MessageID: "m-none", At: now},
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApplyAck(ctx, "m-shop", models.RecipientDelivered, now); err != nil {
			t.Fatal(err)
		}
		msgs, err := s.WebhookEventsAfter(ctx, evs[len(evs)-1].ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, ev := range msgs {
			var p map[string]any
			if err := json.Unmarshal([]byte(ev.Payload), &p); err != nil {
				t.Fatalf("payload %s: %v", ev.Payload, err)
			}
			if !strings.HasPrefix(ev.Type, "message.") {
				continue
			}
			wantID, wantName := acct.ID, "Shop phone"
			if p["message_id"] == "m-none" {
				wantID, wantName = "", ""
			}
			if p["account_id"] != wantID || p["account_name"] != wantName || p["campaign_id"] != c.ID {
				t.Errorf("%s payload %v: want account %q %q", ev.Type, p, wantID, wantName)
			}
			seen = append(seen, ev.Type)
		}
		if len(seen) != 4 {
			t.Fatalf("message events = %v, want sent, failed, sent and delivered", seen)
		}
	})
}
