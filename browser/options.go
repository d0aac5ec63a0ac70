package browser

import (
	"strings"
	"time"

	"github.com/sambad/sambad/launcher"
)

// DefaultBaseURL is the real WhatsApp Web.
const DefaultBaseURL = "https://web.whatsapp.com"

// Text entry modes for SendText.
const (
	// TextInsert types the text into the compose box with CDP Input.insertText.
	TextInsert = "insert"
	// TextURL passes the text in the click-to-chat URL (text=...).
	TextURL = "url"
)

// Options configures the Manager. Zero values get the defaults noted.
type Options struct {
	// DataDir is Sambad's data directory (profile, temp files, selectors override).
	DataDir string
	// ProfileDir is the Chromium profile holding this WhatsApp session;
	// "" means <DataDir>/whatsapp-session. One profile is one linked account.
	ProfileDir string
	// BaseURL of WhatsApp Web; default https://web.whatsapp.com.
	BaseURL string
	// ChromePath is an explicit browser binary (SAMBAD_CHROME_PATH).
	ChromePath string
	// AllowDownload lets the launcher fetch Chromium when none is found.
	AllowDownload bool
	// Headless runs the browser without a window (set it on servers).
	Headless bool
	// MultiProcess runs Chromium with its usual process model. By default
	// Sambad adds --single-process: at ready it needs about half the memory
	// (PSS) and passed the same crash and restart tests (see BENCHMARKS.md).
	MultiProcess bool
	// MemoryLimitMB recycles the browser when its process tree's PSS passes
	// this many MiB; zero disables the watchdog.
	MemoryLimitMB int
	// MemoryCheckInterval is how often the watchdog measures; default 10 s.
	MemoryCheckInterval time.Duration
	// TestHostRules is passed to Chromium as --host-resolver-rules (tests only).
	TestHostRules string
	// ExtraFlags are added to Chromium's command line.
	ExtraFlags map[string]string
	// TextMode is TextInsert (default) or TextURL.
	TextMode string
	// AutoTakeOver clicks "Use here" by itself when the conflict modal shows.
	AutoTakeOver bool

	// LaunchTimeout bounds starting Chromium; default 30 s.
	LaunchTimeout time.Duration
	// LoadTimeout bounds waiting for the app (chat, modal, QR) after a
	// navigation; default 60 s (the real site can take long to boot).
	LoadTimeout time.Duration
	// SendTimeout bounds waiting for the sent tick after clicking send; default 30 s.
	SendTimeout time.Duration
	// SendButtonWait bounds waiting for the send button once the text is in
	// the box (the page may wire the box late); the box is nudged meanwhile,
	// and Enter is pressed in it when the button never comes. Default 10 s.
	SendButtonWait time.Duration
	// NudgeInterval is how long the driver waits for the send button before
	// each harmless input event on the box; default 300 ms.
	NudgeInterval time.Duration
	// HistoryWait is how long a chat that shows no outgoing message is given
	// to load its history before RecentOutgoing answers; default 5 s.
	HistoryWait time.Duration
	// PollInterval is how often the idle session state is read; default 300 ms.
	PollInterval time.Duration
	// MaxRestarts is how many launches in a row may fail before the state
	// becomes failed; default 5.
	MaxRestarts int
}

func (o Options) withDefaults() Options {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	if o.TextMode == "" {
		o.TextMode = TextInsert
	}
	if o.LaunchTimeout <= 0 {
		o.LaunchTimeout = 30 * time.Second
	}
	if o.LoadTimeout <= 0 {
		o.LoadTimeout = 60 * time.Second
	}
	if o.SendTimeout <= 0 {
		o.SendTimeout = 30 * time.Second
	}
	if o.SendButtonWait <= 0 {
		o.SendButtonWait = 10 * time.Second
	}
	if o.NudgeInterval <= 0 {
		o.NudgeInterval = 300 * time.Millisecond
	}
	if o.HistoryWait <= 0 {
		o.HistoryWait = 5 * time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 300 * time.Millisecond
	}
	if o.MemoryCheckInterval <= 0 {
		o.MemoryCheckInterval = 10 * time.Second
	}
	if o.MaxRestarts <= 0 {
		o.MaxRestarts = 5
	}
	return o
}

// launcherOptions maps onto the launcher package.
func (o Options) launcherOptions() launcher.Options {
	return launcher.Options{
		DataDir:       o.DataDir,
		Profile:       o.ProfileDir,
		ChromePath:    o.ChromePath,
		AllowDownload: o.AllowDownload,
		Headless:      o.Headless,
		SingleProcess: !o.MultiProcess,
		TestHostRules: o.TestHostRules,
		ExtraFlags:    o.ExtraFlags,
		LaunchTimeout: o.LaunchTimeout,
	}
}
