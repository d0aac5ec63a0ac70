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

// TreePSS sums the proportional set size (Pss in /proc/<pid>/smaps_rollup) of
// pid and all its descendants, in bytes, and returns the process count. PSS,
// unlike RSS, does not double-count pages Chromium's processes share. Linux only.
func TreePSS(pid int) (int64, int, error) {
	pids, err := processTree(pid)
	if err != nil {
		return 0, 0, err
	}
	var total int64
	n := 0
	for _, p := range pids {
		kb, err := pssKB(p)
		if err != nil {
			continue // exited meanwhile
		}
		total += kb * 1024
		n++
	}
	if n == 0 {
		return 0, 0, fmt.Errorf("launcher: process %d not found", pid)
	}
	return total, n, nil
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

func pssKB(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "Pss:") {
			fs := strings.Fields(line)
			if len(fs) >= 2 {
				return strconv.ParseInt(fs[1], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("launcher: no Pss line for %d", pid)
}
