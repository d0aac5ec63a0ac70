package browser

import (
	"context"
	"fmt"
	"sync"

	"github.com/sambad/sambad/launcher"
)

// session is one running browser with its single WhatsApp page.
type session struct {
	chrome *launcher.Chrome
	pd     *pageDriver

	// ctx ends when the browser dies or the session is closed.
	ctx    context.Context
	cancel context.CancelFunc
	died   chan struct{}
	once   sync.Once
}

// openSession launches the browser and opens the page; it does not navigate.
func openSession(ctx context.Context, opts Options, res launcher.Resolution, sels *selectorStore) (*session, error) {
	c, err := launcher.LaunchResolved(ctx, opts.launcherOptions(), res)
	if err != nil {
		return nil, err
	}
	page, err := c.NewPage()
	if err != nil {
		c.Kill()
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	s := &session{chrome: c, pd: &pageDriver{page: page, sels: sels}, ctx: sctx, cancel: cancel, died: make(chan struct{})}
	events := c.Browser.Event()
	go func() {
		// The channel closes when the CDP connection drops: the browser died.
		for range events {
		}
		s.markDied()
	}()
	return s, nil
}

func (s *session) markDied() {
	s.once.Do(func() {
		close(s.died)
		s.cancel()
	})
}

func (s *session) dead() bool {
	select {
	case <-s.died:
		return true
	default:
		return false
	}
}

// close quits the browser gracefully so the profile is flushed.
func (s *session) close() {
	s.cancel()
	s.chrome.Close()
}

// kill ends the browser at once.
func (s *session) kill() {
	s.cancel()
	s.chrome.Kill()
}

func (s *session) String() string {
	return fmt.Sprintf("chrome pid %d", s.chrome.PID)
}
