package server

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// A browser holds one event stream to Sambad, whatever the number of its
// live tabs: over HTTP/1.1 it may open only six connections to a host, and
// six monitor tabs each holding their own stream froze every other page.
// static/live-worker.js (a SharedWorker) opens GET /events with the sources
// its visible tabs watch, and hands each tab the events of its own sources;
// when the set changes it opens a new stream and closes the old one.

// liveEmit sends one event of a live source; false means the reader left.
// An empty event name sends a keep-alive comment.
type liveEmit func(event, data string) bool

// maxLiveSources bounds the sources of one stream: a browser has at most a
// few live pages open at a time.
const maxLiveSources = 32

var monitorSource = regexp.MustCompile(`^/campaigns/([0-9a-f-]{36})/events$`)

// liveSource returns the producer of a source address, or nil when Sambad
// has no such source.
func (s *Server) liveSource(c *gin.Context, src string) func(ctx context.Context, emit liveEmit) {
	if src == "/whatsapp/events" {
		return s.streamSession
	}
	if src == "/accounts/events" {
		return func(ctx context.Context, emit liveEmit) { s.streamAccounts(c, ctx, emit) }
	}
	if m := monitorSource.FindStringSubmatch(src); m != nil && s.campaigns != nil {
		return func(ctx context.Context, emit liveEmit) { s.streamMonitor(c, ctx, m[1], emit) }
	}
	return nil
}

// liveMessage is one event on the shared stream: the source it comes from,
// the event's own name and its data.
type liveMessage struct {
	Src   string `json:"src"`
	Event string `json:"event"`
	Data  string `json:"data"`
}

// liveEvents serves GET /events?src=...&src=...: the events of several
// sources on one stream, each as an event "live" whose data is a
// liveMessage. A source that ends (a deleted campaign) just falls silent.
func (s *Server) liveEvents(c *gin.Context) {
	srcs := c.QueryArray("src")
	if len(srcs) == 0 || len(srcs) > maxLiveSources {
		c.String(http.StatusBadRequest, "give between 1 and %d sources as src=...", maxLiveSources)
		return
	}
	producers := map[string]func(context.Context, liveEmit){}
	for _, src := range srcs {
		p := s.liveSource(c, src)
		if p == nil {
			c.String(http.StatusBadRequest, "no live source at %q", src)
			return
		}
		producers[src] = p
	}
	ctx, cancel := context.WithCancel(c.Request.Context())
	out := make(chan liveMessage, 16)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for src, produce := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			produce(ctx, func(event, data string) bool {
				if event == "" {
					return ctx.Err() == nil // the stream below keeps itself alive
				}
				select {
				case out <- liveMessage{Src: src, Event: event, Data: data}:
					return true
				case <-ctx.Done():
					return false
				}
			})
		}()
	}
	startSSE(c)
	emit := sseWriter(c)
	heartbeat := time.NewTicker(20 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-out:
			b, _ := json.Marshal(m)
			if !emit("live", string(b)) {
				return
			}
		case <-heartbeat.C:
			if !emit("", "") {
				return
			}
		}
	}
}

// sseWriter writes events to c's response as server-sent events, one data
// line per line of the data, flushed at once.
func sseWriter(c *gin.Context) liveEmit {
	return func(event, data string) bool {
		var b strings.Builder
		if event == "" {
			b.WriteString(": keep-alive\n\n")
		} else {
			b.WriteString("event: ")
			b.WriteString(event)
			b.WriteString("\n")
			for _, line := range strings.Split(data, "\n") {
				b.WriteString("data: ")
				b.WriteString(strings.TrimRight(line, "\r"))
				b.WriteString("\n")
			}
			b.WriteString("\n")
		}
		if _, err := c.Writer.WriteString(b.String()); err != nil {
			return false
		}
		c.Writer.Flush()
		return true
	}
}
