package server

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/phone"
)

// whatsappLinkCode asks WhatsApp for a pairing code for the given phone, the
// alternative to scanning the QR code.
func (s *Server) whatsappLinkCode(c *gin.Context) {
	if s.wa == nil {
		flash(c, "error", "The WhatsApp driver is not available: "+s.waOffReason)
		redirect(c, "/whatsapp")
		return
	}
	num, err := phone.Normalize(c.PostForm("phone"), s.cfg.DefaultRegion)
	if err != nil {
		flash(c, "error", "Phone: "+err.Error())
		redirect(c, "/whatsapp")
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 30*time.Second)
	defer cancel()
	code, err := s.wa.RequestLinkCode(ctx, num)
	if err != nil {
		flash(c, "error", "WhatsApp: "+err.Error())
	} else {
		s.audit(c, "whatsapp.link", "link code asked for")
		flash(c, "notice", "On your phone choose “Link with phone number instead” and enter "+code)
	}
	redirect(c, "/whatsapp")
}
