package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/doctor"
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

// newDoctor wires the doctor to the browser resolution Sambad uses.
func newDoctor(cfg *config.Config) *doctor.Doctor {
	return &doctor.Doctor{Config: cfg, Resolve: func() (doctor.Resolution, error) { return resolveBrowser(cfg) }}
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
