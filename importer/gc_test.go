package importer

import (
	"runtime/debug"
	"testing"
)

func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// Imports relax the collector under a memory limit, and the last one to
// end puts back exactly what was set before.
func TestRelaxGCRestoresSettings(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 40))

	before := runtimeMemory()
	first := relaxGC()
	second := relaxGC()
	// A failed assertion must not leave the shared setting held for later tests.
	defer first()
	defer second()
	if p := gcPercent(); p != importGCPercent {
		t.Fatalf("GOGC during an import = %d; want %d", p, importGCPercent)
	}
	limit := debug.SetMemoryLimit(-1)
	// The limit is the memory in use when the import began plus the headroom;
	// the heap may shrink or grow a little around that moment.
	const slack = 4 << 20
	if in := max(before, runtimeMemory()); limit > in+importMemoryHeadroom+slack || limit < importMemoryHeadroom {
		t.Fatalf("memory limit during an import = %d; memory in use %d", limit, in)
	}
	first()
	first() // a second call changes nothing
	if p := gcPercent(); p != importGCPercent {
		t.Fatalf("GOGC with one import still running = %d", p)
	}
	second()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || l != 1<<40 {
		t.Fatalf("after the imports: GOGC %d, limit %d; want 100, %d", p, l, int64(1<<40))
	}

	// A lower limit set by the operator (GOMEMLIMIT) and GOGC=off are kept.
	debug.SetMemoryLimit(1 << 20)
	debug.SetGCPercent(-1)
	done := relaxGC()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || l != 1<<20 {
		t.Fatalf("during an import: GOGC %d, limit %d; want off and the operator's %d", p, l, 1<<20)
	}
	done()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || l != 1<<20 {
		t.Fatalf("after an import: GOGC %d, limit %d", p, l)
	}
}
