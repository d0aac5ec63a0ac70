package wasim

import (
	"errors"
	"net/http"
)

var errLoggedOut = errors.New("wasim: session logged out or unknown")

// handleSessionCheck validates the session token the page found in its
// profile.
func (s *Server) handleSessionCheck(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.validDevice(sessionToken(r)) == nil {
		writeError(w, http.StatusUnauthorized, errLoggedOut)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// handleSessionOpen makes the calling page the window that owns the session;
// an older window still open gets the conflict modal.
func (s *Server) handleSessionOpen(w http.ResponseWriter, r *http.Request) {
	s.claimTab(w, r)
}

// handleSessionTakeover is the "USE HERE" button.
func (s *Server) handleSessionTakeover(w http.ResponseWriter, r *http.Request) {
	s.claimTab(w, r)
}

func (s *Server) claimTab(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Tab string `json:"tab"`
	}
	if err := readJSON(r, &req); err != nil || req.Tab == "" {
		writeError(w, http.StatusBadRequest, errors.New("wasim: tab is required"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.validDevice(sessionToken(r))
	if d == nil {
		writeError(w, http.StatusUnauthorized, errLoggedOut)
		return
	}
	d.activeTab = req.Tab
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// handleSessionLogout is "Log out" in the page's menu: the device is
// unlinked on the server too.
func (s *Server) handleSessionLogout(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.validDevice(sessionToken(r)); d != nil {
		d.loggedOut = true
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}
