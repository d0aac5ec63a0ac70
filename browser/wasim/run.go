package wasim

import (
	"context"
	"fmt"
	"os"
)

// Run starts a simulator on addr, prints its URLs on stdout and serves until
// ctx is done. It backs the `sambad simulator` command.
func Run(ctx context.Context, addr string, opts Options) error {
	s := New(opts)
	base, err := s.Start(addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "WhatsApp Web simulator: %s\nPhone (control page): %s/__sim/\n", base, base)
	if seed := s.Seed(); seed != 0 {
		fmt.Fprintf(os.Stdout, "Compose timings on, seed %d (replay: -seed %d; turn off: -calm)\n", seed, seed)
	}
	<-ctx.Done()
	return s.Close()
}
