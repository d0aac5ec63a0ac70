package backup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sambad/sambad/models"
)

// File name prefixes: scheduled backups, and the copy a restore makes of
// the data it replaces.
const (
	PrefixScheduled  = "sambad-backup-"
	PrefixPreRestore = "sambad-before-restore-"
	stampLayout      = "20060102-150405"
)

// FileName is the name of a backup made at t.
func FileName(prefix string, t time.Time) string {
	return prefix + t.UTC().Format(stampLayout) + ".zip"
}

// Save writes a backup into dir (created 0700) as prefix + time + .zip. It
// writes a temporary file and renames it, so dir never holds half a backup.
func Save(ctx context.Context, store *models.Store, files MediaFiles, dir, prefix string, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: unable to make %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".partial-*.zip")
	if err != nil {
		return "", fmt.Errorf("backup: unable to write into %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := Write(ctx, tmp, store, files, now); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	path := filepath.Join(dir, FileName(prefix, now))
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	return path, nil
}

// Info is one backup file in the backups directory.
type Info struct {
	Name string
	Made time.Time
	Size int64
	Kind string // "scheduled" or "before restore"
}

// List returns the backups in dir, newest first. A missing dir has none.
func List(dir string) ([]Info, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	var out []Info
	for _, e := range entries {
		name := e.Name()
		for prefix, kind := range map[string]string{PrefixScheduled: "scheduled", PrefixPreRestore: "before restore"} {
			stamp, ok := strings.CutPrefix(name, prefix)
			if !ok || !strings.HasSuffix(stamp, ".zip") {
				continue
			}
			t, err := time.Parse(stampLayout, strings.TrimSuffix(stamp, ".zip"))
			if err != nil {
				continue
			}
			info, err := e.Info()
			if err != nil {
				continue
			}
			out = append(out, Info{Name: name, Made: t, Size: info.Size(), Kind: kind})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Made.After(out[j].Made) })
	return out, nil
}

// Prune deletes all but the newest keep backups of one kind.
func Prune(dir, prefix string, keep int) error {
	all, err := List(dir)
	if err != nil {
		return err
	}
	kept := 0
	for _, b := range all {
		if !strings.HasPrefix(b.Name, prefix) {
			continue
		}
		if kept++; kept <= keep {
			continue
		}
		if err := os.Remove(filepath.Join(dir, b.Name)); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("backup: unable to delete an old backup: %w", err)
		}
	}
	return nil
}

// Path returns the path of a backup named name in dir, or false when name
// is not the name of a backup there (no path tricks).
func Path(dir, name string) (string, bool) {
	all, err := List(dir)
	if err != nil {
		return "", false
	}
	for _, b := range all {
		if b.Name == name {
			return filepath.Join(dir, name), true
		}
	}
	return "", false
}
