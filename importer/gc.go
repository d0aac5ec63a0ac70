package importer

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// importGCPercent is the GOGC an import runs with: an import allocates a
// lot of short-lived garbage over a small live heap, so the default 100
// spends a fifth of its CPU time collecting.
const importGCPercent = 400

// importMemoryHeadroom caps what an import may add to the process's memory
// while the collector is relaxed: the runtime collects harder as it nears
// the limit (a soft one) so the import stays within its 64 MiB budget.
const importMemoryHeadroom = 40 << 20

// gcRelax holds the collector settings to restore when the last running
// import ends.
var gcRelax struct {
	sync.Mutex
	users   int
	percent int
	limit   int64
}

// relaxGC raises GOGC for the duration of an import under a memory limit of
// the memory in use now plus importMemoryHeadroom (or the limit already set,
// when lower). Imports running at once share one setting; the last to end
// restores the previous values.
func relaxGC() (restore func()) {
	gcRelax.Lock()
	defer gcRelax.Unlock()
	if gcRelax.users == 0 {
		gcRelax.limit = debug.SetMemoryLimit(-1)
		limit := runtimeMemory() + importMemoryHeadroom
		if gcRelax.limit < limit {
			limit = gcRelax.limit
		}
		debug.SetMemoryLimit(limit)
		gcRelax.percent = debug.SetGCPercent(importGCPercent)
		if gcRelax.percent < 0 || gcRelax.percent > importGCPercent {
			debug.SetGCPercent(gcRelax.percent) // already more relaxed: keep it
		}
	}
	gcRelax.users++
	var once sync.Once
	return func() {
		once.Do(func() {
			gcRelax.Lock()
			defer gcRelax.Unlock()
			if gcRelax.users--; gcRelax.users == 0 {
				debug.SetGCPercent(gcRelax.percent)
				debug.SetMemoryLimit(gcRelax.limit)
			}
		})
	}
}

// runtimeMemory is the memory the Go runtime uses that counts against its
// memory limit: all it has mapped, less what it returned to the system and
// the free heap it holds on to (which the import may fill).
func runtimeMemory() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	used := s[0].Value.Uint64() - s[1].Value.Uint64() - s[2].Value.Uint64()
	if used > math.MaxInt64-importMemoryHeadroom {
		return math.MaxInt64 - importMemoryHeadroom
	}
	return int64(used)
}
