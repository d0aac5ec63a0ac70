package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// apiWebhookDeliveries answers GET /api/v1/webhooks/{id}/deliveries: the
// newest deliveries first (?limit=, at most 500).
func (s *Server) apiWebhookDeliveries(c *gin.Context) {
	ctx := c.Request.Context()
	w, err := s.store.Webhook(ctx, c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	log, err := s.store.WebhookDeliveries(ctx, w.ID, min(intQuery(c, "limit", 100), 500))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"deliveries": log})
}

// apiWebhookSendSample answers POST /api/v1/webhooks/{id}/test: a
// webhook.test event is posted now and the delivery returned.
func (s *Server) apiWebhookSendSample(c *gin.Context) {
	d, err := s.webhooks.SendTest(c.Request.Context(), c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// apiWebhookSendAgain answers POST /api/v1/webhooks/{id}/deliveries/{delivery}/again.
func (s *Server) apiWebhookSendAgain(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("delivery"), 10, 64)
	if err != nil {
		apiError(c, http.StatusNotFound, "not found")
		return
	}
	d, err := s.webhooks.SendAgain(c.Request.Context(), c.Param("id"), id)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
