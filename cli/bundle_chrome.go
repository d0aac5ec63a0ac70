package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/sambad/sambad/config"
)

type bundleChromeOptions struct{ from, dest string }

func bundleChromeFlags(fs *flag.FlagSet) *bundleChromeOptions {
	o := &bundleChromeOptions{}
	fs.StringVar(&o.from, "from", "", "bundle-chrome: browser executable to copy (default: the one Sambad would use)")
	fs.StringVar(&o.dest, "dest", "", "bundle-chrome: resources/chrome folder to fill (default: beside the sambad executable)")
	return o
}

// runBundleChrome copies a Chromium install into
// resources/chrome/<goos>-<goarch>/, where the launcher looks beside the
// executable, so a release folder carries its own browser.
func runBundleChrome(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sambad bundle-chrome", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := bundleChromeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	src := o.from
	if src == "" {
		res, err := resolveBrowser(cfg)
		if err != nil {
			return fmt.Errorf("no browser to bundle; install Chromium or give --from PATH: %w", err)
		}
		src = res.Path
	}
	dir, bin, err := chromeInstall(src)
	if err != nil {
		return err
	}
	dest := o.dest
	if dest == "" {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("unable to find the sambad executable; give --dest: %w", err)
		}
		dest = filepath.Join(filepath.Dir(exe), "resources", "chrome")
	}
	target := filepath.Join(dest, runtime.GOOS+"-"+runtime.GOARCH)
	tmp := fmt.Sprintf("%s.partial-%d", target, os.Getpid())
	os.RemoveAll(tmp)
	into := tmp
	if runtime.GOOS == "darwin" {
		into = filepath.Join(tmp, filepath.Base(dir)) // keep Chromium.app whole
	}
	size, err := copyTree(dir, into)
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("unable to copy %s: %w", dir, err)
	}
	copied := filepath.Join(into, bin)
	if err := ensureBundledName(into, bin); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	version, err := browserVersion(ctx, copied)
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("the copied browser does not run (%s): %w", copied, err)
	}
	// Swap in the complete copy: a half-copied bundle is never left where the launcher looks.
	old := target + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(target); err == nil {
		if err := os.Rename(target, old); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("unable to replace %s: %w", target, err)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("unable to move the bundle into %s: %w", target, err)
	}
	os.RemoveAll(old)
	fmt.Fprintf(stdout, "Bundled %s from %s into %s (%d MB).\n", version, dir, target, size>>20)
	return nil
}

// chromeInstall finds the install folder of the browser at path and the
// binary's path inside it. Debian's /usr/bin/chromium is a shell script that
// runs /usr/lib/chromium/chromium; a bare binary outside its folder is refused.
func chromeInstall(path string) (dir, bin string, err error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", "", fmt.Errorf("browser %s: %w", path, err)
	}
	if isScript(real) {
		target, err := scriptTarget(real)
		if err != nil {
			return "", "", err
		}
		real = target
	}
	if runtime.GOOS == "darwin" {
		if i := strings.Index(real, ".app/Contents/MacOS/"); i >= 0 {
			return real[:i+4], real[i+5:], nil
		}
	}
	dir, bin = filepath.Dir(real), filepath.Base(real)
	if !looksLikeChromeDir(dir) {
		return "", "", fmt.Errorf("%s does not look like a Chromium install folder (no icudtl.dat or .pak files beside %s); give --from the browser inside its install folder, e.g. /usr/lib/chromium/chromium", dir, bin)
	}
	return dir, bin, nil
}

func isScript(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	n, _ := io.ReadFull(f, head)
	return n == 2 && string(head) == "#!"
}

var scriptPathRe = regexp.MustCompile(`/[A-Za-z0-9_./-]*/(chromium|chromium-browser|chrome|google-chrome)\b`)

// scriptTarget finds the real browser a wrapper script starts: a literal
// path in the script, else the distributions' usual library folders.
func scriptTarget(script string) (string, error) {
	f, err := os.Open(script)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var candidates []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		candidates = append(candidates, scriptPathRe.FindAllString(sc.Text(), -1)...)
	}
	candidates = append(candidates, "/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser",
		"/usr/lib64/chromium-browser/chromium-browser", "/opt/google/chrome/chrome")
	for _, c := range candidates {
		if c == script {
			continue
		}
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() && !isScript(c) && looksLikeChromeDir(filepath.Dir(c)) {
			return c, nil
		}
	}
	return "", fmt.Errorf("%s is a wrapper script and the browser it starts was not found; give --from the real binary (e.g. /usr/lib/chromium/chromium)", script)
}

// looksLikeChromeDir reports whether dir holds a Chromium build's data files
// (directly, or in a version subfolder as on Windows).
func looksLikeChromeDir(dir string) bool {
	for _, pattern := range []string{"icudtl.dat", "*.pak", "*/icudtl.dat", "*/*.pak"} {
		if m, _ := filepath.Glob(filepath.Join(dir, pattern)); len(m) > 0 {
			return true
		}
	}
	return false
}

// ensureBundledName adds a "chromium" link when the binary has a name the
// launcher does not look for (e.g. chromium-browser).
func ensureBundledName(dir, bin string) error {
	switch strings.TrimSuffix(bin, ".exe") {
	case "chrome", "chromium", "msedge":
		return nil
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return nil
	}
	if err := os.Symlink(bin, filepath.Join(dir, "chromium")); err != nil {
		return fmt.Errorf("unable to name the bundled browser chromium: %w", err)
	}
	return nil
}

// copyTree copies src into dst (created), keeping modes and symlinks, and
// returns the bytes copied.
func copyTree(src, dst string) (int64, error) {
	var total int64
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(out, info.Mode().Perm()|0o700)
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, out)
		case info.Mode().IsRegular():
			n, err := copyFile(p, out, info.Mode().Perm())
			total += n
			return err
		}
		return nil // sockets, devices: not part of a browser
	})
	return total, err
}

func copyFile(src, dst string, perm fs.FileMode) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm|0o200)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// browserVersion runs the browser with --version to prove the copy works.
// Chrome on Windows prints nothing for --version, so there the copy is
// only checked to exist; `sambad doctor` then launches it for real.
func browserVersion(ctx context.Context, bin string) (string, error) {
	if runtime.GOOS == "windows" {
		if _, err := os.Stat(bin); err != nil {
			return "", err
		}
		return filepath.Base(bin), nil
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--version").CombinedOutput()
	text := strings.TrimSpace(string(out))
	if err != nil {
		return "", fmt.Errorf("%w: %s", err, text)
	}
	lines := strings.Split(text, "\n")
	if v := strings.TrimSpace(lines[len(lines)-1]); v != "" {
		return v, nil
	}
	return "", errors.New("--version printed nothing")
}
