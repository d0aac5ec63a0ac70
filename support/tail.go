package support

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// TailLog returns the last n lines of the log at path, reaching into the
// newest rotated backups (error-<time>.log, as lumberjack names them) when
// the current file is shorter. A missing log gives no lines.
func TailLog(path string, n int) ([]string, error) {
	files := []string{path}
	ext := filepath.Ext(path)
	backups, _ := filepath.Glob(strings.TrimSuffix(path, ext) + "-*" + ext)
	sort.Sort(sort.Reverse(sort.StringSlice(backups))) // timestamps sort; newest first
	files = append(files, backups...)
	var out []string
	for _, f := range files {
		lines, err := tailFile(f, n-len(out))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(lines, out...)
		if len(out) >= n {
			break
		}
	}
	return out, nil
}

// tailFile reads the last n lines of one file, from its end backwards.
func tailFile(path string, n int) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("support: %w", err)
	}
	const chunk = 64 << 10
	var buf []byte
	pos := size
	for pos > 0 && bytes.Count(buf, []byte("\n")) <= n {
		step := min(int64(chunk), pos)
		pos -= step
		part := make([]byte, step)
		if _, err := f.ReadAt(part, pos); err != nil {
			return nil, fmt.Errorf("support: unable to read %s: %w", path, err)
		}
		buf = append(part, buf...)
	}
	text := strings.TrimRight(string(buf), "\n")
	if text == "" {
		return nil, nil
	}
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines, nil
}
