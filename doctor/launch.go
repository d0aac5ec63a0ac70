package doctor

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/proto"
)

const testPageTitle = "Sambad doctor"

// LaunchAndLoad starts the browser at path headless with a throw-away
// profile (never the WhatsApp one), loads a page from a local server and
// checks its title.
func LaunchAndLoad(ctx context.Context, path string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("doctor: unable to start the test page: %w", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>%s</title><p>ok", testPageTitle)
	})}
	go srv.Serve(ln)
	defer srv.Close()

	profile, err := os.MkdirTemp("", "sambad-doctor-")
	if err != nil {
		return "", fmt.Errorf("doctor: %w", err)
	}
	defer os.RemoveAll(profile)

	start := time.Now()
	l := launcher.New().Context(ctx).Bin(path).Headless(true).UserDataDir(profile).
		NoSandbox(os.Geteuid() == 0). // Chromium refuses to run as root with its sandbox.
		Set("disable-gpu")
	defer l.Kill()
	u, err := l.Launch()
	if err != nil {
		return "", fmt.Errorf("doctor: the browser did not start: %w", err)
	}
	b := rod.New().ControlURL(u).Context(ctx)
	if err := b.Connect(); err != nil {
		return "", fmt.Errorf("doctor: unable to connect to the browser: %w", err)
	}
	defer b.Close()
	ver, err := proto.BrowserGetVersion{}.Call(b)
	if err != nil {
		return "", fmt.Errorf("doctor: the browser does not answer: %w", err)
	}
	page, err := b.Page(proto.TargetCreateTarget{URL: "http://" + ln.Addr().String() + "/"})
	if err != nil {
		return "", fmt.Errorf("doctor: unable to open a page: %w", err)
	}
	if err := page.WaitLoad(); err != nil {
		return "", fmt.Errorf("doctor: the page did not load: %w", err)
	}
	info, err := page.Info()
	if err != nil {
		return "", fmt.Errorf("doctor: %w", err)
	}
	if info.Title != testPageTitle {
		return "", fmt.Errorf("doctor: the page loaded with title %q, want %q", info.Title, testPageTitle)
	}
	return fmt.Sprintf("%s started headless and loaded a page in %s", ver.Product, time.Since(start).Round(10*time.Millisecond)), nil
}
