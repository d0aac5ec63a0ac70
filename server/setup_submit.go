package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/auth"
)

// setupSubmit sets the first password and signs this browser in.
func (s *Server) setupSubmit(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	token, err := s.ops.auth.Setup(c.Request.Context(), c.PostForm("password"), c.PostForm("confirm"))
	var pe *auth.PasswordError
	switch {
	case err == nil:
		s.setSession(c, token, int(auth.SessionTTL.Seconds()))
		flash(c, "notice", "Password set. Sambad now asks for it on every new browser.")
		redirect(c, "/")
	case errors.Is(err, auth.ErrPasswordSet):
		redirect(c, "/login")
	case errors.As(err, &pe):
		flashNow(c, "The "+pe.Error()+".")
		s.render(c, http.StatusUnprocessableEntity, pageSetup, "auth", setupView{MinLen: auth.MinPasswordLen})
	default:
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to set the password")
		flashNow(c, "The password could not be saved; the details are in error.log.")
		s.render(c, http.StatusInternalServerError, pageSetup, "auth", setupView{MinLen: auth.MinPasswordLen})
	}
}
