package launcher

import (
	"context"
	"fmt"

	rodlauncher "github.com/go-rod/rod/lib/launcher"
	"github.com/sirupsen/logrus"
)

// download fetches rod's default Chromium revision into <DataDir>/chrome,
// bounded by DownloadTimeout. rod's fetcher waits on a TCP lock without a
// deadline, so it runs in a goroutine and is abandoned on timeout.
func download(opts Options) (string, error) {
	if opts.DataDir == "" {
		return "", fmt.Errorf("no data directory to download into")
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.downloadTimeout())
	defer cancel()

	b := rodlauncher.NewBrowser()
	b.Context = ctx
	b.RootDir = opts.DownloadDir()
	b.Logger = logrus.WithField("component", "chrome-download")

	type result struct {
		path string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		p, err := b.Get()
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return "", fmt.Errorf("download failed: %w", r.err)
		}
		return r.path, nil
	case <-ctx.Done():
		return "", fmt.Errorf("download did not finish within %s", opts.downloadTimeout())
	}
}
