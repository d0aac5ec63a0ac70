package server

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// whatsappEvents streams the session status fragment as server-sent events
// (event "status", and "badge" for the top bar of every page). Pages reach it through the shared /events stream; this
// address stays for other clients.
func (s *Server) whatsappEvents(c *gin.Context) {
	if s.wa == nil {
		c.Status(204)
		return
	}
	startSSE(c)
	s.streamSession(c.Request.Context(), sseWriter(c))
}

// liveBadge is the top bar's badge for the first account's status st, with
// the other accounts' states.
func (s *Server) liveBadge(st SessionStatus) *waBadge {
	b := newBadge(st)
	b.Name = "WhatsApp"
	s.addAccountBadges(b)
	return b
}

// streamSession emits the session's state now and on every change until ctx
// ends or emit fails; with no driver it emits nothing.
func (s *Server) streamSession(ctx context.Context, emit liveEmit) {
	if s.wa == nil {
		<-ctx.Done()
		return
	}
	updates, cancel := s.wa.Subscribe()
	defer cancel()
	// Other accounts' changes update the top bar too.
	var others <-chan string
	if s.accounts != nil {
		ids, stop := s.accounts.Subscribe()
		defer stop()
		others = ids
	}
	send := func(st SessionStatus) bool {
		v := newSessionView(true, st)
		v.Live = true
		html, err := s.renderFragment(nil, fragmentSessionLive, v)
		if err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to render session status")
			return false
		}
		badge, err := s.renderFragment(nil, fragmentWhatsAppBadge, s.liveBadge(st))
		if err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to render the WhatsApp badge")
			return false
		}
		return emit("status", html) && emit("badge", badge)
	}
	if !send(s.wa.Status()) {
		return
	}
	heartbeat := time.NewTicker(20 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case st, ok := <-updates:
			if !ok || !send(st) {
				return
			}
		case <-others:
			badge, err := s.renderFragment(nil, fragmentWhatsAppBadge, s.liveBadge(s.wa.Status()))
			if err != nil || !emit("badge", badge) {
				return
			}
		case <-heartbeat.C:
			if !emit("", "") {
				return
			}
		}
	}
}
