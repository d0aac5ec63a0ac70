//go:build linux

package testdb

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"runtime"
	"strconv"
	"syscall"
)

// startPgBouncer runs pgbouncer on the config file and returns the function
// that ends it and waits for it to exit.
//
// pgbouncer refuses to run as root, so as root it runs as the postgres user
// through the process credentials, not a runuser wrapper: killing a wrapper
// left pgbouncer running (issue 17). It leads its own process group, which
// stop kills as a whole, and it dies with the test binary's thread that
// started it (Pdeathsig) when the binary is killed before its cleanups run;
// that thread stays locked to the goroutine waiting for pgbouncer, since the
// signal follows the thread, not the process.
func startPgBouncer(bin, ini string) (stop func(), err error) {
	attr := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if os.Geteuid() == 0 {
		cred, err := postgresCredential()
		if err != nil {
			return nil, err
		}
		attr.Credential = cred
	}
	cmd := exec.Command(bin, ini)
	cmd.SysProcAttr = attr
	started := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
		close(exited)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}, nil
}

// postgresCredential is the postgres user's uid and gid.
func postgresCredential() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgbouncer refuses to run as root and there is no postgres user to run it as: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres user: uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres user: gid %q: %w", u.Gid, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
