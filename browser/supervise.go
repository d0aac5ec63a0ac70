package browser

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/sambad/sambad/launcher"
	"github.com/sirupsen/logrus"
)

var (
	errSessionDied  = errors.New("browser: the browser exited")
	errMemoryRecyle = errors.New("browser: memory limit reached, recycling the browser")
)

// run is the supervised worker: it keeps one browser alive until ctx ends,
// restarting it with backoff when it dies.
func (m *Manager) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	failures := 0
	for ctx.Err() == nil {
		started := time.Now()
		reachedReady, err := m.runSession(ctx)
		if ctx.Err() != nil {
			break
		}
		if reachedReady {
			failures = 0
		}
		var nf *launcher.NotFoundError
		if errors.As(err, &nf) {
			m.setState(StateFailed, err.Error())
			logrus.WithField("error", err).Error("browser: no browser to start")
			return
		}
		if errors.Is(err, errMemoryRecyle) && time.Since(started) > time.Minute {
			// A recycle after a useful run is routine; one right after the
			// start (a limit set too low) backs off like a failure.
			m.setState(StateRestarting, err.Error())
			continue
		}
		failures++
		if failures > m.opts.MaxRestarts {
			m.setState(StateFailed, err.Error())
			logrus.WithFields(logrus.Fields{"error": err, "attempts": failures}).Error("browser: giving up restarting the browser")
			return
		}
		delay := restartDelay(failures)
		logrus.WithFields(logrus.Fields{"error": err, "attempt": failures, "delay": delay}).Warn("browser: restarting the browser")
		m.setState(StateRestarting, err.Error())
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
	}
	m.setState(StateStopped, "")
}

// restartDelay backs off 0, 1, 2, 4 ... 30 s.
func restartDelay(failures int) time.Duration {
	if failures <= 1 {
		return 0
	}
	d := time.Second << (failures - 2)
	if d > 30*time.Second || d <= 0 {
		d = 30 * time.Second
	}
	return d
}

// resolve finds the browser once; restarts reuse the answer.
func (m *Manager) resolve() (launcher.Resolution, error) {
	m.mu.Lock()
	res := m.res
	m.mu.Unlock()
	if res != nil {
		return *res, nil
	}
	r, err := launcher.Resolve(m.opts.launcherOptions())
	if err != nil {
		return r, err
	}
	logrus.WithFields(logrus.Fields{"path": r.Path, "source": r.Source}).Info("browser: using browser")
	m.mu.Lock()
	m.res = &r
	m.mu.Unlock()
	return r, nil
}

// runSession runs one browser until it dies, is recycled or ctx ends. A
// panic inside is turned into an error: the process never goes down with it.
func (m *Manager) runSession(ctx context.Context) (reachedReady bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("browser: internal error: %v", p)
			logrus.WithFields(logrus.Fields{"panic": p, "stack": string(debug.Stack())}).Error("browser: session worker panicked")
		}
	}()
	m.setState(StateStarting, "")
	res, err := m.resolve()
	if err != nil {
		return false, err
	}
	s, err := openSession(ctx, m.opts, res, m.sels)
	if err != nil {
		return false, err
	}
	m.mu.Lock()
	m.sess = s
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.sess = nil
		m.mu.Unlock()
	}()

	nctx, cancel := context.WithTimeout(s.ctx, m.opts.LoadTimeout)
	_, err = s.pd.navigate(nctx, m.opts.BaseURL+"/")
	cancel()
	if err != nil {
		s.kill()
		if s.dead() {
			return false, errSessionDied
		}
		return false, err
	}
	m.setState(StateLoading, "")

	tick := time.NewTicker(m.opts.PollInterval)
	defer tick.Stop()
	lastWatch := time.Now()
	for {
		select {
		case <-ctx.Done():
			m.closeIdle(s)
			return reachedReady, nil
		case <-s.died:
			m.setState(StateCrashed, errSessionDied.Error())
			s.kill()
			return reachedReady, errSessionDied
		case <-tick.C:
			if !s.chrome.Alive() {
				s.markDied()
				continue
			}
			m.poll(s)
			if st := m.Status().State; st == StateReady {
				reachedReady = true
			}
			if m.opts.MemoryLimitMB > 0 && time.Since(lastWatch) >= m.opts.MemoryCheckInterval {
				lastWatch = time.Now()
				if m.overMemory(s) {
					m.closeIdle(s)
					return reachedReady, errMemoryRecyle
				}
			}
		}
	}
}

// closeIdle waits briefly for a command in flight, then closes the browser.
func (m *Manager) closeIdle(s *session) {
	select {
	case m.ops <- struct{}{}:
		defer func() { <-m.ops }()
	case <-time.After(5 * time.Second):
	}
	s.close()
}

// overMemory reports whether the browser's process tree passed the limit.
func (m *Manager) overMemory(s *session) bool {
	pss, n, err := s.chrome.PSS()
	if err != nil {
		return false
	}
	mb := pss >> 20
	if mb < int64(m.opts.MemoryLimitMB) {
		logrus.WithFields(logrus.Fields{"pss_mb": mb, "processes": n}).Debug("browser: memory")
		return false
	}
	logrus.WithFields(logrus.Fields{"pss_mb": mb, "limit_mb": m.opts.MemoryLimitMB, "processes": n}).Warn("browser: memory limit reached")
	return true
}

// poll reads the page state when no command holds the page.
func (m *Manager) poll(s *session) {
	select {
	case m.ops <- struct{}{}:
	default:
		return
	}
	defer func() { <-m.ops }()
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	r, err := s.pd.probe(ctx)
	if err != nil {
		if !s.dead() && ctx.Err() == nil {
			logrus.WithField("error", err).Debug("browser: unable to read the page state")
		}
		return
	}
	m.applyProbe(r)
	m.noteUnrecognised(r)
	st := m.Status().State
	if st == StateConflict && m.opts.AutoTakeOver {
		if ok, err := s.pd.click(ctx, "conflict_use_here", ""); ok && err == nil {
			logrus.Info("browser: took over the session from another window")
		}
	}
	if st == StateReady {
		m.pollAcks(ctx, s.pd)
	}
}

// applyProbe moves the state machine to what the page shows.
func (m *Manager) applyProbe(r probeResult) {
	prev := m.Status().State
	switch r.State {
	case "loading":
		m.updateStatus(func(s *Status) { s.State, s.Percent, s.Error = StateLoading, r.Percent, "" })
	case "qr":
		if prev == StateReady || prev == StatePhoneOffline || prev == StateConflict || (r.LoggedOut && prev != StateQR && prev != StateLoggedOut) {
			m.setState(StateLoggedOut, "logged out")
		}
		m.updateStatus(func(s *Status) {
			if s.State != StateQR {
				s.QR, s.QRRotation = "", 0
			}
			s.State, s.Error = StateQR, ""
			if r.QR != "" && r.QR != s.QR {
				if s.QR != "" {
					s.QRRotation++
				}
				s.QR = r.QR
			}
			s.QRExpired = r.QRExpired
			if r.QRExpired {
				s.QR = ""
			}
			s.LinkCode = r.LinkCode
		})
	case "ready":
		st := StateReady
		if r.Offline {
			st = StatePhoneOffline
		}
		m.updateStatus(func(s *Status) {
			s.State, s.Error = st, ""
			if r.Me != "" {
				s.Phone = "+" + r.Me
			}
		})
	case "conflict":
		m.setState(StateConflict, "WhatsApp is open in another window")
	}
}

// unrecognisedHint is the status error when no selector matches the page.
const unrecognisedHint = "the WhatsApp Web page is not recognised; if WhatsApp changed its page, update the selectors (selectors.json in the data directory)"

// noteUnrecognised flags a page that matched no known state for longer
// than LoadTimeout: the markup most likely changed.
func (m *Manager) noteUnrecognised(r probeResult) {
	m.mu.Lock()
	if r.State != "unknown" && r.State != "blank" {
		m.unknownSince = time.Time{}
		m.mu.Unlock()
		return
	}
	if m.unknownSince.IsZero() {
		m.unknownSince = time.Now()
	}
	long := time.Since(m.unknownSince) > m.opts.LoadTimeout
	m.mu.Unlock()
	if !long || m.Status().Error == unrecognisedHint {
		return
	}
	logrus.WithFields(logrus.Fields{"url": r.URL, "state": m.Status().State}).Error("browser: WhatsApp Web page not recognised")
	m.updateStatus(func(s *Status) { s.Error = unrecognisedHint })
}
