package browser

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/sambad/sambad/launcher"
	"github.com/sirupsen/logrus"
)

// Manager supervises the browser and serialises every WhatsApp command on
// its single page. It is safe for concurrent use.
type Manager struct {
	opts Options
	sels *selectorStore
	hub  hub

	// ops is a one-slot semaphore held by every page command.
	ops chan struct{}

	mu      sync.Mutex
	status  Status
	sess    *session
	cancel  context.CancelFunc
	done    chan struct{}
	res     *launcher.Resolution
	tracked map[string]trackedMsg
	// unknownSince is when the page stopped matching any known state.
	unknownSince time.Time
	// lastUsed is when a command or Start last asked for the page.
	lastUsed time.Time
}

type trackedMsg struct {
	phone string
	ack   Ack
	at    time.Time
}

// NewManager prepares a Manager; nothing starts until Start.
func NewManager(opts Options) *Manager {
	opts = opts.withDefaults()
	return &Manager{
		opts:    opts,
		sels:    newSelectorStore(opts.DataDir),
		ops:     make(chan struct{}, 1),
		status:  Status{State: StateStopped, Since: time.Now()},
		tracked: map[string]trackedMsg{},
	}
}

// Status returns a snapshot of the session.
func (m *Manager) Status() Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.status
}

// LastUsed is when a command (send, check, read, take over, ...) or Start
// last asked for the page: what an idle stop measures.
func (m *Manager) LastUsed() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastUsed
}

// Running reports whether the supervised worker is running (the browser is
// up or being restarted), as opposed to stopped or given up.
func (m *Manager) Running() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.done == nil {
		return false
	}
	select {
	case <-m.done:
		return false
	default:
		return true
	}
}

// Memory measures the running browser's process tree (PSS and its
// anonymous part); zero while no browser runs.
func (m *Manager) Memory() (launcher.Memory, error) {
	s := m.session()
	if s == nil {
		return launcher.Memory{}, nil
	}
	return s.chrome.Memory()
}

// Resolution is the browser the manager launched (zero before the first launch).
func (m *Manager) Resolution() launcher.Resolution {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.res == nil {
		return launcher.Resolution{}
	}
	return *m.res
}

// Subscribe returns a channel of events (state transitions, QR changes, acks)
// and a function to unsubscribe. A slow reader loses its oldest events; it
// never stalls the driver.
func (m *Manager) Subscribe() (<-chan Event, func()) {
	return m.hub.subscribe()
}

// updateStatus applies fn to the status and publishes an event when the
// snapshot changed.
func (m *Manager) updateStatus(fn func(*Status)) {
	m.mu.Lock()
	prev := m.status
	next := prev
	fn(&next)
	if next.State != prev.State {
		next.Since = time.Now()
	}
	if next.State != StateQR {
		next.QR, next.QRRotation, next.QRExpired, next.LinkCode = "", 0, false, ""
	}
	if next.State != StateLoading {
		next.Percent = 0
	}
	if next.State == StateQR || next.State == StateLoggedOut {
		next.Phone = ""
	}
	changed := !reflect.DeepEqual(prev, next)
	m.status = next
	m.mu.Unlock()
	if !changed {
		return
	}
	if next.State != prev.State {
		logrus.WithFields(logrus.Fields{"from": prev.State, "to": next.State, "error": next.Error}).Info("browser: session state")
	}
	m.hub.publish(Event{Kind: EventState, Time: time.Now(), Status: next})
}

// setState moves to state with an optional reason.
func (m *Manager) setState(state State, reason string) {
	m.updateStatus(func(s *Status) {
		s.State = state
		s.Error = reason
	})
}

// Start launches the supervised browser in the background and returns at
// once; follow the progress with Status or Subscribe. Starting a running
// manager does nothing; starting a failed one tries again.
func (m *Manager) Start(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastUsed = time.Now()
	if m.done != nil {
		select {
		case <-m.done: // the worker gave up (failed): start afresh
			m.cancel()
		default:
			return nil
		}
	}
	if m.opts.DataDir == "" {
		return fmt.Errorf("browser: no data directory configured")
	}
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	m.done = make(chan struct{})
	go m.run(wctx, m.done)
	return nil
}

// Stop closes the browser (flushing the profile) and waits for the worker,
// bounded by ctx.
func (m *Manager) Stop(ctx context.Context) error {
	m.mu.Lock()
	cancel, done := m.cancel, m.done
	m.mu.Unlock()
	if done == nil {
		return nil
	}
	cancel()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("browser: unable to stop in time: %w", ctx.Err())
	}
	m.mu.Lock()
	if m.done == done {
		m.done, m.cancel = nil, nil
	}
	m.mu.Unlock()
	return nil
}

// WaitFor blocks until the state is one of states, or ctx ends.
func (m *Manager) WaitFor(ctx context.Context, states ...State) (Status, error) {
	ch, unsub := m.Subscribe()
	defer unsub()
	match := func(s Status) bool {
		for _, st := range states {
			if s.State == st {
				return true
			}
		}
		return false
	}
	if s := m.Status(); match(s) {
		return s, nil
	}
	for {
		select {
		case e := <-ch:
			if e.Kind == EventState && match(e.Status) {
				return e.Status, nil
			}
		case <-ctx.Done():
			return m.Status(), fmt.Errorf("browser: waiting for %v: %w", states, ErrTimeout)
		}
	}
}

func (m *Manager) session() *session {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sess
}
