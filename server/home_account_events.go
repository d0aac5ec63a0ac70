package server

import (
	"io"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// homeAccountEvents streams the home page's account card as server-sent
// events (event "status"), from the same session updates the WhatsApp page
// watches.
func (s *Server) homeAccountEvents(c *gin.Context) {
	if s.wa == nil {
		c.Status(204)
		return
	}
	updates, cancel := s.wa.Subscribe()
	defer cancel()
	c.Header("Cache-Control", "no-store")
	c.Header("X-Accel-Buffering", "no")
	send := func(st SessionStatus) bool {
		v := newSessionView(true, st)
		v.QRImage = ""
		html, err := s.renderFragment(c, fragmentHomeAccount, v)
		if err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to render the account status")
			return false
		}
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
