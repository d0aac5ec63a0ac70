package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/server"
	"github.com/sambad/sambad/webhook"
)

// newPrivateSite is newSite with SAMBAD_WEBHOOK_ALLOW_PRIVATE=true, so a
// receiver on 127.0.0.1 can be registered.
func newPrivateSite(t *testing.T, apiToken string) *site {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1,
		APIToken: apiToken, WebhookAllowPrivate: true}
	store := testdb.SQLite(t)
	srv, err := server.New(server.Deps{Config: cfg, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &site{t: t, url: ts.URL, cfg: cfg, store: store, c: c, token: apiToken}
}

// hookReceiver records the signed events posted to it.
type hookReceiver struct {
	url string
	mu  sync.Mutex
	got []webhook.Event
	sig []bool
}

func newHookReceiver(t *testing.T, secret *string) *hookReceiver {
	r := &hookReceiver{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var e webhook.Event
		_ = json.Unmarshal(body, &e)
		r.mu.Lock()
		r.got = append(r.got, e)
		r.sig = append(r.sig, webhook.Verify(*secret, body, req.Header.Get(webhook.HeaderSignature)))
		r.mu.Unlock()
		w.Write([]byte("thanks"))
	}))
	t.Cleanup(ts.Close)
	r.url = ts.URL + "/in"
	return r
}

type apiWebhook struct {
	ID             string   `json:"id"`
	URL            string   `json:"url"`
	Events         []string `json:"events"`
	Secret         string   `json:"secret"`
	Enabled        bool     `json:"enabled"`
	DisabledReason string   `json:"disabled_reason"`
}

func TestAPIWebhooksRefuseBadURLs(t *testing.T) {
	s := newSite(t, "") // private addresses not allowed
	for _, tc := range []struct {
		body   map[string]any
		status int
		text   string
	}{
		{map[string]any{"url": "http://127.0.0.1:9/x"}, 422, "SAMBAD_WEBHOOK_ALLOW_PRIVATE=true"},
		{map[string]any{"url": "http://169.254.169.254/"}, 422, "link-local"},
		{map[string]any{"url": "ftp://93.184.216.34/"}, 422, "only http and https"},
		{map[string]any{}, 422, "give the URL"},
		{map[string]any{"url": "https://93.184.216.34/", "events": []string{"message.snt"}}, 422, "is not an event; use message.sent"},
		{map[string]any{"url": "https://93.184.216.34/", "secret": "short"}, 422, "at least 16 characters"},
		{map[string]any{"url": "https://93.184.216.34/", "evnts": []string{}}, 400, "invalid JSON body"},
	} {
		r := s.api("POST", "/api/v1/webhooks", tc.body)
		if r.status != tc.status || !strings.Contains(r.body, tc.text) {
			t.Errorf("POST %v = %d %s; want %d with %q", tc.body, r.status, r.body, tc.status, tc.text)
		}
	}
	if r := s.api("GET", "/api/v1/webhooks", nil); r.status != 200 || !strings.Contains(r.body, `"webhooks":[]`) {
		t.Fatalf("list after refusals = %d %s", r.status, r.body)
	}
}

func TestAPIWebhooks(t *testing.T) {
	s := newPrivateSite(t, "")
	var secret string
	rcv := newHookReceiver(t, &secret)
	r := s.api("POST", "/api/v1/webhooks", map[string]any{"url": rcv.url, "events": []string{"message.sent", "campaign.completed"}})
	var created apiWebhook
	r.json(t, &created)
	if r.status != 201 || !strings.HasPrefix(created.Secret, "whsec_") || len(created.Secret) != 54 || !created.Enabled {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	secret = created.Secret
	var list struct{ Webhooks []apiWebhook }
	s.api("GET", "/api/v1/webhooks", nil).json(t, &list)
	if len(list.Webhooks) != 1 || list.Webhooks[0].Secret == secret || strings.Contains(s.api("GET", "/api/v1/webhooks", nil).body, secret[8:40]) {
		t.Fatalf("the list shows the secret: %+v", list)
	}
	r = s.api("PATCH", "/api/v1/webhooks/"+created.ID, map[string]any{"events": []string{}, "enabled": false})
	var patched apiWebhook
	r.json(t, &patched)
	if r.status != 200 || patched.Enabled || len(patched.Events) != 0 || patched.URL != rcv.url {
		t.Fatalf("patch = %d %s", r.status, r.body)
	}
	r = s.api("POST", "/api/v1/webhooks/"+created.ID+"/test", nil)
	if r.status != 200 || !strings.Contains(r.body, `"ok":true`) || !strings.Contains(r.body, `"response":"thanks"`) {
		t.Fatalf("test = %d %s", r.status, r.body)
	}
	var log struct{ Deliveries []struct{ ID int64 } }
	s.api("GET", "/api/v1/webhooks/"+created.ID+"/deliveries", nil).json(t, &log)
	if len(log.Deliveries) != 1 {
		t.Fatalf("log = %+v", log)
	}
	if r := s.api("POST", "/api/v1/webhooks/"+created.ID+"/deliveries/"+jsonInt(log.Deliveries[0].ID)+"/again", nil); r.status != 200 {
		t.Fatalf("again = %d %s", r.status, r.body)
	}
	rcv.mu.Lock()
	if len(rcv.got) != 2 || rcv.got[0].Type != "webhook.test" || !rcv.sig[0] || !rcv.sig[1] {
		t.Fatalf("receiver got %+v (signatures %v)", rcv.got, rcv.sig)
	}
	rcv.mu.Unlock()
	if r := s.api("DELETE", "/api/v1/webhooks/"+created.ID, nil); r.status != 204 {
		t.Fatalf("delete = %d %s", r.status, r.body)
	}
	if r := s.api("GET", "/api/v1/webhooks/"+created.ID, nil); r.status != 404 {
		t.Fatalf("get after delete = %d %s", r.status, r.body)
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestWebhookPages(t *testing.T) {
	s := newPrivateSite(t, "")
	var secret string
	rcv := newHookReceiver(t, &secret)
	if r := s.get("/"); !strings.Contains(r.body, `href="/webhooks"`) {
		t.Fatalf("no link to the Webhooks page on home: %d", r.status)
	}
	r := s.get("/webhooks")
	if r.status != 200 || !strings.Contains(r.body, "No webhooks yet") || !strings.Contains(r.body, `value="message.delivered"`) {
		t.Fatalf("webhooks page = %d", r.status)
	}
	r = s.form("/webhooks", map[string][]string{"url": {"gopher://x"}, "events": {"message.read"}})
	if r.status != 422 || !strings.Contains(r.body, "only http and https") || !strings.Contains(r.body, `value="message.read" checked`) {
		t.Fatalf("bad URL = %d %s", r.status, r.body)
	}
	r = s.form("/webhooks", map[string][]string{"url": {rcv.url}, "secret": {"my-own-secret-0123456789"}})
	if r.status != 200 || !strings.Contains(r.body, "my-own-secret-0123456789") || !strings.Contains(r.body, "shown this once") {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	secret = "my-own-secret-0123456789"
	hooks, _ := s.store.Webhooks(t.Context())
	id := hooks[0].ID
	if r := s.get("/webhooks"); strings.Contains(r.body, secret) || !strings.Contains(r.body, rcv.url) {
		t.Fatal("the list page shows the secret, or not the URL")
	}
	r = s.follow(s.form("/webhooks/"+id+"/test", nil))
	if !strings.Contains(r.body, "Sent: the receiver answered HTTP 200") || !strings.Contains(r.body, "webhook.test") || strings.Contains(r.body, secret) {
		t.Fatalf("after test = %s", r.body)
	}
	r = s.follow(s.form("/webhooks/"+id, map[string][]string{"url": {rcv.url}, "events": {"import.completed"}}))
	if !strings.Contains(r.body, "Webhook saved") || !strings.Contains(r.body, `value="import.completed" checked`) {
		t.Fatalf("after save = %s", r.body)
	}
	if w, _ := s.store.Webhook(t.Context(), id); w.Enabled || w.Secret != secret {
		t.Fatalf("after save (switched off, same secret) = %+v", w)
	}
	r = s.follow(s.form("/webhooks/"+id+"/delete", nil))
	if !strings.Contains(r.body, "Webhook deleted") || !strings.Contains(r.body, "No webhooks yet") {
		t.Fatalf("after delete = %s", r.body)
	}
}
