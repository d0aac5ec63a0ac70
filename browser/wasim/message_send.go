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
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.validDevice(sessionToken(r))
	switch {
	case d == nil:
		writeError(w, http.StatusUnauthorized, errLoggedOut)
		return
	case d.activeTab != req.Tab:
		writeError(w, http.StatusConflict, errors.New("wasim: session is open in another window"))
		return
	case !s.knownPhone(req.Phone):
		writeError(w, http.StatusNotFound, errors.New("wasim: phone is not on WhatsApp"))
		return
	}
	a := d.account
	if s.acks.Drop || a.hasMessage(req.Phone, req.ID) {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	now := time.Now()
	m := &message{ID: req.ID, Phone: req.Phone, Text: req.Text, FromMe: true, Time: now, queued: true}
	a.chats[req.Phone] = append(a.chats[req.Phone], m)
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
