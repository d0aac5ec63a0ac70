package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiSessionGet answers GET /api/v1/session.
func (s *Server) apiSessionGet(c *gin.Context) {
	if s.wa == nil {
		c.JSON(http.StatusOK, SessionStatus{State: "stopped", Error: s.waOffReason})
		return
	}
	c.JSON(http.StatusOK, s.wa.Status())
}

// apiSessionAction answers POST /api/v1/session/{start|stop|logout|takeover|reload-qr}
// with the status after the action.
func (s *Server) apiSessionAction(c *gin.Context) {
	if s.wa == nil {
		apiError(c, http.StatusServiceUnavailable, "the WhatsApp driver is not available: "+s.waOffReason)
		return
	}
	known, err := s.sessionAction(c.Request.Context(), c.Param("action"))
	if !known {
		apiError(c, http.StatusNotFound, "unknown session action; use start, stop, logout, takeover or reload-qr")
		return
	}
	if err != nil {
		apiError(c, http.StatusConflict, err.Error())
		return
	}
	s.audit(c, sessionAudit(c.Param("action")), c.Param("action"))
	c.JSON(http.StatusOK, s.wa.Status())
}
