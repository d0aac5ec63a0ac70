package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// webhookCreate registers an endpoint from the Webhooks page and shows its
// page with the secret, the one time it is shown in full.
func (s *Server) webhookCreate(c *gin.Context) {
	url, secret := c.PostForm("url"), c.PostForm("secret")
	events := c.PostFormArray("events")
	w, err := s.createWebhook(c.Request.Context(), webhookBody{URL: &url, Secret: &secret, Events: events})
	if msg := userMessage(err); msg != "" {
		f := webhookForm{URL: url, Events: map[string]bool{}, Error: msg}
		for _, e := range events {
			f.Events[e] = true
		}
		s.renderWebhooks(c, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.audit(c, "webhook.create", w.URL)
	s.renderWebhook(c, w.ID, w.Secret)
}
