package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// strongToken is an API token as `openssl rand -hex 32` makes one (start-up
// refuses short ones).
const strongToken = "f3b1c2d4e5a6978812345678abcdef0123456789abcdef0123456789abcdef01"

// site is a real server on a real SQLite store, and a client that keeps
// cookies (for flash messages) and does not follow redirects.
type site struct {
	t     *testing.T
	url   string
	cfg   *config.Config
	store *models.Store
	c     *http.Client
	token string // sent as the API bearer token when set
}

func newSite(t *testing.T, apiToken string) *site {
	t.Helper()
	return newSiteWith(t, apiToken, nil)
}

// newSiteWith is newSite with the config changed by tweak first.
func newSiteWith(t *testing.T, apiToken string, tweak func(*config.Config)) *site {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:8080", DataDir: t.TempDir(), DefaultRegion: "IN", ImportMaxMB: 1, APIToken: apiToken}
	if tweak != nil {
		tweak(cfg)
	}
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

type reply struct {
	status int
	header http.Header
	body   string
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.body)
	}
}

func (s *site) do(method, path, contentType string, body io.Reader) reply {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if s.token != "" && strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func (s *site) get(path string) reply { return s.do("GET", path, "", nil) }

func (s *site) api(method, path string, body any) reply {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	return s.do(method, path, "application/json", r)
}

func (s *site) form(path string, values map[string][]string) reply {
	s.t.Helper()
	var parts []string
	for k, vs := range values {
		for _, v := range vs {
			parts = append(parts, urlEscape(k)+"="+urlEscape(v))
		}
	}
	return s.do("POST", path, "application/x-www-form-urlencoded", strings.NewReader(strings.Join(parts, "&")))
}

func urlEscape(s string) string {
	r := strings.NewReplacer("%", "%25", "&", "%26", "=", "%3D", "+", "%2B", " ", "+", "<", "%3C", ">", "%3E", "\n", "%0A", "#", "%23")
	return r.Replace(s)
}

// upload posts a multipart form with a file and fields.
func (s *site) upload(path, filename string, content []byte, fields map[string]string) reply {
	s.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := w.CreateFormFile("file", filename)
		fw.Write(content)
	}
	w.Close()
	return s.do("POST", path, w.FormDataContentType(), &buf)
}

// follow GETs the Location of a redirect.
func (s *site) follow(r reply) reply {
	s.t.Helper()
	if r.status != http.StatusSeeOther {
		s.t.Fatalf("want a 303 redirect, got %d: %s", r.status, r.body)
	}
	return s.get(r.header.Get("Location"))
}

func (s *site) contact(phone, name string) *models.Contact {
	s.t.Helper()
	var c models.Contact
	if err := (models.ContactInput{Phone: phone, Name: name}).Apply(&c, "IN"); err != nil {
		s.t.Fatal(err)
	}
	if err := s.store.CreateContact(s.t.Context(), &c); err != nil {
		s.t.Fatal(err)
	}
	return &c
}
