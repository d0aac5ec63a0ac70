package support

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTailLogReachesIntoBackups(t *testing.T) {
	dir := t.TempDir()
	var old, cur strings.Builder
	for i := range 400 {
		fmt.Fprintf(&old, "old %d\n", i)
	}
	for i := range 300 {
		fmt.Fprintf(&cur, "line %d %s\n", i, strings.Repeat("x", 500)) // several read chunks
	}
	os.WriteFile(filepath.Join(dir, "error-2026-01-01T00-00-00.000.log"), []byte(old.String()), 0o600)
	os.WriteFile(filepath.Join(dir, "error.log"), []byte(cur.String()), 0o600)
	lines, err := TailLog(filepath.Join(dir, "error.log"), 500)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 500 || lines[0] != "old 200" || !strings.HasPrefix(lines[499], "line 299 ") {
		t.Fatalf("got %d lines, first %q, last %.10q", len(lines), lines[0], lines[len(lines)-1])
	}
	if lines, err := TailLog(filepath.Join(t.TempDir(), "error.log"), 500); err != nil || len(lines) != 0 {
		t.Fatalf("missing log: %v %v", lines, err)
	}
}

func TestWriteMasksEverything(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "error.log")
	os.WriteFile(logPath, []byte(`[2026-11-26T10:00:00.000Z] [ERROR] send failed {"phone":"+919876543210","url":"postgres://u:hunter22@db/x"}`+"\n"), 0o600)
	var buf bytes.Buffer
	err := Write(&buf, Bundle{
		Config:   map[string]string{"SAMBAD_PASSWORD": "(set)", "SAMBAD_ADDR": "0.0.0.0:8080"},
		Versions: map[string]string{"go": "go1.26"},
		Doctor:   []byte(`{"checks":[{"name":"database","detail":"postgres://u:hunter22@db/x"}]}`),
		LogPath:  logPath,
	}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	for _, name := range []string{"README.txt", "config.json", "versions.json", "doctor.json", "error.log"} {
		if _, ok := files[name]; !ok {
			t.Errorf("bundle lacks %s", name)
		}
		if strings.Contains(files[name], "hunter22") || strings.Contains(files[name], "9876543210") {
			t.Errorf("%s leaks a secret or a phone number:\n%s", name, files[name])
		}
	}
	if !strings.Contains(files["error.log"], "+91987****210") {
		t.Errorf("error.log: %s", files["error.log"])
	}
}
