package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/auth"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/server"
)

// liveServer runs the app through server.Serve (the production timeouts)
// on a loopback listener, with a password set so requests are anonymous.
func liveServer(t *testing.T, bodyTimeout time.Duration) string {
	t.Helper()
	store := testdb.SQLite(t)
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1, APIToken: strongToken}
	a, err := auth.New(context.Background(), store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.ApplyConfigPassword(context.Background(), "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Deps{Config: cfg, Store: store, Auth: a, BodyTimeout: bodyTimeout})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { server.Serve(ctx, ln, srv.Handler(), 2*time.Second); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// rawStatus sends head and then part of a body on a new connection, and
// returns the status line the server answers with before the rest is sent.
func rawStatus(t *testing.T, addr, head string, partial []byte) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, head)
	conn.Write(partial) // the server may close before reading it all
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("%.40q: no answer before the whole body was sent: %v", head, err)
	}
	return strings.TrimSpace(line)
}

// TestLargeAnonymousBodiesAreRefusedUnread: /login and /setup answer a
// 300 MB multipart body with 413 before it is sent (they read it whole).
func TestLargeAnonymousBodiesAreRefusedUnread(t *testing.T) {
	addr := liveServer(t, 0)
	for _, path := range []string{"/login", "/setup"} {
		head := "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 314572800\r\n\r\n"
		if got := rawStatus(t, addr, head, make([]byte, 64<<10)); got != "HTTP/1.1 413 Request Entity Too Large" {
			t.Fatalf("%s with a 300 MB body: %q", path, got)
		}
		// Without a Content-Length (chunked), the cap stops the read.
		head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
		chunk := fmt.Sprintf("%x\r\npassword=%s\r\n", 64<<10+9, strings.Repeat("a", 64<<10))
		if got := rawStatus(t, addr, head, []byte(chunk)); got != "HTTP/1.1 413 Request Entity Too Large" {
			t.Fatalf("%s with a 64 KB chunked body: %q", path, got)
		}
	}
	// A signed-in API request may send more than an anonymous one.
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/groups", strings.NewReader(`{"name":"`+strings.Repeat("g", 20<<10)+`"}`))
	req.Header.Set("Authorization", "Bearer "+strongToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a 20 KB API body: %d, want the group name refused (422), not the body", resp.StatusCode)
	}
}

// TestSlowBodiesDoNotHoldConnections: 100 connections that send a body a
// few bytes at a time are closed once the body timeout passes, and the
// server keeps answering others meanwhile.
func TestSlowBodiesDoNotHoldConnections(t *testing.T) {
	const conns = 100
	addr := liveServer(t, time.Second)
	var wg sync.WaitGroup
	held := make(chan time.Duration, conns)
	for i := 0; i < conns; i++ {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\npassword=")
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			conn.SetReadDeadline(start.Add(15 * time.Second))
			// Trickle a byte a second; the server must give up first.
			go func() {
				for j := 0; j < 15; j++ {
					time.Sleep(time.Second)
					if _, err := conn.Write([]byte("a")); err != nil {
						return
					}
				}
			}()
			io.Copy(io.Discard, conn) // until the server closes it
			held <- time.Since(start)
		}()
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz while slow bodies arrive: %v %v", resp, err)
	}
	resp.Body.Close()
	wg.Wait()
	close(held)
	for d := range held {
		if d > 10*time.Second {
			t.Fatalf("a slow-body connection was held %v (body timeout 1 s)", d)
		}
	}
}
