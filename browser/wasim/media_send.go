package wasim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// MediaLimit is WhatsApp's limit for a photo, video or audio file; the page
// refuses larger ones with a notice, and so does the server.
const MediaLimit = 16 << 20

// keepFileBytes bounds the files the server keeps to serve them back to the
// page (history rows); larger ones are only hashed.
const keepFileBytes = 32 << 20

// handleMediaSend receives a file message the page sends: a multipart body
// with a "meta" part (JSON: tab, id, phone, kind, name, caption, mime) and
// then the "file" part, whose bytes are hashed as they arrive. Outcomes are
// those of handleMessageSend.
func (s *Server) handleMediaSend(w http.ResponseWriter, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("wasim: a multipart body is required: %w", err))
		return
	}
	var meta struct {
		Tab     string `json:"tab"`
		ID      string `json:"id"`
		Phone   string `json:"phone"`
		Kind    string `json:"kind"`
		Name    string `json:"name"`
		Caption string `json:"caption"`
		Mime    string `json:"mime"`
	}
	var f *fileInfo
	for f == nil {
		part, err := mr.NextPart()
		if err != nil {
			writeError(w, http.StatusBadRequest, errors.New("wasim: the meta and file parts are required"))
			return
		}
		switch part.FormName() {
		case "meta":
			if err := json.NewDecoder(io.LimitReader(part, 1<<20)).Decode(&meta); err != nil {
				writeError(w, http.StatusBadRequest, fmt.Errorf("wasim: meta is not valid JSON: %w", err))
				return
			}
		case "file":
			if meta.ID == "" {
				writeError(w, http.StatusBadRequest, errors.New("wasim: the meta part must come first"))
				return
			}
			h := sha256.New()
			var kept bytes.Buffer
			n, err := io.Copy(io.MultiWriter(h, &limitedBuffer{buf: &kept, max: keepFileBytes}), part)
			if err != nil {
				writeError(w, http.StatusBadRequest, fmt.Errorf("wasim: unable to read the file: %w", err))
				return
			}
			f = &fileInfo{Kind: meta.Kind, Name: meta.Name, Mime: meta.Mime, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
			if n <= keepFileBytes {
				f.data = kept.Bytes()
			}
		}
	}
	switch {
	case !messageIDPattern.MatchString(meta.ID):
		writeError(w, http.StatusBadRequest, errors.New("wasim: message id is required"))
		return
	case meta.Kind != "photo" && meta.Kind != "video" && meta.Kind != "document":
		writeError(w, http.StatusBadRequest, fmt.Errorf("wasim: unknown file kind %q", meta.Kind))
		return
	case meta.Kind != "document" && f.Size > MediaLimit:
		writeError(w, http.StatusRequestEntityTooLarge, errors.New("wasim: photos and videos are limited to 16 MB"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.validDevice(sessionToken(r))
	switch {
	case d == nil:
		writeError(w, http.StatusUnauthorized, errLoggedOut)
		return
	case d.activeTab != meta.Tab:
		writeError(w, http.StatusConflict, errors.New("wasim: session is open in another window"))
		return
	case !s.knownPhone(meta.Phone):
		writeError(w, http.StatusNotFound, errors.New("wasim: phone is not on WhatsApp"))
		return
	}
	if s.acks.Drop || s.hasMessageLocked(meta.Phone, meta.ID) {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	now := time.Now()
	m := &message{ID: meta.ID, Phone: meta.Phone, Text: meta.Caption, FromMe: true, Time: now, queued: true, file: f}
	s.chats[meta.Phone] = append(s.chats[meta.Phone], m)
	if !s.offline {
		s.accept(m, now)
	}
	w.WriteHeader(http.StatusAccepted)
}

// handleMediaGet serves a sent file's bytes back to the page (for the
// photo of a history row).
func (s *Server) handleMediaGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.validDevice(sessionToken(r)) == nil {
		s.mu.Unlock()
		writeError(w, http.StatusUnauthorized, errLoggedOut)
		return
	}
	id := r.PathValue("id")
	var f *fileInfo
	for _, msgs := range s.chats {
		for _, m := range msgs {
			if m.ID == id && m.file != nil && m.file.data != nil {
				f = m.file
			}
		}
	}
	s.mu.Unlock()
	if f == nil {
		http.NotFound(w, r)
		return
	}
	if f.Mime != "" {
		w.Header().Set("Content-Type", f.Mime)
	}
	_, _ = w.Write(f.data)
}

// limitedBuffer keeps up to max bytes and then stops keeping (writes still
// succeed, so hashing goes on).
type limitedBuffer struct {
	buf  *bytes.Buffer
	max  int
	full bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if !b.full && b.buf.Len()+len(p) <= b.max {
		b.buf.Write(p)
	} else if !b.full {
		b.full = true
		b.buf.Reset()
	}
	return len(p), nil
}

// summary is how the chat list shows the message.
func (m *message) summary() string {
	if m.file == nil || m.Text != "" {
		return m.Text
	}
	switch m.file.Kind {
	case "photo":
		return "Photo"
	case "video":
		return "Video"
	}
	return m.file.Name
}
