package server

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestReadyz(t *testing.T) {
	ts := newTestServer(t, map[string]string{"SAMBAD_PASSWORD": "correct horse"}, nil)
	if rec := ts.do("GET", "/readyz", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"browser":"not checked"`) {
		t.Fatalf("readyz without a browser: %d %s", rec.Code, rec.Body)
	}
	ts.ops.browserReady = func(context.Context) error { return errors.New("waiting for QR scan") }
	if rec := ts.do("GET", "/readyz", nil); rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "waiting for QR scan") {
		t.Fatalf("readyz, browser not ready: %d %s", rec.Code, rec.Body)
	}
	ts.store.Close()
	if rec := ts.do("GET", "/healthz", nil); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("healthz with the database closed: %d", rec.Code)
	}
}

func TestSupportBundleDownload(t *testing.T) {
	ts := newTestServer(t, map[string]string{"SAMBAD_PASSWORD": "correct horse", "SAMBAD_API_TOKEN": strongToken}, nil)
	os.WriteFile(ts.cfg.LogPath(), []byte(`[2026-11-26T10:00:00.000Z] [ERROR] send failed {"phone":"+919876543210"}`+"\n"), 0o600)
	ts.ops.diagnose = func(context.Context) ([]byte, error) { return []byte(`{"ok":true}`), nil }
	if rec := ts.do("GET", "/support/bundle.zip", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("bundle without signing in: %d", rec.Code)
	}
	sess := sessionFrom(t, ts.do("POST", "/login", map[string][]string{"password": {"correct horse"}}))
	if rec := ts.do("GET", "/support", nil, sess); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "/support/bundle.zip") {
		t.Fatalf("support page: %d", rec.Code)
	}
	rec := ts.do("GET", "/support/bundle.zip", nil, sess)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("bundle: %d %v", rec.Code, rec.Header())
	}
	zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		all.Write(b.Bytes())
	}
	for _, n := range []string{"config.json", "versions.json", "doctor.json", "error.log"} {
		if !names[n] {
			t.Errorf("bundle lacks %s", n)
		}
	}
	text := all.String()
	for _, secret := range []string{"correct horse", strongToken, "9876543210"} {
		if strings.Contains(text, secret) {
			t.Errorf("bundle contains %q", secret)
		}
	}
	for _, want := range []string{`"SAMBAD_PASSWORD": "(set)"`, "+91987****210", `"ok":true`, `"schema"`} {
		if !strings.Contains(text, want) {
			t.Errorf("bundle lacks %q", want)
		}
	}
}
