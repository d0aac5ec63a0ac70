package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// apiWebhookList answers GET /api/v1/webhooks: every endpoint, secrets masked.
func (s *Server) apiWebhookList(c *gin.Context) {
	hooks, err := s.store.Webhooks(c.Request.Context())
	if err != nil {
		apiStoreError(c, err)
		return
	}
	out := make([]*models.Webhook, 0, len(hooks))
	for _, w := range hooks {
		out = append(out, masked(w))
	}
	c.JSON(http.StatusOK, gin.H{"webhooks": out})
}

// apiWebhookGet answers GET /api/v1/webhooks/{id}.
func (s *Server) apiWebhookGet(c *gin.Context) {
	w, err := s.store.Webhook(c.Request.Context(), c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, masked(w))
}
