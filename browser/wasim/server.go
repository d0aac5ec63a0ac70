package wasim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// Server is a running WhatsApp Web simulator. Its zero value is not usable;
// call New.
type Server struct {
	opts Options
	mux  *http.ServeMux

	mu       sync.Mutex
	acks     AckPolicy
	pairings map[string]*pairing
	lastPair *pairing
	devices  map[string]*device
	accounts map[string]*account // by own phone number
	unknown  map[string]bool
	ledger   []LedgerEntry
	rng      *rand.Rand // page-load seeds of the compose timings

	httpSrv *http.Server
	ln      net.Listener
}

// New returns a simulator configured by opts (zero fields take defaults).
func New(opts Options) *Server {
	s := &Server{opts: opts.withDefaults()}
	s.rng = rand.New(rand.NewPCG(s.opts.Timing.Seed, 0x5a3bad))
	s.resetLocked()
	if !s.opts.Timing.Off {
		logrus.WithField("seed", s.opts.Timing.Seed).Info("wasim: compose timings on (replay with " + SeedEnv + ")")
	}
	s.mux = http.NewServeMux()
	s.routes()
	return s
}

func (s *Server) resetLocked() {
	s.acks = s.opts.Acks
	s.pairings = map[string]*pairing{}
	s.lastPair = nil
	s.devices = map[string]*device{}
	s.unknown = map[string]bool{}
	s.accounts = map[string]*account{}
	s.accountLocked(DefaultAccount)
	s.ledger = nil
}

// ServeHTTP serves the WhatsApp Web page, its private API and the control API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

// Start listens on addr ("127.0.0.1:0" for a free port; use a fixed port
// when a browser profile must survive a restart, since site data is keyed by
// origin) and serves in the background. It returns the base URL, e.g.
// "http://127.0.0.1:41234".
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("wasim: unable to listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	srv := s.httpSrv
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logrus.WithFields(logrus.Fields{"addr": ln.Addr().String(), "error": err}).Error("wasim: simulator stopped serving")
		}
	}()
	return "http://" + ln.Addr().String(), nil
}

// URL returns the base URL of a started server, or "" before Start.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Close stops a started server; calling it again does nothing. The state
// (sessions, ledger) is kept, so Start may serve it again.
func (s *Server) Close() error {
	if s.httpSrv == nil {
		return nil
	}
	srv := s.httpSrv
	s.httpSrv = nil
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("wasim: unable to stop the server: %w", err)
	}
	return nil
}
