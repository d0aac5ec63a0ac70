package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// whatsappPage is what whatsapp.html shows.
type whatsappPage struct {
	Session sessionView
	Region  string
}

// whatsappShow shows the session page: live status, QR, actions, test message.
func (s *Server) whatsappShow(c *gin.Context) {
	var st SessionStatus
	if s.wa != nil {
		st = s.wa.Status()
	} else {
		st = SessionStatus{State: "stopped", Error: s.waOffReason}
	}
	s.render(c, http.StatusOK, pageWhatsApp, "whatsapp", whatsappPage{Session: newSessionView(s.wa != nil, st), Region: s.cfg.DefaultRegion})
}
