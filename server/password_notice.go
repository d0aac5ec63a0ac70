package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// noPasswordCookie remembers that the person dismissed the notice saying
// this install has no password.
const noPasswordCookie = "sambad_no_password_notice"

// showNoPasswordNotice reports whether pages should say that anyone on this
// computer can open Sambad: it is open on loopback without a password, and
// the notice was not dismissed in this browser.
func (s *Server) showNoPasswordNotice(c *gin.Context) bool {
	if !s.openLocal() {
		return false
	}
	v, err := c.Cookie(noPasswordCookie)
	return err != nil || v != "dismissed"
}

// passwordNoticeDismiss hides the no-password notice in this browser for a
// year and goes back to the page it was on.
func (s *Server) passwordNoticeDismiss(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: noPasswordCookie, Value: "dismissed", Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.overHTTPS(c), SameSite: http.SameSiteLaxMode})
	back := c.GetHeader("Referer")
	if back == "" || !sameOrigin(c, back) {
		back = "/"
	}
	redirect(c, back)
}
