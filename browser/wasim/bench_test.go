package wasim

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// linkedForBench links a device over the page API and returns its token.
func linkedForBench(b *testing.B, s *Server) string {
	b.Helper()
	p := newPairing(time.Now(), 1)
	s.mu.Lock()
	s.pairings[p.id] = p
	s.link(p, "", time.Now())
	d := s.devices[p.token]
	d.activeTab = "tab"
	s.mu.Unlock()
	return p.token
}

// BenchmarkMessageSend measures the server side of one send (page API to
// ledger), in process.
func BenchmarkMessageSend(b *testing.B) {
	s := New(Options{})
	token := linkedForBench(b, s)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		body := fmt.Sprintf(`{"tab":"tab","id":"3EB0%016X","phone":"919876543210","text":"hello 😀\nline two"}`, i)
		req := httptest.NewRequest(http.MethodPost, "/wa/send", bytes.NewBufferString(body))
		req.Header.Set("X-Wa-Session", token)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusAccepted {
			b.Fatalf("send: %d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkPollOpenChat measures one page poll of a chat with a full history.
func BenchmarkPollOpenChat(b *testing.B) {
	s := New(Options{})
	token := linkedForBench(b, s)
	for i := 0; i < historyLimit; i++ {
		s.AddIncoming("919876543210", "a message of ordinary length, with an emoji 👍")
	}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/wa/poll?tab=tab&chat=919876543210", nil)
		req.Header.Set("X-Wa-Session", token)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("poll: %d", w.Code)
		}
	}
}
