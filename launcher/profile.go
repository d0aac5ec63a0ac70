package launcher

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/sirupsen/logrus"
)

// EnsureProfile creates the profile directory with mode 0700 and tightens it
// when an existing one is looser: it holds the WhatsApp session keys.
func EnsureProfile(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("launcher: unable to create profile directory: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("launcher: unable to inspect profile directory: %w", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("launcher: unable to restrict profile directory to 0700: %w", err)
		}
	}
	return nil
}

// singletonFiles are Chromium's profile locks on Linux and macOS.
var singletonFiles = []string{"SingletonLock", "SingletonSocket", "SingletonCookie"}

// RemoveStaleLocks deletes Chromium's Singleton* files in the profile when the
// process named by SingletonLock (a symlink to "hostname-pid") is no longer
// alive. A lock owned by a live browser is left alone and reported as an
// error. A lock written under another hostname (a container restarted with a
// new hostname) cannot be checked and is treated as stale.
func RemoveStaleLocks(profile string) error {
	lock := filepath.Join(profile, "SingletonLock")
	target, err := os.Readlink(lock)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		// Not a symlink (Windows or a damaged file): nothing to judge by.
		return nil
	}
	host, pid := parseLockTarget(target)
	me, _ := os.Hostname()
	if host == me && pid > 0 && browserAlive(pid, profile) {
		return fmt.Errorf("launcher: the profile %s is in use by a running browser (pid %d); stop it first", profile, pid)
	}
	fields := logrus.Fields{"profile": profile, "lock": target}
	if host != me {
		logrus.WithFields(fields).Warn("launcher: removing a profile lock written under another hostname")
	} else {
		logrus.WithFields(fields).Info("launcher: removing stale profile lock")
	}
	for _, name := range singletonFiles {
		if err := os.Remove(filepath.Join(profile, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("launcher: unable to remove stale profile lock: %w", err)
		}
	}
	return nil
}

// parseLockTarget splits "hostname-pid"; hostnames may contain dashes.
func parseLockTarget(t string) (string, int) {
	i := strings.LastIndex(t, "-")
	if i < 0 {
		return t, 0
	}
	pid, err := strconv.Atoi(t[i+1:])
	if err != nil {
		return t, 0
	}
	return t[:i], pid
}

// browserAlive reports whether pid is a live process that looks like the
// browser owning profile (not a zombie, not a recycled pid of another program).
func browserAlive(pid int, profile string) bool {
	if !processAlive(pid) {
		return false
	}
	if runtime.GOOS != "linux" {
		return true
	}
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		if i := strings.LastIndexByte(string(stat), ')'); i > 0 && len(stat) > i+2 && stat[i+2] == 'Z' {
			return false
		}
	}
	cmd, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return true
	}
	c := strings.ToLower(string(cmd))
	abs, _ := filepath.Abs(profile)
	return strings.Contains(c, strings.ToLower(abs)) || strings.Contains(c, "chrom") || strings.Contains(c, "edge")
}
