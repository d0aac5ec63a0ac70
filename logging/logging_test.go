package logging

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

type codedErr struct{}

func (codedErr) Error() string { return "database is locked" }
func (codedErr) Code() string  { return "SQLITE_BUSY" }

func TestFormatMatchesTheOriginalSambad(t *testing.T) {
	e := &logrus.Entry{
		Time:    time.Date(2024, 1, 15, 10, 30, 1, 245_000_000, time.UTC),
		Level:   logrus.InfoLevel,
		Message: "message",
		Data:    logrus.Fields{"field": "value"},
	}
	b, err := (&Formatter{}).Format(e)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `[2024-01-15T10:30:01.245Z] [INFO ] message {"field":"value"}`+"\n"; got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	e.Level, e.Data = logrus.WarnLevel, nil
	b, _ = (&Formatter{}).Format(e)
	if string(b) != "[2024-01-15T10:30:01.245Z] [WARN ] message\n" {
		t.Fatalf("warn line: %q", b)
	}
}

func TestErrorsCarryMessageCodeAndStack(t *testing.T) {
	var buf bytes.Buffer
	log := logrus.New()
	log.SetOutput(&buf)
	log.SetFormatter(&Formatter{})
	log.WithFields(logrus.Fields{"error": fmt.Errorf("store: unable to save: %w", codedErr{}), "contact": "c1"}).Error("save failed")
	line := buf.String()
	for _, want := range []string{`[ERROR] save failed {"contact":"c1","error":{`, `"message":"store: unable to save: database is locked"`, `"code":"SQLITE_BUSY"`, `"stack":"`, "TestErrorsCarryMessageCodeAndStack"} {
		if !strings.Contains(line, want) {
			t.Errorf("missing %q in %s", want, line)
		}
	}
	if strings.Count(line, "\n") != 1 {
		t.Errorf("an entry must be one line: %q", line)
	}
	buf.Reset()
	log.WithFields(logrus.Fields{"error": errors.New("no route")}).Info("retrying")
	if strings.Contains(buf.String(), "stack") {
		t.Errorf("info entries carry no stack: %s", buf.String())
	}
}

func TestSetupWritesTheFileAndStderrAndRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "error.log")
	var stderr bytes.Buffer
	closer, err := Setup(Options{Path: path, Level: "info", MaxSizeMB: 1, MaxBackups: 2, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		closer.Close()
		logrus.SetOutput(os.Stderr)
	}()
	logrus.Debug("hidden")
	logrus.WithFields(logrus.Fields{"n": 1}).Info("first")
	data, _ := os.ReadFile(path)
	if !regexp.MustCompile(`^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] \[INFO \] first \{"n":1\}\n$`).Match(data) {
		t.Fatalf("error.log = %q", data)
	}
	if stderr.String() != string(data) {
		t.Fatalf("stderr %q differs from the file %q", stderr.String(), data)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("error.log mode %v, want 0600", fi.Mode().Perm())
	}
	big := strings.Repeat("x", 1000)
	for i := 0; i < 1500; i++ { // ~1.5 MB: past the 1 MB limit
		logrus.WithFields(logrus.Fields{"pad": big}).Info("filler")
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "error-*.log"))
	if len(backups) != 1 {
		t.Fatalf("want one rotated file, found %v", backups)
	}
	if fi, _ := os.Stat(path); fi.Size() > 1<<20 {
		t.Fatalf("error.log grew to %d bytes past the limit", fi.Size())
	}
}

func TestSetupRejectsAnUnwritablePath(t *testing.T) {
	_, err := Setup(Options{Path: filepath.Join(t.TempDir(), "missing", "error.log"), Level: "info", MaxSizeMB: 1})
	if err == nil || !strings.Contains(err.Error(), "unable to open") {
		t.Fatalf("err = %v", err)
	}
}
