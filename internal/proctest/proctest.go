// Package proctest fails a package's test run when a process its tests
// started (pgbouncer, Chromium, the simulator, a sambad child) is still
// running after they end, and ends that process.
//
// A package whose tests start processes calls it from TestMain:
//
//	func TestMain(m *testing.M) { proctest.Main(m) }
//
// or, when TestMain has its own teardown:
//
//	proctest.Mark()
//	code := m.Run()
//	// … teardown …
//	os.Exit(proctest.Check(code))
//
// A process belongs to the run when it descends from the test binary, when
// its environment carries the run's marker (Mark puts PROCTEST_RUN=<id> in the
// binary's environment and every child inherits it, so it still names the run
// after the child is reparented to init), when it descends from or shares the
// process group of such a process (Chromium's helpers rewrite their
// environment area with their title), or when its command line names a path
// given to Own. Test binaries running at the same time have markers of their
// own, so their processes are never taken for ours. A child whose environment
// is built from scratch loses the marker: build it from os.Environ().
package proctest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
	"time"
)

// EnvVar is the environment variable that carries a run's marker. It does not
// start with SAMBAD_: tests that start sambad drop those from its environment.
const EnvVar = "PROCTEST_RUN"

// DefaultGrace is how long Check lets processes that are shutting down finish
// before it counts them as left behind (Chromium's helpers need about a
// second after the browser). Set PROCTEST_GRACE (a Go duration) to change it.
const DefaultGrace = 5 * time.Second

var (
	mu     sync.Mutex
	marker string
	nested bool
	owned  []string
)

// Main marks the run, runs the tests, checks for processes they left and
// exits: non-zero when the tests failed or something was left running.
func Main(m *testing.M) {
	Mark()
	os.Exit(Check(m.Run()))
}

// Mark gives the test binary its marker; call it in TestMain before any
// process starts. A test binary started by a test of the same run (a crash
// child) inherits the marker and leaves the check to the outer binary, which
// sees everything the child left.
func Mark() {
	mu.Lock()
	defer mu.Unlock()
	if marker != "" {
		return
	}
	if v := os.Getenv(EnvVar); v != "" {
		marker, nested = v, true
		return
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	marker = fmt.Sprintf("%d-%s", os.Getpid(), hex.EncodeToString(b))
	os.Setenv(EnvVar, marker)
}

// Own records a path (a temp directory the tests made): a process whose
// command line names it belongs to the run, whatever its environment.
func Own(path string) {
	if path == "" {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	owned = append(owned, path)
}

// Check looks for processes of the run still alive. It gives them the grace
// period to exit, then prints and kills what is left and returns a failing
// exit code; otherwise it returns code unchanged.
func Check(code int) int {
	return check(code, grace(), os.Stderr)
}

func grace() time.Duration {
	if v := os.Getenv("PROCTEST_GRACE"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return DefaultGrace
}

func check(code int, grace time.Duration, w io.Writer) int {
	mu.Lock()
	skip := marker == "" || nested
	mu.Unlock()
	if skip {
		return code
	}
	left := Leftovers(grace)
	if len(left) == 0 {
		return code
	}
	fmt.Fprintf(w, "proctest: %d process(es) started by these tests still running %s after they ended (killed now):\n", len(left), grace)
	for _, p := range left {
		fmt.Fprintf(w, "  pid %d (parent %d, %s): %s\n", p.PID, p.PPID, p.Reason, p.Cmdline)
	}
	Kill(left)
	fmt.Fprintln(w, "FAIL: the tests left processes running; every test must stop what it starts")
	if code == 0 {
		return 1
	}
	return code
}

// Process is a process of the run found alive.
type Process struct {
	PID, PPID, PGID int
	Cmdline         string
	// Reason says how it was recognised: "descendant", "marker", "group"
	// or "owned path".
	Reason string
}

// Leftovers returns the run's processes still alive, waiting up to grace for
// them to exit first.
func Leftovers(grace time.Duration) []Process {
	mu.Lock()
	m, paths := marker, append([]string(nil), owned...)
	mu.Unlock()
	deadline := time.Now().Add(grace)
	groups := map[int]bool{}
	for {
		left := scan(m, paths, groups)
		if len(left) == 0 || !time.Now().Before(deadline) {
			return left
		}
		time.Sleep(100 * time.Millisecond)
	}
}
