package wasim

import (
	"errors"
	"net/http"
	"regexp"
	"time"
)

var messageIDPattern = regexp.MustCompile(`^[0-9A-F]{16,32}$`)

// handleMessageSend receives a message the page sends. Depending on the
// phone-side settings the server accepts it (ledger + acks later), holds it
// while the phone is offline, or silently drops it (the clock stays).
func (s *Server) handleMessageSend(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Tab   string `json:"tab"`
		ID    string `json:"id"`
		Phone string `json:"phone"`
		Text  string `json:"text"`
	}
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if !messageIDPattern.MatchString(req.ID) || req.Text == "" {
		writeError(w, http.StatusBadRequest, errors.New("wasim: message id and text are required"))
		return
	}
	s.takeMessage(w, r, req.Tab, &message{ID: req.ID, Phone: req.Phone, Text: req.Text})
}

// takeMessage records m, sent by the request's page, in the chat of the
// account that page is linked to, and answers the request: 401 when the
// device is logged out, 409 from a tab that is not the active one, 404
// for a number not on WhatsApp, else 202. A message the server already has,
// or one the ack settings drop, is not recorded again. Depending on the
// phone, the account accepts it now (ledger, acks later) or holds it.
func (s *Server) takeMessage(w http.ResponseWriter, r *http.Request, tab string, m *message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.validDevice(sessionToken(r))
	switch {
	case d == nil:
		writeError(w, http.StatusUnauthorized, errLoggedOut)
		return
	case d.activeTab != tab:
		writeError(w, http.StatusConflict, errors.New("wasim: session is open in another window"))
		return
	case !s.knownPhone(m.Phone):
		writeError(w, http.StatusNotFound, errors.New("wasim: phone is not on WhatsApp"))
		return
	}
	a := d.account
	if s.acks.Drop || a.hasMessage(m.Phone, m.ID) {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	now := time.Now()
	m.FromMe, m.Time, m.queued = true, now, true
	a.chats[m.Phone] = append(a.chats[m.Phone], m)
	if !a.offline {
		s.accept(a, m, now)
	}
	w.WriteHeader(http.StatusAccepted)
}

func (a *account) hasMessage(phone, id string) bool {
	for _, m := range a.chats[phone] {
		if m.ID == id {
			return true
		}
	}
	return false
}
