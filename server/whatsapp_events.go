package server

import (
	"io"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// whatsappEvents streams the session status fragment as server-sent events
// (event "status"), for the page's htmx SSE extension.
func (s *Server) whatsappEvents(c *gin.Context) {
	if s.wa == nil {
		c.Status(204)
		return
	}
	updates, cancel := s.wa.Subscribe()
	defer cancel()
	c.Header("Cache-Control", "no-store")
	c.Header("X-Accel-Buffering", "no")
	send := func(st SessionStatus) bool {
		html, err := s.renderFragment(fragmentSessionStatus, newSessionView(true, st))
		if err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to render session status")
			return false
		}
		// One SSE data line: the fragment's own newlines are not needed.
		c.SSEvent("status", strings.ReplaceAll(html, "\n", " "))
		c.Writer.Flush()
		return true
	}
	if !send(s.wa.Status()) {
		return
	}
	heartbeat := time.NewTicker(20 * time.Second)
	defer heartbeat.Stop()
	c.Stream(func(w io.Writer) bool {
		select {
		case <-c.Request.Context().Done():
			return false
		case st, ok := <-updates:
			return ok && send(st)
		case <-heartbeat.C:
			io.WriteString(w, ": keep-alive\n\n")
			return true
		}
	})
}
