//go:build !linux

package testdb

import "os/exec"

// startPgBouncer runs pgbouncer on the config file and returns the function
// that ends it and waits for it to exit.
func startPgBouncer(bin, ini string) (stop func(), err error) {
	cmd := exec.Command(bin, ini)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }, nil
}
