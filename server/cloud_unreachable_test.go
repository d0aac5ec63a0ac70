package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// TestCloudUnreachableIsAnError: in cloud mode, a database that went away
// makes the page say so (503), not a silent success or a bare 500.
func TestCloudUnreachableIsAnError(t *testing.T) {
	dbURL := testdb.PostgresURL(t)
	target, _ := url.Parse(dbURL)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target.Host)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, s)
			mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	via := *target
	via.Host = ln.Addr().String()
	store, err := models.Open(context.Background(), models.OpenOptions{DatabaseURL: via.String()})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srv, err := server.New(server.Deps{Config: &config.Config{Addr: "127.0.0.1:8080", Storage: config.StorageCloud, DefaultRegion: "IN"}, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	// The network goes: the listener and every connection.
	ln.Close()
	mu.Lock()
	for _, c := range conns {
		c.Close()
	}
	mu.Unlock()

	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/contacts", strings.NewReader(url.Values{"phone": {"9876500001"}, "name": {"Asha"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "cloud database cannot be reached") {
		t.Fatalf("POST /contacts with the cloud gone = %d:\n%s", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/contacts", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("GET /api/v1/contacts with the cloud gone = %d: %s", rec.Code, rec.Body.String())
	}
}
