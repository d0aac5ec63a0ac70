// Package cli is Sambad's command line: it parses the subcommand and flags
// and wires the parts together.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/sambad/sambad/config"
)

// commands maps a subcommand to its entry point.
var commands = map[string]func(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error{
	"serve":         runServe,
	"doctor":        runDoctor,
	"healthcheck":   runHealthcheck,
	"bundle-chrome": runBundleChrome,
	"simulator":     runSimulator,
	"restore":       runRestore,
}

// commandFlags define a command's own flags (on the shared flag set for
// parsing, and again on the command's own set to read them).
var commandFlags = map[string]func(fs *flag.FlagSet){
	"doctor":        func(fs *flag.FlagSet) { doctorFlags(fs) },
	"healthcheck":   func(fs *flag.FlagSet) { healthcheckFlags(fs) },
	"bundle-chrome": func(fs *flag.FlagSet) { bundleChromeFlags(fs) },
	"simulator":     func(fs *flag.FlagSet) { simulatorFlags(fs) },
}

const usage = `Usage: sambad [command] [flags]

Commands:
  serve          run Sambad (the default)
  doctor         check the browser, data directory, database and network [--json]
  healthcheck    exit 0 when the running Sambad answers /healthz (Docker HEALTHCHECK)
  bundle-chrome  copy a Chromium beside the executable [--from PATH] [--dest DIR]
  simulator      serve a WhatsApp Web simulator to try Sambad offline [--sim-addr ADDR]
  restore FILE   replace all data with a backup's (the current data is saved first)

Flags (each also readable from the environment variable in brackets):
`

// Run runs the command line and returns the process exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	name := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "sambad: unknown command %q\n\n%s", name, usage)
		return 2
	}
	fs := flag.NewFlagSet("sambad "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	flags := map[string]*string{
		"SAMBAD_DATA_DIR": fs.String("data-dir", "", "data directory [SAMBAD_DATA_DIR]"),
		"SAMBAD_ADDR":     fs.String("addr", "", "listen address, host:port [SAMBAD_ADDR]"),
		"SAMBAD_STORAGE":  fs.String("storage", "", "local, cloud or hybrid [SAMBAD_STORAGE]"),
	}
	extra := registerCommandFlags(name, fs)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	values := map[string]string{}
	for k, v := range flags {
		values[k] = *v
	}
	cfg, err := config.Load(values, os.LookupEnv)
	if err != nil {
		fmt.Fprintf(stderr, "sambad: invalid configuration:\n%v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd(ctx, cfg, append(extra(), fs.Args()...), stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "sambad %s: %v\n", name, err)
		return 1
	}
	return 0
}

// registerCommandFlags adds a command's own flags; after parsing, the
// returned func gives the ones set as "--name=value" arguments.
func registerCommandFlags(name string, fs *flag.FlagSet) func() []string {
	define := commandFlags[name]
	if define == nil {
		return func() []string { return nil }
	}
	shared := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { shared[f.Name] = true })
	define(fs)
	return func() []string {
		var out []string
		fs.Visit(func(f *flag.Flag) {
			if !shared[f.Name] {
				out = append(out, "--"+f.Name+"="+f.Value.String())
			}
		})
		return out
	}
}
