package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

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
	})
}
