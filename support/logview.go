package support

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// LogEntry is one line of error.log, masked and split into its parts.
type LogEntry struct {
	Time    time.Time
	Level   string // debug, info, warn, error, fatal, panic; "" for a line in no known format
	Message string
	Fields  string // the JSON object of fields, as written
	Line    string // the whole masked line
}

// levelRank orders levels; an unknown level ranks with error, so a line
// Sambad did not format (a crash's output) is never filtered away.
var levelRank = map[string]int{"debug": 0, "info": 1, "warn": 2, "error": 3, "fatal": 4, "panic": 5}

// AtLeast reports whether the entry's level is min or more severe.
func (e LogEntry) AtLeast(min string) bool {
	r, ok := levelRank[e.Level]
	if !ok {
		r = levelRank["error"]
	}
	return r >= levelRank[min]
}

// logLineRe matches `[2024-01-15T10:30:01.245Z] [INFO ] message {"f":"v"}`.
var logLineRe = regexp.MustCompile(`^\[([0-9T:.\-Z]+)\] \[([A-Z]+) *\] (.*)$`)

// ParseLogLine masks a line of error.log and splits it into its parts.
func ParseLogLine(raw string) LogEntry {
	line := MaskLine(raw)
	e := LogEntry{Line: line, Message: line}
	m := logLineRe.FindStringSubmatch(line)
	if m == nil {
		return e
	}
	e.Time, _ = time.Parse("2006-01-02T15:04:05.000Z", m[1])
	e.Level = strings.ToLower(m[2])
	e.Message = m[3]
	if strings.HasSuffix(e.Message, "}") {
		// The fields are the JSON object at the end; the message may hold braces too.
		for i := strings.Index(e.Message, " {"); i >= 0; {
			if json.Valid([]byte(e.Message[i+1:])) {
				e.Fields, e.Message = e.Message[i+1:], e.Message[:i]
				break
			}
			next := strings.Index(e.Message[i+2:], " {")
			if next < 0 {
				break
			}
			i += 2 + next
		}
	}
	return e
}

// TailBytes returns the complete lines among the last maxBytes of the log
// at path, reaching into the newest rotated files when the current one is
// shorter. It never reads more than maxBytes, whatever the log's size.
func TailBytes(path string, maxBytes int64) ([]string, error) {
	files := []string{path}
	ext := filepath.Ext(path)
	backups, _ := filepath.Glob(strings.TrimSuffix(path, ext) + "-*" + ext)
	sort.Sort(sort.Reverse(sort.StringSlice(backups)))
	files = append(files, backups...)
	var out []string
	left := maxBytes
	for _, f := range files {
		if left <= 0 {
			break
		}
		lines, read, err := tailFileBytes(f, left)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(lines, out...)
		left -= read
	}
	return out, nil
}

func tailFileBytes(path string, maxBytes int64) ([]string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, 0, fmt.Errorf("support: %w", err)
	}
	start := max(0, size-maxBytes)
	buf := make([]byte, size-start)
	if _, err := f.ReadAt(buf, start); err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, fmt.Errorf("support: unable to read %s: %w", path, err)
	}
	text := string(buf)
	if start > 0 {
		// The first line is cut: drop it.
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			text = text[i+1:]
		} else {
			text = ""
		}
	}
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return nil, int64(len(buf)), nil
	}
	return strings.Split(text, "\n"), int64(len(buf)), nil
}

// LogFollower reads the lines appended to a log since the last call.
type LogFollower struct {
	path    string
	offset  int64
	partial string
}

// FollowLog starts following the log at path from its current end.
func FollowLog(path string) *LogFollower {
	f := &LogFollower{path: path}
	if fi, err := os.Stat(path); err == nil {
		f.offset = fi.Size()
	}
	return f
}

// Next returns the complete lines written since the last call, at most
// maxBytes of them. A log that shrank was rotated: it is read from its start.
func (f *LogFollower) Next(maxBytes int64) ([]string, error) {
	fh, err := os.Open(f.path)
	if errors.Is(err, os.ErrNotExist) {
		f.offset, f.partial = 0, ""
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("support: %w", err)
	}
	defer fh.Close()
	size, err := fh.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("support: %w", err)
	}
	if size < f.offset {
		f.offset, f.partial = 0, ""
	}
	if size == f.offset {
		return nil, nil
	}
	if size-f.offset > maxBytes {
		// Far behind (a burst of logging): skip to the newest part.
		f.offset, f.partial = size-maxBytes, ""
	}
	buf := make([]byte, size-f.offset)
	n, err := fh.ReadAt(buf, f.offset)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("support: %w", err)
	}
	f.offset += int64(n)
	text := f.partial + string(buf[:n])
	i := strings.LastIndexByte(text, '\n')
	if i < 0 {
		f.partial = text
		return nil, nil
	}
	f.partial = text[i+1:]
	return strings.Split(text[:i], "\n"), nil
}
