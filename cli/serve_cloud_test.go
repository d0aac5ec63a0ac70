package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
)

// switchProxy stands between Sambad and Postgres on a fixed address. While
// down nothing listens there (connection refused) and every connection it
// carried is closed: the network is gone. up listens again.
type switchProxy struct {
	addr, target string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

// newSwitchProxy returns a proxy to target that starts down.
func newSwitchProxy(t *testing.T, target string) *switchProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &switchProxy{addr: l.Addr().String(), target: target, conns: map[net.Conn]bool{}}
	l.Close()
	t.Cleanup(p.down)
	return p
}

func (p *switchProxy) up(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", p.target)
			if err != nil || !p.track(client, server) {
				client.Close()
				continue
			}
			go func() { io.Copy(server, client); server.Close() }()
			go func() { io.Copy(client, server); client.Close() }()
		}
	}()
}

func (p *switchProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		for _, c := range cs {
			c.Close()
		}
		return false
	}
	for _, c := range cs {
		p.conns[c] = true
	}
	return true
}

func (p *switchProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// get fetches a page without following redirects.
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(u)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// until polls cond every 100 ms for up to limit; false when it never held.
func until(limit time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// startCloudServe runs serve in cloud mode against databaseURL in-process.
func startCloudServe(t *testing.T, databaseURL string) (cfg *config.Config, base string, stop func() error) {
	t.Helper()
	t.Setenv("SAMBAD_PASSWORD", "")
	t.Setenv("SAMBAD_API_TOKEN", "")
	t.Setenv("SAMBAD_NO_BROWSER", "true")
	t.Setenv("SAMBAD_STORAGE", "cloud")
	t.Setenv("DATABASE_URL", databaseURL)
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": t.TempDir(), "SAMBAD_ADDR": addr}, os.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, cfg, nil, io.Discard, io.Discard) }()
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop within 30s")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return cfg, "http://" + addr, stop
}

// TestCloudStartsWhileDatabaseUnreachable: cloud mode with Postgres out of
// reach serves a 503 page that says why (without the password), opens the
// app by itself once Postgres answers, and writes land in Postgres.
func TestCloudStartsWhileDatabaseUnreachable(t *testing.T) {
	dbURL := testdb.PostgresURL(t)
	target, _ := url.Parse(dbURL)
	p := newSwitchProxy(t, target.Host)
	const secret = "pw-Never-Shown-7351"
	cloud := *target
	cloud.Host = p.addr
	cloud.User = url.UserPassword("postgres", secret) // the server trusts; the password must still never show
	cloud.RawQuery = "sslmode=disable"
	cfg, base, stop := startCloudServe(t, cloud.String())

	var code int
	var body string
	// Until the first attempt has failed the page says "Connecting…"; then it says why.
	if !until(20*time.Second, func() bool {
		code, body = get(t, base+"/")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "cannot be reached")
	}) {
		t.Fatalf("GET / with the cloud unreachable = %d, want 503 saying it cannot be reached:\n%s", code, body)
	}
	for _, want := range []string{"cloud database cannot be reached", p.addr, "connection refused", "keeps trying", `http-equiv="refresh"`, "/static/app.css"} {
		if !strings.Contains(body, want) {
			t.Errorf("the 503 page does not say %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, secret) {
		t.Fatalf("the 503 page shows the database password:\n%s", body)
	}
	var ready struct {
		Status, Database, Reason string
		Attempts                 int
	}
	if !until(20*time.Second, func() bool {
		code, body = get(t, base+"/readyz")
		json.Unmarshal([]byte(body), &ready)
		return ready.Attempts >= 3
	}) {
		t.Fatalf("/readyz never showed 3 tries: %d %s", code, body)
	}
	if code != http.StatusServiceUnavailable || ready.Database != "unreachable" || !strings.Contains(ready.Reason, "connection refused") {
		t.Fatalf("/readyz with the cloud unreachable = %d %s", code, body)
	}
	if code, body = get(t, base+"/api/v1/contacts"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"host":"`+p.addr+`"`) {
		t.Fatalf("GET /api/v1/contacts with the cloud unreachable = %d %s", code, body)
	}
	logText, _ := os.ReadFile(cfg.LogPath())
	if n := strings.Count(string(logText), "cloud database: unreachable"); n != 1 {
		t.Fatalf("error.log has %d 'unreachable' lines after %d tries, want 1:\n%s", n, ready.Attempts, logText)
	}

	p.up(t)
	if !until(60*time.Second, func() bool { code, body = get(t, base+"/contacts"); return code == http.StatusOK }) {
		t.Fatalf("the contacts page never opened after Postgres came back: %d\n%s", code, body)
	}
	resp, err := http.Post(base+"/api/v1/contacts", "application/json", strings.NewReader(`{"phone":"9876500001","name":"Asha Cloud"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/contacts once connected = %d", resp.StatusCode)
	}
	direct, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	var n int
	if err := direct.QueryRow("SELECT COUNT(*) FROM contacts WHERE name = 'Asha Cloud'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("the contact is not in Postgres: count %d, %v", n, err)
	}

	// Postgres goes away after start: a page says so, it is not a blank 500.
	p.down()
	code, body = get(t, base+"/contacts")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "cloud database cannot be reached") || !strings.Contains(body, "/static/app.css") {
		t.Fatalf("GET /contacts after Postgres went away = %d:\n%s", code, body)
	}

	// Back again, so that shutdown can pause campaigns and close cleanly.
	p.up(t)
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v", err)
	}
	logText, _ = os.ReadFile(cfg.LogPath())
	for _, want := range []string{"cloud database: connected", `shutdown: stopped {"part":"database"}`} {
		if !strings.Contains(string(logText), want) {
			t.Errorf("error.log lacks %q:\n%s", want, logText)
		}
	}
	if bytes.Contains(logText, []byte(secret)) {
		t.Fatalf("error.log holds the database password:\n%s", logText)
	}
}

// TestCloudStopsWhileDatabaseUnreachable: a stop while Sambad is still
// trying ends the loop and exits cleanly, with no store to close.
func TestCloudStopsWhileDatabaseUnreachable(t *testing.T) {
	p := newSwitchProxy(t, "127.0.0.1:5432")
	_, base, stop := startCloudServe(t, "postgres://postgres@"+p.addr+"/nothing?sslmode=disable")
	if !until(20*time.Second, func() bool { code, _ := get(t, base+"/readyz"); return code == http.StatusServiceUnavailable }) {
		t.Fatal("serve never answered")
	}
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v", err)
	}
	if code, _ := get(t, base+"/readyz"); code != 0 {
		t.Fatalf("serve still answers after stopping: %d", code)
	}
}

// TestCloudOffLoopbackNeedsPassword: cloud mode beyond loopback without
// SAMBAD_PASSWORD stops at start-up, before it listens or opens the
// database (it used to serve the database's details to anyone while the
// database was out of reach). 192.0.2.1 is not on this machine: serving
// would fail to listen, with another message.
func TestCloudOffLoopbackNeedsPassword(t *testing.T) {
	t.Setenv("SAMBAD_PASSWORD", "")
	t.Setenv("SAMBAD_NO_BROWSER", "true")
	t.Setenv("SAMBAD_STORAGE", "cloud")
	t.Setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/x?sslmode=disable&connect_timeout=1")
	code, _, stderr := run(t, "serve", "--data-dir", t.TempDir(), "--addr", "192.0.2.1:8080")
	if code == 0 || !strings.Contains(stderr, "refusing to listen on 192.0.2.1:8080 in cloud mode without SAMBAD_PASSWORD") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestCloudBadURLFailsStart: a DATABASE_URL that cannot be parsed is a
// start-up error with the reason, not a page that retries for ever.
func TestCloudBadURLFailsStart(t *testing.T) {
	t.Setenv("SAMBAD_NO_BROWSER", "true")
	t.Setenv("SAMBAD_STORAGE", "cloud")
	t.Setenv("DATABASE_URL", "postgres://postgres:hunter2@127.0.0.1:5432/x?connect_timeout=soon")
	code, _, stderr := run(t, "serve", "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0")
	if code == 0 || !strings.Contains(stderr, "DATABASE_URL is not valid") || !strings.Contains(stderr, "connect_timeout") || strings.Contains(stderr, "hunter2") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestCloudDatabaseRefusesSambad: a database that answers but refuses (here:
// no such database) is shown as needing a fix, logged once as an error, and
// still retried.
func TestCloudDatabaseRefusesSambad(t *testing.T) {
	u, _ := url.Parse(testdb.AdminURL())
	u.Path = "/sambad_no_such_database"
	u.User = url.UserPassword(u.User.Username(), "pw-Never-Shown-7351")
	cfg, base, stop := startCloudServe(t, u.String())
	var code int
	var body string
	if !until(20*time.Second, func() bool {
		code, body = get(t, base+"/contacts")
		return code == http.StatusServiceUnavailable && strings.Contains(body, "does not exist")
	}) {
		t.Fatalf("GET /contacts with a missing database = %d:\n%s", code, body)
	}
	if !strings.Contains(body, "needs fixing") || !strings.Contains(body, "Next try") || strings.Contains(body, "pw-Never-Shown-7351") {
		t.Fatalf("the page does not say it needs fixing and when it tries again, or shows the password:\n%s", body)
	}
	if code, body = get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"database":"refused"`) {
		t.Fatalf("/readyz = %d %s", code, body)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v", err)
	}
	logText, _ := os.ReadFile(cfg.LogPath())
	if n := strings.Count(string(logText), "[ERROR] cloud database: it refuses Sambad"); n != 1 || strings.Contains(string(logText), "pw-Never-Shown-7351") {
		t.Fatalf("error.log should say once that the database refuses Sambad, without the password:\n%s", logText)
	}
}
