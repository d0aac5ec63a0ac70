package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// webhooksView is what webhooks.html shows: the endpoints and the form to
// add one (with what was typed when it came back with an error).
type webhooksView struct {
	Hooks        []*models.Webhook
	EventTypes   []string
	AllowPrivate bool
	Form         webhookForm
}

type webhookForm struct {
	URL    string
	Events map[string]bool
	Error  string
}

// webhookList shows the Webhooks page.
func (s *Server) webhookList(c *gin.Context) {
	s.renderWebhooks(c, http.StatusOK, webhookForm{})
}

func (s *Server) renderWebhooks(c *gin.Context, status int, f webhookForm) {
	hooks, err := s.store.Webhooks(c.Request.Context())
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	for i, w := range hooks {
		hooks[i] = masked(w)
	}
	s.render(c, status, pageWebhooks, "webhooks", webhooksView{Hooks: hooks, EventTypes: models.WebhookEventTypes,
		AllowPrivate: s.webhooks.AllowPrivate(), Form: f})
}
