package doctor

import (
	"context"
	"fmt"
	"net"
	"net/http"

	"github.com/go-rod/rod"
)

const testPageTitle = "Sambad doctor"

// LoadTestPage serves a small page on loopback, loads it in page and checks
// that it rendered (its title).
func LoadTestPage(ctx context.Context, page *rod.Page) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("doctor: unable to start the test page: %w", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>%s</title><p>ok", testPageTitle)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	page = page.Context(ctx)
	if err := page.Navigate("http://" + ln.Addr().String() + "/"); err != nil {
		return fmt.Errorf("doctor: unable to load the test page: %w", err)
	}
	if err := page.WaitLoad(); err != nil {
		return fmt.Errorf("doctor: the test page did not load: %w", err)
	}
	info, err := page.Info()
	if err != nil {
		return fmt.Errorf("doctor: %w", err)
	}
	if info.Title != testPageTitle {
		return fmt.Errorf("doctor: the test page loaded with title %q, want %q", info.Title, testPageTitle)
	}
	return nil
}
