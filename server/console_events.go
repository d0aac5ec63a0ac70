package server

import (
	"io"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/support"
)

// consolePoll is how often the live tail looks for new lines.
const consolePoll = 500 * time.Millisecond

// consoleEvents streams lines appended to error.log, masked and filtered, as
// server-sent events (event "line", one rendered entry each).
func (s *Server) consoleEvents(c *gin.Context) {
	f := readConsoleFilter(c)
	follow := support.FollowLog(s.cfg.LogPath())
	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-store")
	c.Header("X-Accel-Buffering", "no")
	c.Writer.WriteHeader(200)
	io.WriteString(c.Writer, ": following error.log\n\n")
	c.Writer.Flush()
	poll := time.NewTicker(consolePoll)
	defer poll.Stop()
	idle := 0
	c.Stream(func(w io.Writer) bool {
		select {
		case <-c.Request.Context().Done():
			return false
		case <-poll.C:
		}
		lines, err := follow.Next(consoleTailBytes)
		if err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to follow error.log")
			return false
		}
		sent := false
		for _, l := range lines {
			e := support.ParseLogLine(l)
			if !f.match(e) {
				continue
			}
			html, err := s.renderFragment(c, fragmentConsoleEntry, e)
			if err != nil {
				logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to render a log entry")
				return false
			}
			c.SSEvent("line", strings.ReplaceAll(html, "\n", " "))
			sent = true
		}
		if idle++; sent || idle >= 40 {
			if !sent {
				io.WriteString(w, ": keep-alive\n\n")
			}
			idle = 0
			c.Writer.Flush()
		}
		return true
	})
}
