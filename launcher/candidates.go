package launcher

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	rodlauncher "github.com/go-rod/rod/lib/launcher"
)

// bundledRoots are the resources/chrome folders beside the executable and in
// the data directory.
func bundledRoots(opts Options) []string {
	var roots []string
	if d := exeDir(opts); d != "" {
		roots = append(roots, filepath.Join(d, "resources", "chrome"))
	}
	if opts.DataDir != "" {
		roots = append(roots, filepath.Join(opts.DataDir, "resources", "chrome"))
	}
	return roots
}

// bundledNames are the binary locations inside a bundle folder, per OS.
func bundledNames() []string {
	switch runtime.GOOS {
	case "darwin":
		return []string{
			"Chromium.app/Contents/MacOS/Chromium",
			"Google Chrome.app/Contents/MacOS/Google Chrome",
			"Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
			"Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
			"chrome-mac/Chromium.app/Contents/MacOS/Chromium",
			"chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
			"chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
		}
	case "windows":
		return []string{"chrome.exe", "msedge.exe", "chrome-win/chrome.exe", "chrome-win64/chrome.exe", "chrome-win32/chrome.exe"}
	default:
		return []string{"chrome", "chromium", "msedge", "chrome-linux64/chrome", "chrome-linux/chrome", "chromium/chrome"}
	}
}

// bundledDirs are the folders inside a root that may hold a build: the root
// itself and platform subfolders such as linux-amd64.
func bundledDirs(root string) []string {
	goos, arch := runtime.GOOS, runtime.GOARCH
	sub := []string{goos + "-" + arch, goos + "_" + arch, goos}
	if goos == "darwin" {
		sub = append(sub, "mac-"+arch, "mac")
	}
	if goos == "windows" {
		sub = append(sub, "win64", "win")
	}
	dirs := []string{root}
	for _, s := range sub {
		dirs = append(dirs, filepath.Join(root, s))
	}
	return dirs
}

// findBundled returns the first browser binary under root.
func findBundled(root string) (string, bool) {
	for _, dir := range bundledDirs(root) {
		for _, name := range bundledNames() {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return p, true
			}
		}
	}
	return "", false
}

func bundledMissReason(root string) string {
	if _, err := os.Stat(root); err != nil {
		return "folder does not exist"
	}
	return fmt.Sprintf("no chrome/chromium/msedge binary in it or its platform subfolder (e.g. %s)", filepath.Base(bundledDirs(root)[1]))
}

// systemPaths lists what rod's LookPath misses.
func systemPaths() []string {
	switch runtime.GOOS {
	case "darwin":
		home, _ := os.UserHomeDir()
		return []string{
			"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
			"/Applications/Chromium.app/Contents/MacOS/Chromium",
			"/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
			"/Applications/Brave Browser.app/Contents/MacOS/Brave Browser",
			filepath.Join(home, "Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
			filepath.Join(home, "Applications/Chromium.app/Contents/MacOS/Chromium"),
			"/opt/homebrew/bin/chromium",
			"/usr/local/bin/chromium",
		}
	case "windows":
		var out []string
		for _, env := range []string{"ProgramFiles", "ProgramFiles(x86)", "LocalAppData"} {
			base := os.Getenv(env)
			if base == "" {
				continue
			}
			out = append(out,
				filepath.Join(base, `Google\Chrome\Application\chrome.exe`),
				filepath.Join(base, `Chromium\Application\chrome.exe`),
				filepath.Join(base, `Microsoft\Edge\Application\msedge.exe`),
			)
		}
		return append(out, "chrome.exe", "msedge.exe")
	default:
		return []string{
			"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "microsoft-edge-stable",
			"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium",
			"/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/opt/google/chrome/chrome",
			"/usr/bin/microsoft-edge", "/opt/microsoft/msedge/msedge",
			"/snap/bin/chromium", "/var/lib/snapd/snap/bin/chromium",
			"/usr/local/bin/chromium", "/usr/local/bin/chrome",
		}
	}
}

// resolveSystem looks for an installed browser; misses are appended to tried.
func resolveSystem(opts Options, tried *[]Attempt) (string, bool) {
	paths := opts.systemPaths
	if paths == nil {
		if p, ok := rodlauncher.LookPath(); ok {
			return p, true
		}
		*tried = append(*tried, Attempt{Source: SourceSystem, Path: "rod launcher.LookPath() list", Reason: "none found"})
		paths = systemPaths()
	}
	var missed []string
	for _, p := range paths {
		if found, err := exec.LookPath(p); err == nil {
			if checkExecutable(found) == nil {
				return found, true
			}
		}
		missed = append(missed, p)
	}
	if len(missed) > 0 {
		*tried = append(*tried, Attempt{Source: SourceSystem, Path: fmt.Sprint(missed), Reason: "not found (PATH=" + os.Getenv("PATH") + ")"})
	}
	return "", false
}
