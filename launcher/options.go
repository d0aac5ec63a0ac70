package launcher

import (
	"os"
	"path/filepath"
	"time"
)

// Options configures how the browser is found and started.
type Options struct {
	// DataDir is Sambad's data directory; the profile, temp files and any
	// downloaded browser live under it.
	DataDir string
	// Profile is the browser profile directory: one per WhatsApp account,
	// or a throwaway one for a browser that is not WhatsApp's (the PDF
	// printer); "" means <DataDir>/whatsapp-session.
	Profile string
	// ChromePath is an explicit browser binary (SAMBAD_CHROME_PATH).
	ChromePath string
	// AllowDownload lets Resolve fetch a Chromium build into <DataDir>/chrome
	// when nothing else is found.
	AllowDownload bool
	// DownloadTimeout bounds the download; zero means 5 minutes.
	DownloadTimeout time.Duration
	// Headless runs the browser without a window (the normal mode).
	Headless bool
	// SingleProcess adds --single-process (off by default: see BENCHMARKS.md).
	SingleProcess bool
	// RodDefaults starts the browser with rod's default flags only (used by the
	// memory benchmark as a baseline); never set it in production.
	RodDefaults bool
	// TestHostRules is passed as --host-resolver-rules; tests only, since it
	// would also block the real web.whatsapp.com.
	TestHostRules string
	// ExtraFlags are appended as --name=value (value may be empty).
	ExtraFlags map[string]string
	// LaunchTimeout bounds starting the process and connecting; zero means 30 s.
	LaunchTimeout time.Duration

	// exeDir overrides the executable's directory (tests).
	exeDir string
	// systemPaths overrides the system candidate list (tests); nil means the
	// built-in list plus rod's LookPath.
	systemPaths []string
}

// ProfileDir is the persistent WhatsApp session profile: Profile, or
// <DataDir>/whatsapp-session.
func (o Options) ProfileDir() string {
	if o.Profile != "" {
		return o.Profile
	}
	return filepath.Join(o.DataDir, "whatsapp-session")
}

// maxTempDirLen keeps Chromium's singleton socket,
// <tmp>/org.chromium.Chromium.XXXXXX/SingletonSocket (45 bytes more), within
// the 107 bytes a Unix socket path may have: beyond it Chromium exits with
// "Socket path too long".
const maxTempDirLen = 107 - 45

// TempDir is where Chromium and leakless put their temporary files:
// <DataDir>/tmp, or the system's temp directory (Chromium's own default)
// when a deep data directory would make the socket path too long.
func (o Options) TempDir() string {
	dir := filepath.Join(o.DataDir, "tmp")
	if len(dir) > maxTempDirLen {
		return os.TempDir()
	}
	return dir
}

// DownloadDir is where an allowed download places the browser.
func (o Options) DownloadDir() string {
	return filepath.Join(o.DataDir, "chrome")
}

func (o Options) downloadTimeout() time.Duration {
	if o.DownloadTimeout > 0 {
		return o.DownloadTimeout
	}
	return 5 * time.Minute
}

func (o Options) launchTimeout() time.Duration {
	if o.LaunchTimeout > 0 {
		return o.LaunchTimeout
	}
	return 30 * time.Second
}
