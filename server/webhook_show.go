package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// webhookView is what webhook.html shows.
type webhookView struct {
	Hook       *models.Webhook
	Secret     string // in full just after creation, else ""
	EventTypes []string
	Wanted     map[string]bool
	Deliveries []models.WebhookDelivery
}

// webhookShow shows one endpoint, its settings and its delivery log.
func (s *Server) webhookShow(c *gin.Context) { s.renderWebhook(c, c.Param("id"), "") }

func (s *Server) renderWebhook(c *gin.Context, id, secret string) {
	ctx := c.Request.Context()
	w, err := s.store.Webhook(ctx, id)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	log, err := s.store.WebhookDeliveries(ctx, w.ID, 100)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v := webhookView{Hook: masked(w), Secret: secret, EventTypes: models.WebhookEventTypes, Wanted: map[string]bool{}, Deliveries: log}
	for _, e := range w.Events {
		v.Wanted[e] = true
	}
	s.render(c, http.StatusOK, pageWebhook, "webhooks", v)
}
