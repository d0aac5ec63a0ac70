package server

import (
	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// logoutSubmit ends this browser's session.
func (s *Server) logoutSubmit(c *gin.Context) {
	if c.GetBool(ctxSignedIn) {
		s.audit(c, "auth.sign_out", "")
	}
	if tok, err := c.Cookie(sessionCookie); err == nil {
		if err := s.ops.auth.SignOut(c.Request.Context(), tok); err != nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to end a session")
		}
	}
	s.setSession(c, "", -1)
	flash(c, "notice", "Signed out.")
	redirect(c, "/login")
}
