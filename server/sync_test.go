package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
	"github.com/sambad/sambad/syncer"
)

func get(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d", path, rec.Code)
	}
	return rec.Body.String()
}

// TestSyncPage: the sync page shows the mode, the connection, waiting and
// rejected changes, and "Sync now" pushes them.
func TestSyncPage(t *testing.T) {
	ctx := context.Background()
	t.Run("local", func(t *testing.T) {
		srv, err := server.New(server.Deps{Config: &config.Config{Addr: "127.0.0.1:8080", AllowedHosts: []string{"example.com"}, Storage: config.StorageLocal}, Store: testdb.SQLite(t)})
		if err != nil {
			t.Fatal(err)
		}
		body := get(t, srv.Handler(), "/sync")
		if !strings.Contains(body, "Local storage") || strings.Contains(body, "Sync now") {
			t.Fatalf("local mode page:\n%s", body)
		}
	})
	t.Run("hybrid", func(t *testing.T) {
		local := testdb.SQLite(t)
		cloudURL := testdb.PostgresURL(t)
		w := &syncer.Worker{Local: testdb.DB(local), CloudURL: cloudURL, Interval: 50 * time.Millisecond, MinBackoff: 20 * time.Millisecond}
		srv, err := server.New(server.Deps{Config: &config.Config{Addr: "127.0.0.1:8080", AllowedHosts: []string{"example.com"}, Storage: config.StorageHybrid}, Store: local, Sync: w})
		if err != nil {
			t.Fatal(err)
		}
		h := srv.Handler()
		if _, err := syncer.Enable(ctx, testdb.DB(local)); err != nil {
			t.Fatal(err)
		}
		var c models.Contact
		(models.ContactInput{Phone: "9876500001", Name: "Asha"}).Apply(&c, "IN")
		if err := local.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
		body := get(t, h, "/sync")
		for _, want := range []string{"hybrid", "Changes waiting</div><div class=\"n\">1<", "connecting", "No rejected changes", "Sync now"} {
			if !strings.Contains(body, want) {
				t.Fatalf("page lacks %q:\n%s", want, body)
			}
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); w.Run(runCtx) }()
		defer func() { cancel(); <-done }()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/sync/now", strings.NewReader(url.Values{}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("POST /sync/now = %d", rec.Code)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			body = get(t, h, "/sync")
			if strings.Contains(body, "connected") && strings.Contains(body, "Changes waiting</div><div class=\"n\">0<") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("never synced:\n%s", body)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if strings.Contains(body, "Last push</div><div class=\"n small-n\">never") {
			t.Fatalf("last push not shown:\n%s", body)
		}
	})
}
