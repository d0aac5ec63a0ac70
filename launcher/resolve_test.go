package launcher

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func fakeBinary(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// With a wrong SAMBAD_CHROME_PATH, nothing bundled, nothing on an empty PATH
// and downloads off, one error lists every place and how to fix it.
func TestResolveNothingFoundListsEveryPlace(t *testing.T) {
	t.Setenv("PATH", "")
	data := t.TempDir()
	opts := Options{
		DataDir:     data,
		ChromePath:  "/nonexistent/chrome",
		exeDir:      t.TempDir(),
		systemPaths: []string{"chromium", "google-chrome", filepath.Join(t.TempDir(), "chrome")},
	}
	_, err := Resolve(opts)
	if !errors.Is(err, ErrNoBrowser) {
		t.Fatalf("err = %v, want ErrNoBrowser", err)
	}
	var nf *NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err is %T", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"/nonexistent/chrome", "does not exist", SourceExplicit,
		filepath.Join(opts.exeDir, "resources", "chrome"), filepath.Join(data, "resources", "chrome"),
		"chromium", "google-chrome", "download not allowed",
		"install Chromium", "SAMBAD_CHROME_PATH", "allow Sambad to download",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestResolveOrder(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("bundle layout is per OS")
	}
	exe := t.TempDir()
	bundled := filepath.Join(exe, "resources", "chrome", runtime.GOOS+"-"+runtime.GOARCH, "chrome-linux64", "chrome")
	fakeBinary(t, bundled)
	explicit := filepath.Join(t.TempDir(), "my-chrome")
	fakeBinary(t, explicit)
	notExec := filepath.Join(t.TempDir(), "chrome")
	if err := os.WriteFile(notExec, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name       string
		opts       Options
		wantPath   string
		wantSource string
	}{
		{"explicit first", Options{ChromePath: explicit, exeDir: exe}, explicit, SourceExplicit},
		{"bundled beside the executable", Options{exeDir: exe}, bundled, SourceBundled},
		{"not executable falls through", Options{ChromePath: notExec, exeDir: exe}, bundled, SourceBundled},
		{"system", Options{exeDir: t.TempDir(), systemPaths: []string{explicit}}, explicit, SourceSystem},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Resolve(c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Path != c.wantPath || res.Source != c.wantSource {
				t.Fatalf("got %s (%s), want %s (%s); tried %+v", res.Path, res.Source, c.wantPath, c.wantSource, res.Tried)
			}
		})
	}
	// The bundle in the data directory counts too.
	data := t.TempDir()
	inData := filepath.Join(data, "resources", "chrome", "chromium")
	fakeBinary(t, inData)
	res, err := Resolve(Options{DataDir: data, exeDir: t.TempDir()})
	if err != nil || res.Path != inData {
		t.Fatalf("data dir bundle: %+v, %v", res, err)
	}
	// The real system lookup finds the installed Chromium.
	res, err = Resolve(Options{exeDir: t.TempDir()})
	if err != nil || res.Source != SourceSystem {
		t.Fatalf("system lookup: %+v, %v", res, err)
	}
}

// A download that cannot finish is bounded and reported, never a hang.
func TestResolveDownloadIsBounded(t *testing.T) {
	t.Setenv("PATH", "")
	opts := Options{DataDir: t.TempDir(), AllowDownload: true, DownloadTimeout: 3e9, exeDir: t.TempDir(), systemPaths: []string{}}
	_, err := Resolve(opts)
	if !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), SourceDownload) {
		t.Fatalf("err = %v", err)
	}
}
