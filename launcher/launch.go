package launcher

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/go-rod/rod"
	rodlauncher "github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"
	"github.com/go-rod/stealth"
)

type rodLauncher = rodlauncher.Launcher

// Chrome is a running browser on the persistent profile.
type Chrome struct {
	// Browser is the connected rod browser.
	Browser *rod.Browser
	// PID is the browser process (the root of its process tree).
	PID int
	// Resolution tells which binary was used and why.
	Resolution Resolution
	// UserAgent is the realistic user agent applied to every page.
	UserAgent string
	// Version is the browser product string, e.g. "Chrome/156.0.8078.108".
	Version string
	// Args is the command line the browser got (for `sambad doctor`).
	Args []string

	l *rodlauncher.Launcher
}

// Launch resolves the browser and starts it on <DataDir>/whatsapp-session.
// It is bounded by ctx and Options.LaunchTimeout.
func Launch(ctx context.Context, opts Options) (*Chrome, error) {
	res, err := Resolve(opts)
	if err != nil {
		return nil, err
	}
	return LaunchResolved(ctx, opts, res)
}

// LaunchResolved starts an already resolved browser (a restart after a crash
// need not look again).
func LaunchResolved(ctx context.Context, opts Options, res Resolution) (*Chrome, error) {
	if opts.DataDir == "" {
		return nil, fmt.Errorf("launcher: no data directory configured")
	}
	profile := opts.ProfileDir()
	if err := EnsureProfile(profile); err != nil {
		return nil, err
	}
	if err := RemoveStaleLocks(profile); err != nil {
		return nil, err
	}
	tmp := opts.TempDir()
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("launcher: unable to create temp directory: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, opts.launchTimeout())
	defer cancel()

	l := rodlauncher.New().
		Context(ctx).
		Bin(res.Path).
		UserDataDir(profile).
		Headless(opts.Headless).
		Leakless(runtime.GOOS != "windows").
		Env(append(os.Environ(), "TMPDIR="+tmp, "TMP="+tmp, "TEMP="+tmp)...)
	if !opts.RodDefaults {
		applyFlags(l, opts)
	} else {
		l.NoSandbox(true)
		if opts.TestHostRules != "" {
			l.Set("host-resolver-rules", opts.TestHostRules)
		}
	}
	args := l.FormatArgs()
	u, err := launchBounded(ctx, l)
	if err != nil {
		return nil, fmt.Errorf("launcher: unable to start %s: %w", res.Path, err)
	}
	c := &Chrome{PID: l.PID(), Resolution: res, Args: args, l: l}
	b := rod.New().ControlURL(u)
	if err := b.Connect(); err != nil {
		killTree(l.PID())
		return nil, fmt.Errorf("launcher: unable to connect to the browser: %w", err)
	}
	c.Browser = b
	v, err := proto.BrowserGetVersion{}.Call(b)
	if err != nil {
		c.Kill()
		return nil, fmt.Errorf("launcher: unable to read the browser version: %w", err)
	}
	c.Version = strings.Replace(v.Product, "HeadlessChrome", "Chrome", 1)
	c.UserAgent = strings.Replace(v.UserAgent, "HeadlessChrome", "Chrome", 1)
	return c, nil
}

// NewPage opens a tab with stealth scripts and the realistic user agent.
func (c *Chrome) NewPage() (*rod.Page, error) {
	p, err := stealth.Page(c.Browser)
	if err != nil {
		return nil, fmt.Errorf("launcher: unable to open a page: %w", err)
	}
	if err := p.SetUserAgent(&proto.NetworkSetUserAgentOverride{
		UserAgent:      c.UserAgent,
		AcceptLanguage: "en-US,en;q=0.9",
	}); err != nil {
		_ = p.Close()
		return nil, fmt.Errorf("launcher: unable to set the user agent: %w", err)
	}
	return p, nil
}

// Close asks the browser to quit so it flushes the profile, and kills it if it
// has not exited within a second. The profile is kept.
func (c *Chrome) Close() {
	if c.Browser != nil {
		done := make(chan struct{})
		go func() {
			_ = c.Browser.Close()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
	}
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) && c.Alive() {
		time.Sleep(20 * time.Millisecond)
	}
	c.Kill()
}

// Kill ends the browser process at once (rod's Launcher.Kill sleeps a second
// first, too slow for a crash restart).
func (c *Chrome) Kill() {
	killTree(c.PID)
}

// Alive reports whether the browser process still runs.
func (c *Chrome) Alive() bool {
	return processAlive(c.PID) && !zombie(c.PID)
}

// PSS is the proportional set size of the browser's process tree in bytes.
func (c *Chrome) PSS() (int64, int, error) {
	return TreePSS(c.PID)
}

// Memory measures the browser's process tree (PSS and its anonymous part).
func (c *Chrome) Memory() (Memory, error) {
	return TreeMemory(c.PID)
}

// launchBounded runs rod's Launch, which can wait without a deadline on
// leakless's TCP lock, and gives up when ctx ends (killing a late start).
func launchBounded(ctx context.Context, l *rodlauncher.Launcher) (string, error) {
	type launched struct {
		u   string
		err error
	}
	ch := make(chan launched, 1)
	go func() {
		u, err := l.Launch()
		ch <- launched{u, err}
	}()
	select {
	case r := <-ch:
		return r.u, r.err
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.err == nil {
				killTree(l.PID())
			}
		}()
		return "", fmt.Errorf("the browser did not start in time: %w", ctx.Err())
	}
}
