package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// sessionAction runs one of the first account's session buttons.
func (s *Server) sessionAction(ctx context.Context, action string) (bool, error) {
	return runSessionAction(ctx, s.wa, action)
}

// runSessionAction runs one of a session's buttons (start, stop, logout,
// takeover, reload-qr) with a bounded wait; false for an unknown action.
func runSessionAction(ctx context.Context, wa WhatsApp, action string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	switch action {
	case "start":
		return true, wa.Start(ctx)
	case "stop":
		return true, wa.Stop(ctx)
	case "logout":
		return true, wa.Logout(ctx)
	case "takeover":
		return true, wa.TakeOver(ctx)
	case "reload-qr":
		return true, wa.ReloadQR(ctx)
	}
	return false, nil
}

// whatsappAction handles the page's session buttons.
func (s *Server) whatsappAction(c *gin.Context) {
	if s.wa == nil {
		flash(c, "error", "The WhatsApp driver is not available: "+s.waOffReason)
		redirect(c, "/whatsapp")
		return
	}
	known, err := s.sessionAction(c.Request.Context(), c.Param("action"))
	switch {
	case !known:
		s.renderError(c, http.StatusNotFound, "Unknown action", "There is no such WhatsApp action.")
		return
	case err != nil:
		flash(c, "error", "WhatsApp: "+err.Error())
	default:
		s.audit(c, sessionAudit(c.Param("action")), c.Param("action"))
	}
	redirect(c, "/whatsapp")
}
