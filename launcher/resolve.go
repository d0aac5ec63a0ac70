package launcher

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Source names where a browser came from.
const (
	SourceExplicit = "SAMBAD_CHROME_PATH"
	SourceBundled  = "bundled"
	SourceSystem   = "system"
	SourceDownload = "download"
)

// ErrNoBrowser is returned (wrapped in a *NotFoundError) when no browser could be found.
var ErrNoBrowser = errors.New("launcher: no Chromium-family browser found")

// Attempt is one place Resolve looked, and why it was not used.
type Attempt struct {
	Source string
	Path   string
	Reason string
}

// Resolution is the browser Resolve chose and every place it looked first.
type Resolution struct {
	Path   string
	Source string
	Tried  []Attempt
}

// String describes the choice for `sambad doctor`.
func (r Resolution) String() string {
	return fmt.Sprintf("%s (from %s)", r.Path, r.Source)
}

// NotFoundError lists every place tried and how to fix it.
type NotFoundError struct {
	Tried []Attempt
}

// Error renders the list of places and the remedies.
func (e *NotFoundError) Error() string {
	var b strings.Builder
	b.WriteString("launcher: no Chromium-family browser found; tried:\n")
	for _, a := range e.Tried {
		fmt.Fprintf(&b, "  - %s: %s: %s\n", a.Source, a.Path, a.Reason)
	}
	b.WriteString("fix it by one of:\n")
	b.WriteString("  - install Chromium (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium; Windows: install Google Chrome or Edge)\n")
	b.WriteString("  - set SAMBAD_CHROME_PATH to the browser executable\n")
	b.WriteString("  - put a browser under resources/chrome/ beside the sambad executable\n")
	b.WriteString("  - allow Sambad to download Chromium into the data directory (needs network access)")
	return b.String()
}

// Unwrap lets errors.Is(err, ErrNoBrowser) work.
func (e *NotFoundError) Unwrap() error { return ErrNoBrowser }

// Resolve finds the browser binary to use. It never hangs: the only slow step,
// the download, is bounded by Options.DownloadTimeout.
func Resolve(opts Options) (Resolution, error) {
	var res Resolution
	try := func(source, path string) bool {
		if err := checkExecutable(path); err != nil {
			res.Tried = append(res.Tried, Attempt{Source: source, Path: path, Reason: err.Error()})
			return false
		}
		res.Path, res.Source = path, source
		return true
	}

	if opts.ChromePath != "" && try(SourceExplicit, opts.ChromePath) {
		return res, nil
	}
	for _, root := range bundledRoots(opts) {
		if p, ok := findBundled(root); ok && try(SourceBundled, p) {
			return res, nil
		} else if !ok {
			res.Tried = append(res.Tried, Attempt{Source: SourceBundled, Path: root, Reason: bundledMissReason(root)})
		}
	}
	if p, ok := resolveSystem(opts, &res.Tried); ok && try(SourceSystem, p) {
		return res, nil
	}
	if !opts.AllowDownload {
		res.Tried = append(res.Tried, Attempt{Source: SourceDownload, Path: opts.DownloadDir(), Reason: "download not allowed"})
		return res, &NotFoundError{Tried: res.Tried}
	}
	p, err := download(opts)
	if err != nil {
		res.Tried = append(res.Tried, Attempt{Source: SourceDownload, Path: opts.DownloadDir(), Reason: err.Error()})
		return res, &NotFoundError{Tried: res.Tried}
	}
	if try(SourceDownload, p) {
		return res, nil
	}
	return res, &NotFoundError{Tried: res.Tried}
}

// checkExecutable reports why path cannot be run as a browser, or nil.
func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return errors.New("does not exist")
		}
		return err
	}
	if fi.IsDir() {
		return errors.New("is a directory, not an executable")
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0 {
		return errors.New("is not executable (chmod +x it)")
	}
	return nil
}

// exeDir is the directory of the running executable, symlinks resolved.
func exeDir(opts Options) string {
	if opts.exeDir != "" {
		return opts.exeDir
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	return filepath.Dir(exe)
}
