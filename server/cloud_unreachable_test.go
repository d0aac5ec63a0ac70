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

	"github.com/sambad/sambad/auth"
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
	authSvc, err := auth.New(context.Background(), store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := authSvc.ApplyConfigPassword(context.Background(), "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	token, err := authSvc.SignIn(context.Background(), "127.0.0.1", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Deps{Config: &config.Config{Addr: "127.0.0.1:8080", AllowedHosts: []string{"example.com"}, Storage: config.StorageCloud, DefaultRegion: "IN"}, Store: store, Auth: authSvc})
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
	req.AddCookie(&http.Cookie{Name: "sambad_session", Value: token})
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "cloud database cannot be reached") {
		t.Fatalf("POST /contacts with the cloud gone = %d:\n%s", rec.Code, rec.Body.String())
	}
	// A signed-in user is told why, not sent to a sign-in that cannot work.
	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodGet, "/contacts", nil)
	req.AddCookie(&http.Cookie{Name: "sambad_session", Value: token})
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "cloud database cannot be reached") {
		t.Fatalf("GET /contacts signed in with the cloud gone = %d:\n%s", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"password": {"correct horse battery"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "cloud database cannot be reached") {
		t.Fatalf("POST /login with the cloud gone = %d:\n%s", rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodGet, "/api/v1/contacts", nil)
	req.AddCookie(&http.Cookie{Name: "sambad_session", Value: token})
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("GET /api/v1/contacts with the cloud gone = %d: %s", rec.Code, rec.Body.String())
	}
}
