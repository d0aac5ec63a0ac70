package media_test

import (
	"testing"

	"github.com/sambad/sambad/internal/proctest"
)

// TestMain fails the run when a process the tests started (pgbouncer, through
// testdb) outlives them.
func TestMain(m *testing.M) { proctest.Main(m) }
