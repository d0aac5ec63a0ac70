package cli

import (
	"context"
	"flag"
	"io"
	"time"

	"github.com/sambad/sambad/browser/wasim"
	"github.com/sambad/sambad/config"
)

type simulatorOptions struct {
	addr     string
	fastQR   bool
	ackDelay time.Duration
	calm     bool
	seed     uint64
}

func simulatorFlags(fs *flag.FlagSet) *simulatorOptions {
	o := &simulatorOptions{}
	fs.StringVar(&o.addr, "sim-addr", "127.0.0.1:9333", "simulator: listen address (keep the port: the browser profile's session is tied to it)")
	fs.BoolVar(&o.fastQR, "fast-qr", false, "simulator: rotate the QR code every few seconds instead of 60 s / 20 s")
	fs.DurationVar(&o.ackDelay, "ack-delay", 0, "simulator: delay before the first tick (0 = the realistic default)")
	fs.BoolVar(&o.calm, "calm", false, "simulator: turn off the compose timings (late handlers, late text= fill, kept drafts, slow history)")
	fs.Uint64Var(&o.seed, "seed", 0, "simulator: seed of the compose timings, to replay a run (0 = "+wasim.SeedEnv+" or random)")
	return o
}

// runSimulator serves the WhatsApp Web simulator, so Sambad can be tried and
// tested offline: point SAMBAD_WHATSAPP_URL at the address it prints.
func runSimulator(ctx context.Context, _ *config.Config, args []string, _, stderr io.Writer) error {
	fs := flag.NewFlagSet("sambad simulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := simulatorFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	var opts wasim.Options
	if o.fastQR {
		opts.FirstQRLifetime, opts.NextQRLifetime = 10*time.Second, 5*time.Second
	}
	if o.ackDelay > 0 {
		opts.Acks = wasim.AckPolicy{SentAfter: o.ackDelay, DeliveredAfter: 2 * o.ackDelay, ReadAfter: 4 * o.ackDelay}
	}
	opts.Timing = wasim.Timing{Off: o.calm, Seed: o.seed}
	return wasim.Run(ctx, o.addr, opts)
}
