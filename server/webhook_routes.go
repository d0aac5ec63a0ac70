package server

import (
	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/webhook"
)

// newWebhooks builds the dispatcher from the configuration; cli runs it.
func newWebhooks(cfg *config.Config, store *models.Store) *webhook.Dispatcher {
	return webhook.New(store, webhook.Options{AllowPrivate: cfg.WebhookAllowPrivate, MaxFailures: cfg.WebhookMaxFailures})
}

// Webhooks returns the webhook dispatcher, for the caller to run.
func (s *Server) Webhooks() *webhook.Dispatcher { return s.webhooks }

// webhookRoutes registers the Webhooks pages and API.
func (s *Server) webhookRoutes(r *gin.Engine, api *gin.RouterGroup) {
	r.GET("/webhooks", s.webhookList)
	r.POST("/webhooks", s.webhookCreate)
	r.GET("/webhooks/:id", s.webhookShow)
	r.POST("/webhooks/:id", s.webhookUpdate)
	r.POST("/webhooks/:id/delete", s.webhookDelete)
	r.POST("/webhooks/:id/test", s.webhookSendSample)
	r.POST("/webhooks/:id/deliveries/:delivery/again", s.webhookSendAgain)

	api.GET("/webhooks", s.apiWebhookList)
	api.POST("/webhooks", s.apiWebhookCreate)
	api.GET("/webhooks/:id", s.apiWebhookGet)
	api.PATCH("/webhooks/:id", s.apiWebhookUpdate)
	api.DELETE("/webhooks/:id", s.apiWebhookDelete)
	api.GET("/webhooks/:id/deliveries", s.apiWebhookDeliveries)
	api.POST("/webhooks/:id/test", s.apiWebhookSendSample)
	api.POST("/webhooks/:id/deliveries/:delivery/again", s.apiWebhookSendAgain)
}

// masked is w as shown after creation: the secret cut to a hint.
func masked(w *models.Webhook) *models.Webhook {
	c := *w
	c.Secret = webhook.MaskSecret(w.Secret)
	return &c
}

// Routes lists every registered route (the OpenAPI test compares them with
// the description).
func (s *Server) Routes() gin.RoutesInfo { return s.router.Routes() }
