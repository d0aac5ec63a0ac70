package media

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// createTemp opens a new temporary file in the library's tmp directory,
// on the same filesystem as the store, so that rename is atomic.
func (l *Library) createTemp(prefix string) (*os.File, error) {
	dir := filepath.Join(l.dir, "tmp")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("media: unable to create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, prefix+"-*")
	if err != nil {
		return nil, fmt.Errorf("media: unable to create a temporary file: %w", err)
	}
	return f, nil
}

// commit makes the written temporary file f durable and moves it to dst:
// a crash leaves either no file at dst or the whole file, never part of it.
func commit(f *os.File, dst string) error {
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("media: unable to write a file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("media: unable to write a file: %w", err)
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("media: unable to create %s: %w", dir, err)
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("media: unable to store a file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		// The rename itself is durable once the directory is synced.
		d.Sync()
		d.Close()
	}
	return nil
}

// writeAtomic writes what fill writes to dst through a temporary file.
func (l *Library) writeAtomic(dst string, fill func(w io.Writer) error) error {
	f, err := l.createTemp("write")
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	return commit(f, dst)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
