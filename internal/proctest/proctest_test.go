//go:build linux

package proctest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

// detach starts script under sh in the background of a shell that exits at
// once, so the process is reparented away from the test binary (to init or a
// subreaper) as a leaked pgbouncer or Chromium helper is. The process leads
// its own session; detach returns its pid and kills its group when the test
// ends.
func detach(t *testing.T, env []string, script string) int {
	t.Helper()
	cmd := exec.Command("sh", "-c", "setsid sh -c '"+script+"' >/dev/null 2>&1 </dev/null & echo $!")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("no pid from %q", out)
	}
	t.Cleanup(func() { _ = syscall.Kill(-pid, syscall.SIGKILL) })
	waitFor(t, func() bool { return strings.Contains(cmdline(pid), "sleep") })
	return pid
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func find(ps []Process, pid int) (Process, bool) {
	for _, p := range ps {
		if p.PID == pid {
			return p, true
		}
	}
	return Process{}, false
}

func withoutMarker() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, EnvVar+"=") {
			env = append(env, kv)
		}
	}
	return env
}

// A process that outlived its parent and hangs off init is found by the
// marker it inherited; processes of other runs and unmarked strangers are not.
func TestFindsOrphanByMarker(t *testing.T) {
	ours := detach(t, os.Environ(), "exec sleep 60")
	other := detach(t, append(withoutMarker(), EnvVar+"=1-otherrun"), "exec sleep 61")
	stranger := detach(t, withoutMarker(), "exec sleep 62")
	waitFor(t, func() bool { p, _ := readStat(ours); return p.ppid != os.Getpid() })

	left := Leftovers(0)
	p, ok := find(left, ours)
	if !ok {
		t.Fatalf("the orphaned sleep %d was not found; found %v", ours, left)
	}
	if p.Reason != "marker" || !strings.Contains(p.Cmdline, "sleep 60") {
		t.Fatalf("found %+v, want reason marker and its command line", p)
	}
	for _, pid := range []int{other, stranger} {
		if p, ok := find(left, pid); ok {
			t.Fatalf("a process of another run was taken for ours: %+v", p)
		}
	}
	Kill([]Process{p})
	if running(ours) {
		t.Fatalf("pid %d survived Kill", ours)
	}
}

// A child whose environment was replaced is found as a descendant, and so is
// its own child.
func TestFindsDescendantWithoutMarker(t *testing.T) {
	cmd := exec.Command("sh", "-c", "sleep 60 & wait")
	cmd.Env = withoutMarker()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var grandchild int
	waitFor(t, func() bool {
		for pid, p := range readProcs() {
			if p.ppid == cmd.Process.Pid && strings.HasPrefix(cmdline(pid), "sleep") {
				grandchild = pid
				return true
			}
		}
		return false
	})
	left := Leftovers(0)
	for _, pid := range []int{cmd.Process.Pid, grandchild} {
		if p, ok := find(left, pid); !ok || p.Reason != "descendant" {
			t.Fatalf("pid %d not found as a descendant (found %+v)", pid, left)
		}
	}
}

// A Chromium helper rewrites its environment area; once the marked browser
// that leads its process group is gone, the group still names it.
func TestFindsGroupOfGoneLeader(t *testing.T) {
	leader := detach(t, os.Environ(), "env -u "+EnvVar+" sleep 60 & exec sleep 0.5")
	var helper int
	waitFor(t, func() bool {
		for pid, p := range readProcs() {
			if p.ppid == leader && strings.HasPrefix(cmdline(pid), "sleep 60") {
				helper = pid
				return true
			}
		}
		return false
	})
	left := Leftovers(1500 * time.Millisecond) // the leader exits meanwhile
	if running(leader) {
		t.Fatalf("leader %d still running", leader)
	}
	p, ok := find(left, helper)
	if !ok || p.Reason != "group" {
		t.Fatalf("helper %d not found by its group once its leader was gone (found %+v)", helper, left)
	}
}

// A process with neither marker nor parent is ours when its command line
// names a path the tests own (a pgbouncer's config in its temp directory).
func TestFindsOwnedPath(t *testing.T) {
	dir := t.TempDir()
	pid := detach(t, withoutMarker(), "sleep 60; : "+filepath.Join(dir, "pgbouncer.ini"))
	if p, ok := find(Leftovers(0), pid); ok {
		t.Fatalf("found %+v before its path was owned", p)
	}
	Own(dir)
	// Asked until found (5 s at most): the detached shell may still be between
	// setsid's exec and its own, when its command line reads empty.
	var p Process
	var ok bool
	deadline := time.Now().Add(5 * time.Second)
	for {
		if p, ok = find(Leftovers(0), pid); (ok && p.Reason == "owned path") || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !ok || p.Reason != "owned path" {
		t.Fatalf("pid %d not found by its owned path (found: %v, %+v)", pid, ok, p)
	}
}

// TestLeakChild is the body of TestCheckFailsTheRun: it leaks a process on
// purpose. It runs only as that test's child.
func TestLeakChild(t *testing.T) {
	pidFile := os.Getenv("PROCTEST_LEAK_PIDFILE")
	if pidFile == "" {
		t.Skip("run by TestCheckFailsTheRun")
	}
	cmd := exec.Command("sh", "-c", "sleep 60 >/dev/null 2>&1 </dev/null & echo $!")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pidFile, bytes.TrimSpace(out), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A test binary whose test leaves a process running fails, names the process
// and kills it.
func TestCheckFailsTheRun(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeakChild$", "-test.count=1")
	cmd.Env = append(withoutMarker(), "PROCTEST_LEAK_PIDFILE="+pidFile, "PROCTEST_GRACE=300ms")
	out, err := cmd.CombinedOutput()
	b, _ := os.ReadFile(pidFile)
	pid, perr := strconv.Atoi(string(b))
	if perr == nil {
		t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	} else {
		t.Fatalf("the child wrote no pid (%v); output:\n%s", perr, out)
	}
	if err == nil {
		t.Fatalf("the run passed although it left sleep %d running; output:\n%s", pid, out)
	}
	want := "pid " + strconv.Itoa(pid) + " "
	if !strings.Contains(string(out), want) || !strings.Contains(string(out), "sleep 60") {
		t.Fatalf("the report does not name the leaked process (%q); output:\n%s", want, out)
	}
	if running(pid) {
		t.Fatalf("the leaked process %d is still running after the check", pid)
	}
}
