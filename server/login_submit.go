package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// loginSubmit checks the user name (empty: the first admin) and password, rate-limited per client address and, for
// browsers that never signed in, per account (auth.DefaultLimits).
func (s *Server) loginSubmit(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	next := localPath(c.PostForm("next"))
	name := strings.TrimSpace(c.PostForm("name"))
	device, _ := c.Cookie(deviceCookie)
	attempt := auth.Attempt{User: name, Client: c.ClientIP(), Device: device, Local: loopbackClient(c)}
	grant, err := s.ops.auth.SignInFrom(c.Request.Context(), attempt, c.PostForm("password"))
	var limited *auth.RateLimitError
	view := loginView{Next: next, Name: clip(name, models.MaxUserNameLen)}
	switch {
	case err == nil:
		s.setSession(c, grant.Session, int(auth.SessionTTL.Seconds()))
		s.setDevice(c, grant.Device)
		s.auditAs(c, grant.User.ID, grant.User.Name, "auth.sign_in", "")
		redirect(c, next)
	case errors.Is(err, auth.ErrNoPassword):
		redirect(c, "/setup")
	case errors.As(err, &limited):
		c.Header("Retry-After", strconv.Itoa(limited.Seconds()))
		flashNow(c, "Too many sign-in attempts. Try again in "+strconv.Itoa(limited.Seconds())+" s.")
		s.render(c, http.StatusTooManyRequests, pageLogin, "auth", view)
	case errors.Is(err, auth.ErrWrongPassword):
		logrus.WithFields(logrus.Fields{"client": c.ClientIP()}).Warn("server: wrong password at sign-in")
		s.auditFailedSignIn(c, name)
		if name == "" {
			flashNow(c, "Wrong password.") // the first admin's: no name to be wrong
		} else {
			flashNow(c, "Wrong user name or password.")
		}
		s.render(c, http.StatusUnauthorized, pageLogin, "auth", view)
	case syncer.IsUnreachable(err):
		_, msg := classify(c, err)
		flashNow(c, msg)
		s.render(c, http.StatusServiceUnavailable, pageLogin, "auth", view)
	default:
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: sign-in failed")
		flashNow(c, "Sign-in failed; the details are in error.log.")
		s.render(c, http.StatusInternalServerError, pageLogin, "auth", view)
	}
}
