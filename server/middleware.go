package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/auth"
)

const ctxSignedIn = "signed_in"

// recoverLogged turns a panic in a handler into a 500 and an error.log entry.
func recoverLogged() gin.HandlerFunc {
	return gin.CustomRecovery(func(c *gin.Context, rec any) {
		logrus.WithFields(logrus.Fields{"panic": rec, "path": c.Request.URL.Path}).Error("server: handler panicked")
		c.AbortWithStatus(http.StatusInternalServerError)
	})
}

// securityHeaders sets a CSP without inline script and the usual hardening
// headers. Every answer but the static files is Cache-Control: no-store:
// pages and exports hold contacts and must not stay in a shared browser's
// cache or a proxy's after signing out. Permissions-Policy turns off the
// browser features Sambad never uses.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		if !strings.HasPrefix(c.Request.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), display-capture=(), browsing-topics=()")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		c.Next()
	}
}

// requireAPIToken lets an API request through with "Authorization: Bearer
// <token>" — a personal token (sbd_…, acting as its user) or
// SAMBAD_API_TOKEN (an admin) — or a signed-in session cookie (same-origin
// pages; the cross-origin protection covers it). With neither a token nor a
// password set — only possible on loopback — the API is open like the pages.
// Staff get 403 on admin routes (allowedRole).
//
// Wrong tokens are throttled per client (apiTokenFailures a minute): beyond
// that the client gets 429 and its token is not compared at all, so it
// cannot keep guessing. Each wrong token is logged with its client and a
// fingerprint, never the token.
func (s *Server) requireAPIToken() gin.HandlerFunc {
	return func(c *gin.Context) {
		want := s.cfg.APIToken
		got, hasBearer := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		client := auth.ClientKey(c.ClientIP())
		var limited *auth.RateLimitError
		if hasBearer && errors.As(s.ops.apiFails.Blocked(client), &limited) {
			c.Header("Retry-After", strconv.Itoa(limited.Seconds()))
			apiError(c, http.StatusTooManyRequests, "too many wrong API tokens from your address: try again in "+strconv.Itoa(limited.Seconds())+" s")
			return
		}
		ok := false
		switch {
		case hasBearer && auth.IsPersonalToken(got):
			u, _, err := s.ops.auth.TokenUser(c.Request.Context(), got)
			if err == nil {
				c.Set(ctxUser, u)
				ok = true
			} else if !errors.Is(err, auth.ErrNoToken) {
				s.storeError(c, err)
				return
			}
		case want != "" && hasBearer && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1:
			c.Set(ctxUser, apiTokenAdmin)
			ok = true
		case !hasBearer && c.GetBool(ctxSignedIn):
			ok = true
		}
		if !ok && want == "" && s.openLocal() {
			c.Set(ctxUser, localAdmin)
			ok = true
		}
		if ok {
			if s.allowedRole(c) {
				raiseBodyLimit(c, signedInBody, 0)
				c.Next()
			}
			return
		}
		msg := "sign in first, or send Authorization: Bearer <token> with a personal token (Account page) or SAMBAD_API_TOKEN"
		if hasBearer {
			msg = "wrong API token: send Authorization: Bearer <token> with a personal token (Account page) or SAMBAD_API_TOKEN"
		}
		if hasBearer {
			blocked := s.ops.apiFails.Fail(client)
			logrus.WithFields(logrus.Fields{"client": c.ClientIP(), "path": c.Request.URL.Path,
				"token": tokenFingerprint(got), "throttled": blocked}).Warn("server: wrong API token")
		}
		c.Header("WWW-Authenticate", `Bearer realm="sambad"`)
		apiError(c, http.StatusUnauthorized, msg)
	}
}

// tokenFingerprint identifies a token in the log without revealing it: its
// length and the start of its SHA-256 (compare with
// printf %s "$TOKEN" | sha256sum).
func tokenFingerprint(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return fmt.Sprintf("%d chars, sha256 %x…", len(tok), sum[:4])
}
