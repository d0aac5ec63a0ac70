package server

import (
	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// syncDismiss removes a rejected change from the list once a person has dealt with it.
func (s *Server) syncDismiss(c *gin.Context) {
	if s.sync == nil {
		redirect(c, "/sync")
		return
	}
	if err := s.sync.DismissRejected(c.Request.Context(), c.Param("op")); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to dismiss a rejected change")
		flash(c, "error", "The change could not be dismissed; the details are in error.log.")
		redirect(c, "/sync")
		return
	}
	flash(c, "notice", "Rejected change dismissed.")
	redirect(c, "/sync")
}
