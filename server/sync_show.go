package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/config"
)

// syncShow shows the storage mode and, in hybrid mode, the sync worker's state.
func (s *Server) syncShow(c *gin.Context) {
	page := syncPage{Mode: s.cfg.Storage, Hybrid: s.sync != nil}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	switch {
	case s.sync != nil:
		st, err := s.sync.Status(ctx)
		if err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to read the sync status")
			page.StatusErr = "The sync state could not be read; the details are in error.log."
		}
		page.Status = st
	case s.cfg.Storage == config.StorageCloud:
		page.CloudOK = s.store.Ping(ctx) == nil
	}
	s.render(c, http.StatusOK, pageSync, "sync", page)
}
