// Package server serves Sambad's pages and JSON API with Gin.
package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/launcher"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/numbercheck"
	"github.com/sambad/sambad/pdfprint"
	"github.com/sambad/sambad/webhook"
)

// Deps are what the server needs; optional parts may be nil.
type Deps struct {
	Config *config.Config
	Store  *models.Store
	// WhatsApp is the driver; nil when it could not be set up, with
	// WhatsAppOffReason saying why.
	WhatsApp          WhatsApp
	WhatsAppOffReason string
	// Accounts are the WhatsApp accounts (WhatsApp above is the first);
	// nil with WhatsApp when the driver is off.
	Accounts Accounts
	// Auth signs the user in; nil builds one on Store.
	Auth *auth.Service
	// BrowserReady reports the WhatsApp browser's state for /readyz (nil: not
	// part of readiness, e.g. SAMBAD_NO_BROWSER).
	BrowserReady func(ctx context.Context) error
	// Diagnose returns `sambad doctor --json` output for the support bundle
	// (nil: left out of the bundle).
	Diagnose  func(ctx context.Context) ([]byte, error)
	Sync      SyncService      // hybrid mode only
	Campaigns *campaign.Engine // nil: the campaign pages answer 503
	// NumberChecks runs number check jobs; nil: checking answers 503.
	NumberChecks *numbercheck.Runner
	// PDF prints the PDF reports; nil builds a pdfprint.Printer on the
	// configured Chromium (its own throwaway profile, not WhatsApp's).
	PDF PDFPrinter
	// Media is the media library, shared with the campaign engine; nil
	// makes one with NewMediaLibrary.
	Media *media.Library
	// BodyTimeout is how long a request body (other than an upload) may
	// take to arrive; 0 is 15 s.
	BodyTimeout time.Duration
}

// Server holds the HTTP routes and their dependencies.
type Server struct {
	cfg    *config.Config
	store  *models.Store
	pages  *pages
	router *gin.Engine
	// uploads holds import files between their preview and their commit.
	uploads *uploads

	wa          WhatsApp
	waOffReason string
	accounts    Accounts
	ops         opsDeps
	sync        SyncService

	campaigns *campaign.Engine
	numbers   *numbercheck.Runner
	media     *media.Library
	webhooks  *webhook.Dispatcher
	pdf       PDFPrinter
	// activityCache keeps the home chart's finished days.
	activityCache activityCache
	homeCache     homeCache

	bodyTimeout time.Duration
	streams     streamCount // open server-sent event streams
}

// New parses the templates (a missing or broken one fails here, at start-up)
// and builds the routes.
func New(d Deps) (*Server, error) {
	if d.Config == nil || d.Store == nil {
		return nil, errors.New("server: config and store are required")
	}
	p, err := loadPages(declaredPages)
	if err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{cfg: d.Config, store: d.Store, pages: p, router: gin.New(), uploads: newUploads(d.Config.DataDir),
		wa: d.WhatsApp, waOffReason: d.WhatsAppOffReason, accounts: d.Accounts, sync: d.Sync, campaigns: d.Campaigns, numbers: d.NumberChecks}
	s.media = d.Media
	if s.media == nil {
		s.media = NewMediaLibrary(d.Config, d.Store)
	}
	s.bodyTimeout = d.BodyTimeout
	if s.bodyTimeout <= 0 {
		s.bodyTimeout = defaultBodyTimeout
	}
	s.webhooks = newWebhooks(d.Config, d.Store)
	s.pdf = d.PDF
	if s.pdf == nil {
		s.pdf = pdfprint.New(launcher.Options{DataDir: d.Config.DataDir, ChromePath: d.Config.ChromePath})
	}
	if err := s.setupOps(d); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Handler returns the whole HTTP handler: the Host check (hostGuard) on
// every request, then cross-origin protection for every state-changing one.
func (s *Server) Handler() http.Handler {
	return guardHosts(s.cfg, http.NewCrossOriginProtection().Handler(s.router))
}

// ListenAndServe serves until ctx is done, then shuts down gracefully within grace.
func (s *Server) ListenAndServe(ctx context.Context, ln net.Listener, grace time.Duration) error {
	return Serve(ctx, ln, s.Handler(), grace)
}

// Serve serves h on ln until ctx is done, then shuts down gracefully within
// grace. Cloud mode serves a handler that changes once the database opens.
//
// Headers must arrive within 5 s and an idle keep-alive connection closes
// after 60 s. There is no ReadTimeout or WriteTimeout: both would cut the
// server-sent event streams; request bodies get their own read deadline
// (capBodies) instead.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: shutdown was not clean")
		return err
	}
	return nil
}
