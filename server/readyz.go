package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// readyz answers 200 when Sambad can do its work: the database answers and,
// when the browser is part of this install, it reports ready.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	status, body := http.StatusOK, gin.H{"status": "ok", "database": "ok", "browser": "not checked"}
	if err := s.store.Ping(ctx); err != nil {
		status, body["status"], body["database"] = http.StatusServiceUnavailable, "unavailable", "unreachable"
	}
	if s.ops.browserReady != nil {
		body["browser"] = "ok"
		if err := s.ops.browserReady(ctx); err != nil {
			// The reason is safe to show: it names states, not data.
			status, body["status"], body["browser"] = http.StatusServiceUnavailable, "unavailable", err.Error()
		}
	}
	c.JSON(status, body)
}
