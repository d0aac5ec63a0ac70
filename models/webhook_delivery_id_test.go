package models_test

import (
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestWebhookDeliveryLoggedWithItsID: logging a delivery fills in the id
// of its row, on each database, so an answer carrying the delivery (POST
// /webhooks/{id}/test) names the entry that .../again sends again.
func TestWebhookDeliveryLoggedWithItsID(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w, err := s.CreateWebhook(ctx, "https://93.184.216.34/hook", "secret-secret-16", nil, true)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i := range 3 {
			d := &models.WebhookDelivery{EndpointID: w.ID, EventType: "webhook.test", Source: "test", OK: i != 1, Status: 200}
			if i == 1 {
				if _, err := s.FailWebhook(ctx, w.ID, d, time.Now().Add(time.Minute), 5); err != nil {
					t.Fatal(err)
				}
			} else if err := s.RecordWebhookDelivery(ctx, d); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
		}
		log, err := s.WebhookDeliveries(ctx, w.ID, 10)
		if err != nil || len(log) != 3 {
			t.Fatalf("log = %+v, %v", log, err)
		}
		for i, id := range ids {
			if id == 0 || log[2-i].ID != id {
				t.Fatalf("delivery %d logged as %d; the log has %d", i, id, log[2-i].ID)
			}
		}
	})
}
