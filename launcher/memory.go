package launcher

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Memory is the proportional set size of a process tree, in bytes.
type Memory struct {
	// PSS is the total (Pss): anonymous, shared memory and file pages.
	PSS int64
	// Anon is Pss_Anon + Pss_Shmem: what cannot be dropped without swap.
	// File pages (mostly the browser binary, ~200 MiB for Chromium) are
	// reclaimable and are shared with any other Chromium on the machine.
	Anon int64
	// Processes is how many processes were measured.
	Processes int
}

// TreeMemory sums /proc/<pid>/smaps_rollup over pid and its descendants.
// PSS, unlike RSS, does not double-count pages Chromium's processes share.
// Linux only.
func TreeMemory(pid int) (Memory, error) {
	pids, err := processTree(pid)
	if err != nil {
		return Memory{}, err
	}
	var m Memory
	for _, p := range pids {
		r, err := rollup(p)
		if err != nil {
			continue // exited meanwhile
		}
		m.PSS += r["Pss"] * 1024
		m.Anon += (r["Pss_Anon"] + r["Pss_Shmem"]) * 1024
		m.Processes++
	}
	if m.Processes == 0 {
		return m, fmt.Errorf("launcher: process %d not found", pid)
	}
	return m, nil
}

// TreePSS is TreeMemory's total PSS in bytes and the process count.
func TreePSS(pid int) (int64, int, error) {
	m, err := TreeMemory(pid)
	return m.PSS, m.Processes, err
}

// processTree returns pid and its descendants by scanning /proc/*/stat.
func processTree(root int) ([]int, error) {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return nil, err
	}
	children := map[int][]int{}
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+1:]))
		if len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		children[ppid] = append(children[ppid], pid)
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out, nil
}

// rollup reads the kB fields of /proc/<pid>/smaps_rollup.
func rollup(pid int) (map[string]int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) >= 2 && strings.HasSuffix(fs[0], ":") {
			if v, err := strconv.ParseInt(fs[1], 10, 64); err == nil {
				out[strings.TrimSuffix(fs[0], ":")] = v
			}
		}
	}
	if _, ok := out["Pss"]; !ok {
		return nil, fmt.Errorf("launcher: no Pss line for %d", pid)
	}
	return out, nil
}
