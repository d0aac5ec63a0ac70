package wasim

import (
	"net/http"
	"time"
)

type messageView struct {
	ID     string `json:"id"`
	FromMe bool   `json:"fromMe"`
	Text   string `json:"text"`
	Time   int64  `json:"time"`
	Ack    int    `json:"ack"`
	// A file message: its kind (photo, video, document), name, size, type.
	Media    string `json:"media,omitempty"`
	FileName string `json:"fileName,omitempty"`
	Size     int64  `json:"size,omitempty"`
	Mime     string `json:"mime,omitempty"`
}

type pollView struct {
	State     string        `json:"state"` // ok, logged_out, conflict
	Offline   bool          `json:"offline"`
	OfflineMS int64         `json:"offlineMs"`
	Messages  []messageView `json:"messages"`
}

// historyLimit is how many recent messages an opened chat shows.
const historyLimit = 100

// handlePoll is the page's periodic sync: session state, phone state and the
// messages (with acks) of the open chat.
func (s *Server) handlePoll(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.validDevice(sessionToken(r))
	if d == nil {
		writeJSON(w, http.StatusOK, pollView{State: "logged_out"})
		return
	}
	now := time.Now()
	v := pollView{State: "ok", Offline: s.offline, Messages: []messageView{}}
	if d.activeTab != r.URL.Query().Get("tab") {
		v.State = "conflict"
	}
	if s.offline {
		v.OfflineMS = now.Sub(s.offSince).Milliseconds()
	}
	if chat := r.URL.Query().Get("chat"); chat != "" {
		v.Messages = s.chatViewLocked(chat, now)
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) chatViewLocked(phone string, now time.Time) []messageView {
	msgs := s.chats[phone]
	if len(msgs) > historyLimit {
		msgs = msgs[len(msgs)-historyLimit:]
	}
	out := make([]messageView, 0, len(msgs))
	for _, m := range msgs {
		v := messageView{ID: m.ID, FromMe: m.FromMe, Text: m.Text, Time: m.Time.UnixMilli(), Ack: m.ack(now)}
		if f := m.file; f != nil {
			v.Media, v.FileName, v.Size, v.Mime = f.Kind, f.Name, f.Size, f.Mime
		}
		out = append(out, v)
	}
	return out
}
