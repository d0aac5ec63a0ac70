package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/doctor"
	"github.com/sambad/sambad/launcher"
)

type doctorOptions struct{ json bool }

func doctorFlags(fs *flag.FlagSet) *doctorOptions {
	o := &doctorOptions{}
	fs.BoolVar(&o.json, "json", false, "doctor: print the report as JSON")
	return o
}

// runDoctor checks the install and exits non-zero when a check fails.
func runDoctor(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sambad doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := doctorFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	d := newDoctor(cfg)
	report := d.Run(ctx)
	if o.json {
		if err := report.WriteJSON(stdout); err != nil {
			return err
		}
	} else {
		report.WriteText(stdout)
	}
	if !report.OK {
		return fmt.Errorf("%d check(s) failed", report.Failed())
	}
	return nil
}

// newDoctor wires the doctor to the browser resolution and launch Sambad uses.
func newDoctor(cfg *config.Config) *doctor.Doctor {
	return &doctor.Doctor{
		Config:  cfg,
		Resolve: func() (doctor.Resolution, error) { return resolveBrowser(cfg) },
		Launch:  launchLikeSambad,
	}
}

// launchLikeSambad starts the browser through the launcher with the flags
// Sambad runs it with (headless, single process), on a throw-away data
// directory so the WhatsApp profile is never touched, and loads a page.
func launchLikeSambad(ctx context.Context, path string) (string, error) {
	tmp, err := os.MkdirTemp("", "sambad-doctor-")
	if err != nil {
		return "", fmt.Errorf("doctor: %w", err)
	}
	defer os.RemoveAll(tmp)
	start := time.Now()
	opts := launcher.Options{DataDir: tmp, Headless: true, SingleProcess: true, LaunchTimeout: 45 * time.Second}
	c, err := launcher.LaunchResolved(ctx, opts, launcher.Resolution{Path: path, Source: "doctor"})
	if err != nil {
		return "", err
	}
	defer c.Close()
	page, err := c.NewPage()
	if err != nil {
		return "", err
	}
	if err := doctor.LoadTestPage(ctx, page); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s started headless with Sambad's flags and loaded a page in %s", c.Version, time.Since(start).Round(10*time.Millisecond)), nil
}

// supportDiagnose runs the doctor for the support bundle, without a second
// browser launch beside the one the running server owns.
func supportDiagnose(cfg *config.Config) func(ctx context.Context) ([]byte, error) {
	return func(ctx context.Context) ([]byte, error) {
		d := newDoctor(cfg)
		d.SkipLaunch = true
		var buf bytes.Buffer
		if err := d.Run(ctx).WriteJSON(&buf); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
}
