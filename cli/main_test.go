package cli

import (
	"os"
	"testing"

	"github.com/sambad/sambad/internal/proctest"
)

// TestMain fails the run when a process the tests started outlives them, and
// removes the sambad binary the tests built.
func TestMain(m *testing.M) {
	proctest.Mark()
	code := m.Run()
	removeSambadBinary()
	os.Exit(proctest.Check(code))
}
