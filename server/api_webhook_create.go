package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/webhook"
)

// webhookBody is the JSON of POST and PATCH /api/v1/webhooks; PATCH leaves
// absent fields as they are.
type webhookBody struct {
	URL     *string  `json:"url"`
	Events  []string `json:"events"`
	Secret  *string  `json:"secret"`
	Enabled *bool    `json:"enabled"`
}

// checkWebhookInput checks the URL and the secret's length; the store
// checks the event names.
func (s *Server) checkWebhookInput(ctx context.Context, b *webhookBody) error {
	if b.URL != nil {
		u := strings.TrimSpace(*b.URL)
		b.URL = &u
		if err := webhook.CheckURL(ctx, u, s.webhooks.AllowPrivate()); err != nil {
			return err
		}
	}
	if b.Secret != nil && *b.Secret != "" && len(*b.Secret) < 16 {
		return &models.ValidationError{Field: "secret", Message: "use at least 16 characters, or leave it empty to have one made"}
	}
	return nil
}

// createWebhook registers an endpoint from b; shared by the API and the page.
func (s *Server) createWebhook(ctx context.Context, b webhookBody) (*models.Webhook, error) {
	if b.URL == nil || strings.TrimSpace(*b.URL) == "" {
		return nil, &models.ValidationError{Field: "url", Message: "give the URL that should receive the events"}
	}
	if err := s.checkWebhookInput(ctx, &b); err != nil {
		return nil, err
	}
	secret := webhook.NewSecret()
	if b.Secret != nil && *b.Secret != "" {
		secret = *b.Secret
	}
	w, err := s.store.CreateWebhook(ctx, *b.URL, secret, b.Events, b.Enabled == nil || *b.Enabled)
	if err == nil {
		s.webhooks.Notify()
	}
	return w, err
}

// apiWebhookCreate answers POST /api/v1/webhooks {"url", "events",
// "secret", "enabled"}. The answer is the only one that shows the secret.
func (s *Server) apiWebhookCreate(c *gin.Context) {
	var b webhookBody
	if !decodeJSON(c, &b) {
		return
	}
	w, err := s.createWebhook(c.Request.Context(), b)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	s.audit(c, "webhook.create", w.URL)
	c.JSON(http.StatusCreated, w)
}
