package server

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

const ctxSignedIn = "signed_in"

// recoverLogged turns a panic in a handler into a 500 and an error.log entry.
func recoverLogged() gin.HandlerFunc {
	return gin.CustomRecovery(func(c *gin.Context, rec any) {
		logrus.WithFields(logrus.Fields{"panic": rec, "path": c.Request.URL.Path}).Error("server: handler panicked")
		c.AbortWithStatus(http.StatusInternalServerError)
	})
}

// securityHeaders sets a CSP without inline script and the usual hardening headers.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		c.Next()
	}
}

// requireAPIToken lets an API request through with "Authorization: Bearer
// <SAMBAD_API_TOKEN>" or a signed-in session cookie (same-origin pages; the
// cross-origin protection covers it). With neither a token nor a password
// set — only possible on loopback — the API is open like the pages.
func (s *Server) requireAPIToken() gin.HandlerFunc {
	return func(c *gin.Context) {
		want := s.cfg.APIToken
		got, hasBearer := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		switch {
		case want != "" && hasBearer && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1,
			!hasBearer && c.GetBool(ctxSignedIn),
			want == "" && s.openLocal():
			raiseBodyLimit(c, signedInBody, 0)
			c.Next()
			return
		}
		msg := "sign in first, or set SAMBAD_API_TOKEN and send Authorization: Bearer <SAMBAD_API_TOKEN>"
		if want != "" {
			msg = "missing or wrong API token: send Authorization: Bearer <SAMBAD_API_TOKEN>"
		}
		c.Header("WWW-Authenticate", `Bearer realm="sambad"`)
		apiError(c, http.StatusUnauthorized, msg)
	}
}
