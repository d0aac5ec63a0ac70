package server

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/auth"
)

// opsDeps are the sign-in, readiness and support parts of the server.
type opsDeps struct {
	auth         *auth.Service
	apiFails     *auth.Failures // wrong API tokens per client
	trusted      []*net.IPNet
	browserReady func(ctx context.Context) error
	diagnose     func(ctx context.Context) ([]byte, error)
}

// apiTokenFailures is how many wrong API tokens a client may send a minute.
const apiTokenFailures = 10

// setupOps builds the sign-in service and trusts X-Forwarded-* headers only
// from SAMBAD_TRUSTED_PROXIES (Gin trusts every peer by default, which would
// let anyone choose the IP the login rate limit counts).
func (s *Server) setupOps(d Deps) error {
	s.ops = opsDeps{auth: d.Auth, browserReady: d.BrowserReady, diagnose: d.Diagnose,
		apiFails: auth.NewFailures(apiTokenFailures, time.Minute)}
	if s.ops.auth == nil {
		a, err := auth.New(context.Background(), d.Store, nil)
		if err != nil {
			return fmt.Errorf("server: %w", err)
		}
		s.ops.auth = a
	}
	if err := s.router.SetTrustedProxies(s.cfg.TrustedProxies); err != nil {
		return fmt.Errorf("server: SAMBAD_TRUSTED_PROXIES: %w", err)
	}
	for _, p := range s.cfg.TrustedProxies {
		if !strings.Contains(p, "/") {
			if ip := net.ParseIP(p); ip != nil && ip.To4() != nil {
				p += "/32"
			} else {
				p += "/128"
			}
		}
		if _, n, err := net.ParseCIDR(p); err == nil {
			s.ops.trusted = append(s.ops.trusted, n)
		}
	}
	return nil
}

// opsRoutes adds sign-in, readiness and support routes.
func (s *Server) opsRoutes(r *gin.Engine) {
	r.GET("/readyz", s.readyz)
	r.GET("/login", s.loginForm)
	r.POST("/login", s.loginSubmit)
	r.GET("/setup", s.setupForm)
	r.POST("/setup", s.setupSubmit)
	r.POST("/logout", s.logoutSubmit)
	r.GET("/support", s.supportShow)
	r.GET("/support/bundle.zip", s.supportBundle)
}
