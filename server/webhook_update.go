package server

import (
	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// webhookUpdate saves an endpoint's form: URL, events, on/off, and a new
// secret when one is typed.
func (s *Server) webhookUpdate(c *gin.Context) {
	id := c.Param("id")
	url, secret := c.PostForm("url"), c.PostForm("secret")
	on := c.PostForm("enabled") == "on"
	b := webhookBody{URL: &url, Events: c.PostFormArray("events"), Enabled: &on}
	if secret != "" {
		b.Secret = &secret
	}
	ctx := c.Request.Context()
	err := s.checkWebhookInput(ctx, &b)
	if err == nil {
		_, err = s.store.UpdateWebhook(ctx, id, models.WebhookInput{URL: b.URL, Events: b.Events, Secret: b.Secret, Enabled: b.Enabled})
	}
	if msg := userMessage(err); msg != "" {
		flash(c, "error", "Not saved: "+msg)
		redirect(c, "/webhooks/"+id)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.webhooks.Notify()
	s.audit(c, "webhook.update", id)
	flash(c, "notice", "Webhook saved.")
	redirect(c, "/webhooks/"+id)
}

// webhookDelete removes an endpoint and its log.
func (s *Server) webhookDelete(c *gin.Context) {
	if err := s.store.DeleteWebhook(c.Request.Context(), c.Param("id")); err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.audit(c, "webhook.delete", c.Param("id"))
	flash(c, "notice", "Webhook deleted.")
	redirect(c, "/webhooks")
}
