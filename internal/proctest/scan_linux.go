//go:build linux

package proctest

import (
	"bytes"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is one entry of /proc.
type proc struct {
	pid, ppid, pgid int
	state           byte
}

// scan returns the live processes of the run marked m. groups collects the
// process groups of marked processes across the scans of one Leftovers call,
// so a helper whose marked parent is already gone is still recognised.
func scan(m string, paths []string, groups map[int]bool) []Process {
	self := os.Getpid()
	all := readProcs()
	ancestors := map[int]bool{}
	for pid := self; pid > 1 && !ancestors[pid]; {
		ancestors[pid] = true
		p, ok := all[pid]
		if !ok {
			break
		}
		pid = p.ppid
	}
	ownGroup := syscall.Getpgrp()
	needle := []byte(EnvVar + "=" + m + "\x00")

	reason := map[int]string{}
	for pid, p := range all {
		if ancestors[pid] || p.state == 'Z' || p.state == 'X' {
			continue
		}
		if env, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ"); err == nil && m != "" && hasVar(env, needle) {
			reason[pid] = "marker"
			if p.pgid != ownGroup && !ancestors[p.pgid] {
				groups[p.pgid] = true
			}
			continue
		}
		if len(paths) > 0 {
			cmd := cmdline(pid)
			for _, path := range paths {
				if strings.Contains(cmd, path) {
					reason[pid] = "owned path"
				}
			}
		}
	}
	// Descendants of the test binary or of a process already found.
	var under func(pid, depth int) bool
	under = func(pid int, depth int) bool {
		p, ok := all[pid]
		if !ok || depth > 64 || p.ppid <= 1 {
			return false
		}
		if p.ppid == self {
			return true
		}
		if r := reason[p.ppid]; r != "" && r != "descendant" {
			return true
		}
		return under(p.ppid, depth+1)
	}
	for pid, p := range all {
		if ancestors[pid] || reason[pid] != "" || p.state == 'Z' || p.state == 'X' {
			continue
		}
		switch {
		case under(pid, 0):
			reason[pid] = "descendant"
		case groups[p.pgid]:
			reason[pid] = "group"
		}
	}
	var out []Process
	for pid, r := range reason {
		p := all[pid]
		out = append(out, Process{PID: pid, PPID: p.ppid, PGID: p.pgid, Cmdline: cmdline(pid), Reason: r})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out
}

// hasVar reports whether the NUL-separated environment env holds needle
// ("NAME=value\x00") as a whole entry.
func hasVar(env, needle []byte) bool {
	if bytes.HasPrefix(env, needle) {
		return true
	}
	return bytes.Contains(env, append([]byte{0}, needle...))
}

func readProcs() map[int]proc {
	out := map[int]proc{}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readStat(pid); ok {
			out[pid] = p
		}
	}
	return out
}

// readStat parses /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm
// may hold spaces and parentheses, so parsing starts after the last ')'.
func readStat(pid int) (proc, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return proc{}, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return proc{}, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 3 {
		return proc{}, false
	}
	ppid, _ := strconv.Atoi(f[1])
	pgid, _ := strconv.Atoi(f[2])
	return proc{pid: pid, ppid: ppid, pgid: pgid, state: f[0][0]}, true
}

func cmdline(pid int) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return strings.TrimSpace(strings.ReplaceAll(string(b), "\x00", " "))
}

// running reports whether pid exists and is not a zombie.
func running(pid int) bool {
	p, ok := readStat(pid)
	return ok && p.state != 'Z' && p.state != 'X'
}

// Kill sends SIGKILL to each process (and to the group it leads, unless that
// is the test binary's own) and waits briefly for them to be gone.
func Kill(ps []Process) {
	own := syscall.Getpgrp()
	for _, p := range ps {
		if p.PGID == p.PID && p.PGID != own {
			_ = syscall.Kill(-p.PGID, syscall.SIGKILL)
		}
		_ = syscall.Kill(p.PID, syscall.SIGKILL)
	}
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		alive := false
		for _, p := range ps {
			alive = alive || running(p.PID)
		}
		if !alive {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
