package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// apiWebhookUpdate answers PATCH /api/v1/webhooks/{id}. Switching an
// endpoint on again clears its failures; it then catches up.
func (s *Server) apiWebhookUpdate(c *gin.Context) {
	var b webhookBody
	if !decodeJSON(c, &b) {
		return
	}
	ctx := c.Request.Context()
	if err := s.checkWebhookInput(ctx, &b); err != nil {
		apiStoreError(c, err)
		return
	}
	w, err := s.store.UpdateWebhook(ctx, c.Param("id"), models.WebhookInput{URL: b.URL, Events: b.Events, Secret: b.Secret, Enabled: b.Enabled})
	if err != nil {
		apiStoreError(c, err)
		return
	}
	s.webhooks.Notify()
	s.audit(c, "webhook.update", w.ID)
	c.JSON(http.StatusOK, masked(w))
}

// apiWebhookDelete answers DELETE /api/v1/webhooks/{id}.
func (s *Server) apiWebhookDelete(c *gin.Context) {
	if err := s.store.DeleteWebhook(c.Request.Context(), c.Param("id")); err != nil {
		apiStoreError(c, err)
		return
	}
	s.audit(c, "webhook.delete", c.Param("id"))
	c.Status(http.StatusNoContent)
}
