package media

import (
	"crypto/sha256"
	"encoding/hex"
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

// validSum reports whether s is a SHA-256 in lower-case hex, the only kind
// of name a file may have here (a name from an archive never becomes a path
// outside the library).
func validSum(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// OpenFile opens the stored file with this SHA-256 (a backup reads it).
// A file not on disk is an error for which os.IsNotExist holds.
func (l *Library) OpenFile(sum string) (io.ReadCloser, error) {
	if !validSum(sum) {
		return nil, fmt.Errorf("media: %q is not a SHA-256", sum)
	}
	return os.Open(l.Path(sum))
}

// PutFile stores r as the file with this SHA-256 and size (a restore brings
// it back), checking both before it takes its place. A file already there is
// kept: it has the same content by its name.
func (l *Library) PutFile(sum string, size int64, r io.Reader) error {
	if !validSum(sum) {
		return fmt.Errorf("media: %q is not a SHA-256", sum)
	}
	unlock := l.lock(sum)
	defer unlock()
	if exists(l.Path(sum)) {
		return nil
	}
	return l.writeAtomic(l.Path(sum), func(w io.Writer) error {
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(r, size+1))
		if err != nil {
			return fmt.Errorf("media: unable to write a file: %w", err)
		}
		if n != size || hex.EncodeToString(h.Sum(nil)) != sum {
			return fmt.Errorf("media: file %s… does not match its size or SHA-256", sum[:12])
		}
		return nil
	})
}
