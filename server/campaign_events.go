package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// monitorMinInterval coalesces updates: at most four renders a second per
// watcher, whatever the send rate.
const monitorMinInterval = 250 * time.Millisecond

// campaignEvents streams the monitor fragment over server-sent events
// (event "monitor"), re-rendered when the campaign changes and every few
// seconds for the countdowns.
func (s *Server) campaignEvents(c *gin.Context) {
	id := c.Param("id")
	ctx := c.Request.Context()
	if _, err := s.monitorView(ctx, id); err != nil {
		s.pageStoreError(c, err)
		return
	}
	changed, stop := s.campaigns.Subscribe(id)
	defer stop()
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	for {
		if !s.writeMonitorEvent(c, id) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(monitorMinInterval):
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-tick.C:
		}
	}
}

func (s *Server) writeMonitorEvent(c *gin.Context, id string) bool {
	v, err := s.monitorView(c.Request.Context(), id)
	if err != nil {
		return false
	}
	html, err := s.renderFragment(fragmentCampaignMonitor, v)
	if err != nil {
		logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Error("server: unable to render the monitor")
		return false
	}
	var b strings.Builder
	b.WriteString("event: monitor\n")
	for _, line := range strings.Split(html, "\n") {
		b.WriteString("data: ")
		b.WriteString(strings.TrimRight(line, "\r"))
		b.WriteString("\n")
	}
	b.WriteString("\n")
	if _, err := c.Writer.WriteString(b.String()); err != nil {
		return false
	}
	c.Writer.Flush()
	return true
}
