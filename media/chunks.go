package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// chunksPerWrite is how many chunks one statement stores (1 MiB of file):
// few round trips to a remote Postgres in cloud mode, short writes.
const chunksPerWrite = 64

// writeChunks stores the file's bytes as chunk rows, reading it from disk
// 1 MiB at a time. Each write is its own short statement; chunks already
// stored are left as they are, so a crash half-way is repaired by the next
// Reconcile.
func (l *Library) writeChunks(ctx context.Context, m *models.Media) error {
	f, err := os.Open(l.Path(m.SHA256))
	if err != nil {
		return fmt.Errorf("media: unable to read a file for the sync: %w", err)
	}
	defer f.Close()
	buf := make([]byte, chunksPerWrite*models.MediaChunkSize)
	for start := 0; ; start += chunksPerWrite {
		n, err := io.ReadFull(f, buf)
		if n > 0 {
			var chunks [][]byte
			for off := 0; off < n; off += models.MediaChunkSize {
				chunks = append(chunks, buf[off:min(off+models.MediaChunkSize, n)])
			}
			if perr := l.store.PutMediaChunks(ctx, m.SHA256, start, chunks); perr != nil {
				return perr
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("media: unable to read a file for the sync: %w", err)
		}
	}
}

// rebuild writes a file from its chunk rows, checking its size and SHA-256
// before it takes its place. Chunks not here yet give ErrNotHere.
func (l *Library) rebuild(ctx context.Context, m *models.Media) error {
	unlock := l.lock(m.SHA256)
	defer unlock()
	if exists(l.Path(m.SHA256)) {
		return nil
	}
	f, err := l.createTemp("rebuild")
	if err != nil {
		return err
	}
	h := sha256.New()
	w := io.MultiWriter(f, h)
	var size int64
	fail := func(err error) error {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	for idx := 0; size < m.Size; idx++ {
		b, err := l.store.MediaChunk(ctx, m.SHA256, idx)
		if errors.Is(err, models.ErrNotFound) {
			return fail(ErrNotHere)
		}
		if err != nil {
			return fail(err)
		}
		if len(b) == 0 {
			return fail(fmt.Errorf("media: chunk %d of %s is empty", idx, m.SHA256))
		}
		if _, err := w.Write(b); err != nil {
			return fail(fmt.Errorf("media: unable to rebuild a file: %w", err))
		}
		size += int64(len(b))
	}
	if got := hex.EncodeToString(h.Sum(nil)); size != m.Size || got != m.SHA256 {
		err := fmt.Errorf("media: the chunks of %s add up to %d bytes with SHA-256 %s, not %d bytes: the file was not rebuilt", m.SHA256, size, got, m.Size)
		logrus.WithFields(logrus.Fields{"media_id": m.ID, "sha256": m.SHA256, "got_sha256": got, "size": m.Size, "got_size": size}).Error("media: chunks do not match their file")
		return fail(err)
	}
	return commit(f, l.Path(m.SHA256))
}

// ReconcileReport says what Reconcile did.
type ReconcileReport struct {
	Chunked int // files whose chunks were (re)written
	Rebuilt int // files rebuilt from chunks
	Waiting int // files whose chunks have not all arrived
	Removed int // files on disk whose row is gone (deleted on another install)
}

// Reconcile brings disk and chunk rows in line: with chunks on, it writes
// the chunks of files stored before (an install switched to hybrid mode, a
// crash during an upload); it rebuilds files whose rows came through the
// sync; it removes files whose row was deleted (on another install, through
// the sync) and temporary files older than an hour. Run it at start and
// after pulls; it is safe to run at any time.
func (l *Library) Reconcile(ctx context.Context) (ReconcileReport, error) {
	var rep ReconcileReport
	l.removeStaleTemps(time.Hour)
	if l.chunks {
		missing, err := l.store.MediaWithoutChunks(ctx)
		if err != nil {
			return rep, err
		}
		for i := range missing {
			m := &missing[i]
			if !exists(l.Path(m.SHA256)) {
				continue
			}
			if err := l.writeChunks(ctx, m); err != nil {
				return rep, err
			}
			rep.Chunked++
		}
	}
	all, err := l.store.AllMedia(ctx)
	if err != nil {
		return rep, err
	}
	known := make(map[string]bool, len(all))
	for i := range all {
		m := &all[i]
		known[m.SHA256] = true
		if exists(l.Path(m.SHA256)) {
			continue
		}
		switch err := l.rebuild(ctx, m); {
		case errors.Is(err, ErrNotHere):
			rep.Waiting++
		case err != nil:
			return rep, err
		default:
			rep.Rebuilt++
		}
	}
	removed, err := l.removeOrphans(ctx, known)
	rep.Removed = removed
	return rep, err
}

// removeOrphans deletes the files on disk that no row names. Each is checked
// again under its content's lock: an upload holds that lock from the moment
// its file takes its place until its row is stored.
func (l *Library) removeOrphans(ctx context.Context, known map[string]bool) (int, error) {
	dirs, err := os.ReadDir(l.dir)
	if err != nil {
		return 0, nil
	}
	removed := 0
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 || !isHex(d.Name()) {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(l.dir, d.Name()))
		for _, f := range files {
			sum := f.Name()
			if len(sum) != 64 || !isHex(sum) || sum[:2] != d.Name() || known[sum] {
				continue
			}
			unlock := l.lock(sum)
			_, err := l.store.GetMediaBySHA256(ctx, sum)
			if errors.Is(err, models.ErrNotFound) {
				os.Remove(l.Path(sum))
				os.Remove(l.thumbPath(sum))
				removed++
				err = nil
			}
			unlock()
			if err != nil {
				return removed, err
			}
		}
	}
	return removed, nil
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (l *Library) removeStaleTemps(age time.Duration) {
	dir := filepath.Join(l.dir, "tmp")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// extensionFor is the usual extension of a MIME type, for a file uploaded
// without a name.
func extensionFor(mimeType string) string {
	switch mimeType {
	case "image/jpeg":
		return ".jpg"
	case "video/quicktime":
		return ".mov"
	case "video/3gpp":
		return ".3gp"
	}
	if exts, err := mime.ExtensionsByType(mimeType); err == nil && len(exts) > 0 {
		return exts[0]
	}
	return ""
}
