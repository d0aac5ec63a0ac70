package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/phone"
)

// accountAction handles an account card's session buttons (start, stop,
// log out, take over, new QR code).
func (s *Server) accountAction(c *gin.Context) {
	id := c.Param("id")
	wa, ok := s.accountSession(c, id)
	if !ok {
		return
	}
	known, err := runSessionAction(c.Request.Context(), wa, c.Param("action"))
	switch {
	case !known:
		s.renderError(c, http.StatusNotFound, "Unknown action", "There is no such WhatsApp action.")
		return
	case err != nil:
		flash(c, "error", "WhatsApp: "+err.Error())
	}
	redirect(c, "/accounts#acct-"+id)
}

// accountLinkCode asks WhatsApp for a pairing code for the account, the
// alternative to scanning its QR code.
func (s *Server) accountLinkCode(c *gin.Context) {
	id := c.Param("id")
	wa, ok := s.accountSession(c, id)
	if !ok {
		return
	}
	num, err := phone.Normalize(c.PostForm("phone"), s.cfg.DefaultRegion)
	if err != nil {
		flash(c, "error", "Phone: "+err.Error())
		redirect(c, "/accounts#acct-"+id)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 60*time.Second)
	defer cancel()
	code, err := wa.RequestLinkCode(ctx, num)
	if err != nil {
		flash(c, "error", "WhatsApp: "+err.Error())
	} else {
		flash(c, "notice", "On the phone of "+num+" choose “Link with phone number instead” and enter "+code)
	}
	redirect(c, "/accounts#acct-"+id)
}
