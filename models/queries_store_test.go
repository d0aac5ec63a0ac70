package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestStoreQueriesOnEveryDialect runs the named statements of settings,
// events, the dashboard and webhooks that other suites run on SQLite only,
// on SQLite, Postgres and pgbouncer: each dialect's text is exercised.
func TestStoreQueriesOnEveryDialect(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		check := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}

		check("save settings", s.SaveSettings(ctx, map[string]string{"a": "1", "b": "2"}))
		check("remove a setting", s.SaveSettings(ctx, map[string]string{"a": "", "b": "3"}))
		got, err := s.Settings(ctx)
		check("settings", err)
		if len(got) != 1 || got["b"] != "3" {
			t.Fatalf("settings = %v, want only b=3", got)
		}

		check("record an event", s.RecordEvent(ctx, models.Event{Kind: "campaign", Subject: "Diwali", State: "running"}))
		events, err := s.RecentEvents(ctx, 10)
		check("recent events", err)
		if len(events) != 1 || events[0].Subject != "Diwali" {
			t.Fatalf("events = %+v", events)
		}
		totals, err := s.CountTotals(ctx)
		check("totals", err)
		if totals.Contacts != 0 || totals.Campaigns != 0 {
			t.Fatalf("totals = %+v", totals)
		}
		_, err = s.Activity(ctx, time.Now().UTC().Truncate(24*time.Hour))
		check("activity", err)
		_, err = s.ParkRunningCampaigns(ctx)
		check("park running campaigns", err)

		w, err := s.CreateWebhook(ctx, "https://example.com/hook", "secret", []string{"campaign.started"}, true)
		check("create a webhook", err)
		if n, err := s.EnabledWebhooks(ctx); err != nil || n != 1 {
			t.Fatalf("enabled webhooks = %d, %v", n, err)
		}
		d := &models.WebhookDelivery{EndpointID: w.ID, EventID: 1, EventType: "campaign.started", Status: 500}
		off, err := s.FailWebhook(ctx, w.ID, d, time.Now().Add(time.Hour), 1)
		check("fail a webhook", err)
		if !off {
			t.Fatal("one failure of one allowed did not switch the endpoint off")
		}
		if due, err := s.DueWebhooks(ctx, time.Now()); err != nil || len(due) != 0 {
			t.Fatalf("due webhooks = %v, %v (the endpoint is off)", due, err)
		}
		on := true
		w, err = s.UpdateWebhook(ctx, w.ID, models.WebhookInput{Enabled: &on})
		check("switch a webhook on", err)
		if !w.Enabled || w.Failures != 0 || w.DisabledReason != "" {
			t.Fatalf("switched on: %+v", w)
		}
		check("advance a webhook", s.AdvanceWebhook(ctx, w.ID, 1, &models.WebhookDelivery{EndpointID: w.ID, EventID: 1, EventType: "campaign.started", OK: true, Status: 200}))
		log, err := s.WebhookDeliveries(ctx, w.ID, 10)
		check("webhook deliveries", err)
		if len(log) != 2 || !log[0].OK || log[1].OK {
			t.Fatalf("deliveries, newest first = %+v", log)
		}
		if _, err := s.WebhookDeliveryByID(ctx, w.ID, log[1].ID); err != nil {
			t.Fatalf("a delivery by id: %v", err)
		}
		check("prune webhooks", s.PruneWebhooks(ctx, time.Hour, 1))
		if log, err := s.WebhookDeliveries(ctx, w.ID, 10); err != nil || len(log) != 1 || !log[0].OK {
			t.Fatalf("after pruning to 1: %+v, %v", log, err)
		}
		if _, err := s.WebhookEventsAfter(ctx, 0, 10); err != nil {
			t.Fatalf("events after: %v", err)
		}
		check("delete a webhook", s.DeleteWebhook(ctx, w.ID))
		if _, err := s.Webhook(ctx, w.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deleted webhook: %v", err)
		}
	})
}
