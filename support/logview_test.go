package support

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseLogLine(t *testing.T) {
	cases := []struct {
		raw, level, msg, fields string
	}{
		{`[2026-12-03T09:30:01.245Z] [INFO ] Sambad is running {"addr":"127.0.0.1:8080"}`, "info", "Sambad is running", `{"addr":"127.0.0.1:8080"}`},
		{`[2026-12-03T09:30:01.245Z] [ERROR] template {x} failed {"error":{"message":"boom"},"phone":"+919876543210"}`, "error", "template {x} failed", `{"error":{"message":"boom"},"phone":"+91987****210"}`},
		{`[2026-12-03T09:30:01.245Z] [WARN ] no fields here`, "warn", "no fields here", ""},
		{`panic: runtime error at +919876543210`, "", "panic: runtime error at +91987****210", ""},
	}
	for _, c := range cases {
		e := ParseLogLine(c.raw)
		if e.Level != c.level || e.Message != c.msg || e.Fields != c.fields {
			t.Errorf("%q → level %q message %q fields %q", c.raw, e.Level, e.Message, e.Fields)
		}
		if strings.Contains(e.Line, "9876543210") {
			t.Errorf("a phone number is shown: %s", e.Line)
		}
	}
	e := ParseLogLine(`[2026-12-03T09:30:01.245Z] [DEBUG] x`)
	if e.AtLeast("info") || !e.AtLeast("debug") || !ParseLogLine("garbage").AtLeast("error") {
		t.Error("AtLeast orders levels wrongly")
	}
}

func TestTailBytesIsBounded(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "error.log")
	var b strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "[2026-12-03T09:30:01.245Z] [INFO ] line %05d\n", i)
	}
	os.WriteFile(path, []byte(b.String()), 0o600) // ~860 KB
	lines, err := TailBytes(path, 4096)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 80 || len(lines) > 100 || !strings.HasSuffix(lines[len(lines)-1], "line 19999") || !strings.HasPrefix(lines[0], "[2026") {
		t.Fatalf("%d lines, first %q last %q", len(lines), lines[0], lines[len(lines)-1])
	}
	// A short current file reaches into the newest rotated one.
	os.Rename(path, filepath.Join(dir, "error-2026-12-03T09-00-00.000.log"))
	os.WriteFile(path, []byte("[2026-12-03T10:00:00.000Z] [INFO ] after rotation\n"), 0o600)
	lines, _ = TailBytes(path, 4096)
	if !strings.HasSuffix(lines[len(lines)-1], "after rotation") || !strings.HasSuffix(lines[len(lines)-2], "line 19999") {
		t.Fatalf("across rotation: %q", lines[len(lines)-3:])
	}
}

func TestLogFollower(t *testing.T) {
	path := filepath.Join(t.TempDir(), "error.log")
	os.WriteFile(path, []byte("old line\n"), 0o600)
	f := FollowLog(path)
	if lines, _ := f.Next(1 << 20); len(lines) != 0 {
		t.Fatalf("old lines returned: %q", lines)
	}
	fh, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	fh.WriteString("one\ntw")
	if lines, _ := f.Next(1 << 20); len(lines) != 1 || lines[0] != "one" {
		t.Fatalf("got %q", lines)
	}
	fh.WriteString("o\n")
	fh.Close()
	if lines, _ := f.Next(1 << 20); len(lines) != 1 || lines[0] != "two" {
		t.Fatalf("a line written in two parts: %q", lines)
	}
	os.WriteFile(path, []byte("rotated\n"), 0o600) // smaller: a new file
	if lines, _ := f.Next(1 << 20); len(lines) != 1 || lines[0] != "rotated" {
		t.Fatalf("after rotation: %q", lines)
	}
}
