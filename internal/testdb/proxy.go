package testdb

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Proxy is a TCP proxy tests put between installs and Postgres: it can
// cut the network (close every connection and refuse new ones), blackhole it
// (accept, then stall: what a paused or firewalled host looks like) and
// restore it.
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	cond  *sync.Cond
	mode  string // up, cut, blackhole
	conns map[net.Conn]bool
}

// NewProxy starts a proxy to target (host:port) that lives as long as the test.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, mode: "up", conns: map[net.Conn]bool{}}
	p.cond = sync.NewCond(&p.mu)
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.Cut() })
	return p
}

func (p *Proxy) Addr() string { return p.ln.Addr().String() }

func (p *Proxy) set(mode string) {
	p.mu.Lock()
	p.mode = mode
	if mode == "cut" {
		for c := range p.conns {
			c.Close()
		}
		p.conns = map[net.Conn]bool{}
	}
	p.cond.Broadcast()
	p.mu.Unlock()
}

// Cut closes every connection and refuses new ones until Restore.
func (p *Proxy) Cut() { p.set("cut") }

// Blackhole stalls every connection, old and new, until Restore.
func (p *Proxy) Blackhole() { p.set("blackhole") }

// Restore lets traffic through again.
func (p *Proxy) Restore() { p.set("up") }

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode == "cut" {
		c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

// gate waits while the network is blackholed; false when it was cut.
func (p *Proxy) gate() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.mode == "blackhole" {
		p.cond.Wait()
	}
	return p.mode == "up"
}

func (p *Proxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(client) {
			continue
		}
		go func() {
			if !p.gate() {
				client.Close()
				return
			}
			server, err := net.Dial("tcp", p.target)
			if err != nil || !p.track(server) {
				client.Close()
				return
			}
			go p.pipe(server, client)
			p.pipe(client, server)
		}()
	}
}

func (p *Proxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.gate() {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				return
			}
			return
		}
	}
}
