package server

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// webhookSendSample posts a test event from the endpoint's page.
func (s *Server) webhookSendSample(c *gin.Context) {
	d, err := s.webhooks.SendTest(c.Request.Context(), c.Param("id"))
	s.afterManualSend(c, d, err)
}

// webhookSendAgain posts a logged event once more.
func (s *Server) webhookSendAgain(c *gin.Context) {
	id, _ := strconv.ParseInt(c.Param("delivery"), 10, 64)
	d, err := s.webhooks.SendAgain(c.Request.Context(), c.Param("id"), id)
	s.afterManualSend(c, d, err)
}

func (s *Server) afterManualSend(c *gin.Context, d *models.WebhookDelivery, err error) {
	if err != nil && d == nil {
		s.pageStoreError(c, err)
		return
	}
	switch {
	case d.OK:
		flash(c, "notice", "Sent: the receiver answered HTTP "+strconv.Itoa(d.Status)+".")
	case d.Error != "":
		flash(c, "error", "Not delivered: "+d.Error)
	default:
		flash(c, "error", "Not delivered: the receiver answered HTTP "+strconv.Itoa(d.Status)+".")
	}
	redirect(c, "/webhooks/"+c.Param("id"))
}
