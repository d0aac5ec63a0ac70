package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// monitorMinInterval coalesces updates: at most four renders a second per
// watcher, whatever the send rate.
const monitorMinInterval = 250 * time.Millisecond

// campaignEvents streams the monitor fragment over server-sent events
// (event "monitor"), re-rendered when the campaign changes and every few
// seconds for the countdowns. Pages reach it through the shared /events
// stream; this address stays for other clients.
func (s *Server) campaignEvents(c *gin.Context) {
	id := c.Param("id")
	if _, err := s.monitorView(c.Request.Context(), id); err != nil {
		s.pageStoreError(c, err)
		return
	}
	startSSE(c)
	s.streamMonitor(c, c.Request.Context(), id, sseWriter(c))
}

// streamMonitor emits the monitor of campaign id, as the user of c may see
// it, until ctx ends or emit fails.
func (s *Server) streamMonitor(c *gin.Context, ctx context.Context, id string, emit liveEmit) {
	changed, stop := s.campaigns.Subscribe(id)
	defer stop()
	// An account that drops or comes back changes the "By account" pills.
	accountChanged, stopAccounts := s.accountChanges()
	defer stopAccounts()
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	for {
		v, err := s.monitorView(ctx, id)
		if err != nil {
			return
		}
		html, err := s.renderFragment(c, fragmentCampaignMonitor, v)
		if err != nil {
			logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Error("server: unable to render the monitor")
			return
		}
		if !emit("monitor", html) {
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
		case <-accountChanged:
		case <-tick.C:
		}
	}
}

// startSSE sets the headers of an event stream and sends them.
func startSSE(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	c.Writer.Flush()
}
