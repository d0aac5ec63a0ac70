package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/sambad/sambad/config"
)

type healthcheckOptions struct{ url string }

func healthcheckFlags(fs *flag.FlagSet) *healthcheckOptions {
	o := &healthcheckOptions{}
	fs.StringVar(&o.url, "url", "", "healthcheck: address to check (default: /healthz on SAMBAD_ADDR)")
	return o
}

// runHealthcheck asks the running Sambad for /healthz: the Docker
// HEALTHCHECK, since the slim image has no curl.
func runHealthcheck(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sambad healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := healthcheckFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	target := o.url
	if target == "" {
		target = "http://" + dialAddr(cfg.Addr) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", target, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// dialAddr turns a listen address into one to connect to: a wildcard host
// (0.0.0.0, ::, empty) is reached on loopback.
func dialAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
