package wasim

import (
	"net/http"
	"sort"
)

// handleContactCheck answers whether a click-to-chat number is on WhatsApp.
func (s *Server) handleContactCheck(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.validDevice(sessionToken(r)) == nil {
		writeError(w, http.StatusUnauthorized, errLoggedOut)
		return
	}
	phone := r.PathValue("phone")
	writeJSON(w, http.StatusOK, map[string]any{"exists": s.knownPhone(phone), "name": displayPhone(phone)})
}

type chatSummary struct {
	Phone string `json:"phone"`
	Name  string `json:"name"`
	Last  string `json:"last"`
	Time  int64  `json:"time"`
}

// handleChatList feeds the chat list in #pane-side, newest first.
func (s *Server) handleChatList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.validDevice(sessionToken(r)) == nil {
		writeError(w, http.StatusUnauthorized, errLoggedOut)
		return
	}
	out := []chatSummary{}
	for phone, msgs := range s.chats {
		if len(msgs) == 0 {
			continue
		}
		last := msgs[len(msgs)-1]
		out = append(out, chatSummary{Phone: phone, Name: displayPhone(phone), Last: last.summary(), Time: last.Time.UnixMilli()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Time > out[j].Time })
	writeJSON(w, http.StatusOK, out)
}
