// Command sambad is a self-hosted WhatsApp campaign manager.
package main

import (
	"os"

	"github.com/sambad/sambad/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr)) }
