package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// Server-sent event streams hold a connection and a goroutine each for as
// long as a page stays open, so they are capped: per session (a browser
// with many tabs) and in all.
const (
	maxStreamsPerSession = 8
	maxStreams           = 64
)

// streamCount counts the open streams, per owner and in all.
type streamCount struct {
	mu    sync.Mutex
	total int
	per   map[string]int
}

func (s *streamCount) acquire(owner string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.per == nil {
		s.per = map[string]int{}
	}
	if s.total >= maxStreams || s.per[owner] >= maxStreamsPerSession {
		return false
	}
	s.total++
	s.per[owner]++
	return true
}

func (s *streamCount) release(owner string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total--
	if s.per[owner]--; s.per[owner] <= 0 {
		delete(s.per, owner)
	}
}

// limitStreams answers 429 to a stream beyond the caps. A stream is a route
// ending in /events, or a request that accepts only text/event-stream. Its
// owner is the session (a hash of its cookie), or the client address
// without one.
func (s *Server) limitStreams() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !strings.HasSuffix(c.FullPath(), "/events") && c.GetHeader("Accept") != "text/event-stream" {
			c.Next()
			return
		}
		owner := "client " + c.ClientIP()
		if tok, err := c.Cookie(sessionCookie); err == nil && tok != "" {
			sum := sha256.Sum256([]byte(tok))
			owner = "session " + hex.EncodeToString(sum[:8])
		}
		if !s.streams.acquire(owner) {
			c.Header("Retry-After", "10")
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "too many live pages are open: close some tabs, then reload this one"})
			return
		}
		defer s.streams.release(owner)
		c.Next()
	}
}
