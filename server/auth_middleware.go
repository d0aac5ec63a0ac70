package server

import (
	"errors"

	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/syncer"
)

// sessionCookie holds the session token (only its hash is stored).
const sessionCookie = "sambad_session"

// deviceCookie marks a browser that signed in before (auth/device.go).
const deviceCookie = "sambad_device"

// deviceTTL is how long a browser stays known after its last sign-in.
const deviceTTL = 365 * 24 * time.Hour

// publicPaths are served without signing in.
func publicPath(p string) bool {
	switch p {
	case "/healthz", "/readyz", "/login", "/setup":
		return true
	}
	return strings.HasPrefix(p, "/static/")
}

// requireSignIn marks signed-in requests with their user, sends every other
// page request to the login page once a password is set, and refuses staff
// the admin pages (allowedRole). The API answers for itself
// (requireAPIToken) with JSON rather than a redirect.
func (s *Server) requireSignIn() gin.HandlerFunc {
	return func(c *gin.Context) {
		if tok, err := c.Cookie(sessionCookie); err == nil && tok != "" {
			u, err := s.ops.auth.Session(c.Request.Context(), tok)
			switch {
			case err == nil:
				c.Set(ctxSignedIn, true)
				c.Set(ctxUser, u)
			case syncer.IsUnreachable(err) && !publicPath(c.Request.URL.Path):
				// Cloud mode with the database gone: say so, rather than
				// sending a signed-in user to a sign-in that cannot work.
				s.storeError(c, err)
				c.Abort()
				return
			case !isNoSession(err):
				logrus.WithFields(logrus.Fields{"error": err}).Error("server: unable to check a session")
			}
		}
		path := c.Request.URL.Path
		if isAPI(c) {
			c.Next() // requireAPIToken decides
			return
		}
		if c.GetBool(ctxSignedIn) || publicPath(path) {
			if s.allowedRole(c) {
				c.Next()
			}
			return
		}
		if !s.ops.auth.PasswordSet() {
			if s.openLocal() {
				// Local install without a password: open, as on first run.
				c.Set(ctxUser, localAdmin)
				c.Next()
				return
			}
			// Start-up refuses this; never serve it open if it happens anyway.
			c.AbortWithStatus(http.StatusServiceUnavailable)
			return
		}
		s.toLogin(c)
	}
}

// openLocal reports whether pages and API are open without signing in: no
// password is set and Sambad listens on loopback only. An empty address is
// a Config built in code (tests), not one loaded from the environment,
// which always has one.
func (s *Server) openLocal() bool {
	return !s.ops.auth.PasswordSet() && (s.cfg.Addr == "" || s.cfg.IsLoopback())
}

// toLogin redirects to the login page, remembering a GET's address.
func (s *Server) toLogin(c *gin.Context) {
	to := "/login"
	if c.Request.Method == http.MethodGet && c.Request.URL.Path != "/" {
		to += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	}
	if c.GetHeader("HX-Request") != "" {
		// htmx follows this header instead of swapping the login page into a fragment.
		c.Header("HX-Redirect", to)
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	c.Redirect(http.StatusSeeOther, to)
	c.Abort()
}

// localPath returns next when it is a path on this site, else "/".
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// setSession writes the session cookie: HttpOnly, SameSite=Lax, and Secure
// when the browser reached Sambad over HTTPS.
func (s *Server) setSession(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.overHTTPS(c),
		SameSite: http.SameSiteLaxMode,
	})
}

// setDevice keeps the device cookie for a year, under the same rules as the
// session cookie.
func (s *Server) setDevice(c *gin.Context, value string) {
	if value == "" {
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: deviceCookie, Value: value, Path: "/", MaxAge: int(deviceTTL.Seconds()),
		HttpOnly: true, Secure: s.overHTTPS(c), SameSite: http.SameSiteLaxMode,
	})
}

// loopbackClient reports whether the client is on this machine: both the
// connection and the client address Gin believes are loopback.
func loopbackClient(c *gin.Context) bool {
	host, _, err := net.SplitHostPort(c.Request.RemoteAddr)
	if err != nil {
		return false
	}
	peer, client := net.ParseIP(host), net.ParseIP(c.ClientIP())
	return peer != nil && peer.IsLoopback() && client != nil && client.IsLoopback()
}

// overHTTPS reports whether the browser's connection is HTTPS: TLS here, or
// X-Forwarded-Proto: https from a trusted reverse proxy.
func (s *Server) overHTTPS(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	if !strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https") {
		return false
	}
	host, _, err := net.SplitHostPort(c.Request.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	for _, n := range s.ops.trusted {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

func isNoSession(err error) bool { return errors.Is(err, auth.ErrNoSession) }
