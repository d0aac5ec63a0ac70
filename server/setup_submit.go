package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/models"
)

// setupSubmit makes the first admin and signs this browser in.
func (s *Server) setupSubmit(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	name := c.PostForm("name")
	if _, has := c.GetPostForm("name"); !has {
		name = models.DefaultAdminName // a client of the password-only form
	}
	view := setupView{MinLen: auth.MinPasswordLen, Name: clip(name, models.MaxUserNameLen)}
	token, err := s.ops.auth.SetupAdmin(c.Request.Context(), name, c.PostForm("password"), c.PostForm("confirm"))
	var pe *auth.PasswordError
	var ve *models.ValidationError
	switch {
	case err == nil:
		s.setSession(c, token, int(auth.SessionTTL.Seconds()))
		if u, err := s.ops.auth.Session(c.Request.Context(), token); err == nil {
			s.auditAs(c, u.ID, u.Name, "auth.setup", "first admin made")
		}
		flash(c, "notice", "Password set. Sambad now asks for it on every new browser.")
		redirect(c, "/")
	case errors.As(err, &ve):
		flashNow(c, "User name: "+ve.Message+".")
		s.render(c, http.StatusUnprocessableEntity, pageSetup, "auth", view)
	case errors.Is(err, auth.ErrPasswordSet):
		redirect(c, "/login")
	case errors.As(err, &pe):
		flashNow(c, "The "+pe.Error()+".")
		s.render(c, http.StatusUnprocessableEntity, pageSetup, "auth", view)
	default:
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to set the password")
		flashNow(c, "The password could not be saved; the details are in error.log.")
		s.render(c, http.StatusInternalServerError, pageSetup, "auth", view)
	}
}
