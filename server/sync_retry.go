package server

import (
	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// syncRetry sends a rejected row again, as it is now on this install.
func (s *Server) syncRetry(c *gin.Context) {
	if s.sync == nil {
		redirect(c, "/sync")
		return
	}
	if err := s.sync.RetryRejected(c.Request.Context(), c.Param("op")); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to retry a rejected change")
		flash(c, "error", "The change could not be sent again; the details are in error.log.")
		redirect(c, "/sync")
		return
	}
	flash(c, "notice", "The row will be sent again as it is now.")
	redirect(c, "/sync")
}
