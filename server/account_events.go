package server

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// streamAccounts emits each account's live card part now and whenever its
// session changes (event "acct-<id>"), until ctx ends or emit fails; c's
// user decides whether the linked numbers show.
func (s *Server) streamAccounts(c *gin.Context, ctx context.Context, emit liveEmit) {
	if s.accounts == nil {
		<-ctx.Done()
		return
	}
	ids, cancel := s.accounts.Subscribe()
	defer cancel()
	send := func(only string) bool {
		list, err := s.accounts.List(ctx)
		if err != nil {
			return ctx.Err() == nil
		}
		for i, a := range list {
			if only != "" && a.ID != only {
				continue
			}
			v := newAccountView(a, i == 0)
			v.Live = true
			html, err := s.renderFragment(c, fragmentAccountLive, v)
			if err != nil {
				logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to render an account's status")
				return false
			}
			if !emit("acct-"+a.ID, html) {
				return false
			}
		}
		return true
	}
	if !send("") {
		return
	}
	heartbeat := time.NewTicker(20 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case id, ok := <-ids:
			if !ok || !send(id) {
				return
			}
		case <-heartbeat.C:
			if !emit("", "") {
				return
			}
		}
	}
}
