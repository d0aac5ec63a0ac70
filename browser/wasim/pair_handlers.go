package wasim

import (
	"errors"
	"net/http"
	"time"
)

type pairView struct {
	ID      string `json:"id"`
	Ref     string `json:"ref"`
	Series  int    `json:"series"`
	Index   int    `json:"index"`
	Expired bool   `json:"expired"`
	Token   string `json:"token,omitempty"`
	Code    string `json:"code,omitempty"`
	// Wid is the device's own id once linked, kept by the page as
	// localStorage "last-wid-md".
	Wid string `json:"wid,omitempty"`
}

func (s *Server) pairViewLocked(p *pairing, now time.Time) pairView {
	i, expired := p.index(now, s.opts)
	return pairView{ID: p.id, Ref: p.payload(i), Series: p.series, Index: i, Expired: expired, Token: p.token, Code: p.code, Wid: p.wid}
}

// handlePairNew starts the QR landing of one page instance.
func (s *Server) handlePairNew(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	p := newPairing(now, s.opts.QRRotations)
	s.pairings[p.id] = p
	s.dropStalePairingsLocked(now)
	writeJSON(w, http.StatusOK, s.pairViewLocked(p, now))
}

func (s *Server) dropStalePairingsLocked(now time.Time) {
	for id, p := range s.pairings {
		if now.Sub(p.lastPoll) > 10*time.Minute {
			delete(s.pairings, id)
		}
	}
}

// handlePairPoll tells the page which QR to show and whether it got linked.
func (s *Server) handlePairPoll(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pairings[r.PathValue("id")]
	if p == nil {
		writeError(w, http.StatusNotFound, errors.New("wasim: unknown pairing"))
		return
	}
	now := time.Now()
	p.lastPoll = now
	writeJSON(w, http.StatusOK, s.pairViewLocked(p, now))
}

// handlePairReload starts a new QR series after the old one expired.
func (s *Server) handlePairReload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pairings[r.PathValue("id")]
	if p == nil {
		writeError(w, http.StatusNotFound, errors.New("wasim: unknown pairing"))
		return
	}
	now := time.Now()
	p.lastPoll = now
	p.newSeries(now, s.opts.QRRotations)
	writeJSON(w, http.StatusOK, s.pairViewLocked(p, now))
}

// handlePairCode gives the page an 8-character code for "Link with phone
// number".
func (s *Server) handlePairCode(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Phone string `json:"phone"`
	}
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if !plausiblePhone.MatchString(req.Phone) {
		writeError(w, http.StatusBadRequest, errors.New("wasim: not a valid phone number"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pairings[r.PathValue("id")]
	if p == nil {
		writeError(w, http.StatusNotFound, errors.New("wasim: unknown pairing"))
		return
	}
	p.lastPoll = time.Now()
	p.code, p.codePhone = newLinkCode(), req.Phone
	writeJSON(w, http.StatusOK, map[string]string{"code": p.code})
}
