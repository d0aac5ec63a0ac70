// Package media is Sambad's media library: photos, videos and documents that
// campaigns send. Files are stored by content under <data dir>/media (the
// uploader's file name is kept as data, never used as a path), typed by
// sniffing their bytes, and written through a temporary file, fsync and
// rename, so a crash never leaves half a file under a real name. In hybrid
// and cloud mode each file's bytes are also stored as chunk rows, which the
// sync carries to the other installs; an install rebuilds a file it lacks
// from them and checks its SHA-256.
package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// PhotoVideoMax is WhatsApp's own limit for a photo or a video.
const PhotoVideoMax = 16 << 20

// MaxNameLen bounds the original file name kept with a file.
const MaxNameLen = 200

// Store is what the library needs from the database.
type Store interface {
	CreateMedia(ctx context.Context, m *models.Media) (bool, error)
	GetMedia(ctx context.Context, id string) (*models.Media, error)
	GetMediaBySHA256(ctx context.Context, sum string) (*models.Media, error)
	DeleteMedia(ctx context.Context, id string) (*models.Media, error)
	PutMediaChunks(ctx context.Context, sum string, start int, chunks [][]byte) error
	MediaChunk(ctx context.Context, sum string, idx int) ([]byte, error)
	MediaWithoutChunks(ctx context.Context) ([]models.Media, error)
	AllMedia(ctx context.Context) ([]models.Media, error)
}

// Options configure a Library.
type Options struct {
	// Dir is where files live: <data dir>/media.
	Dir string
	// DocumentMax is the largest document in bytes (SAMBAD_MEDIA_MAX_MB).
	DocumentMax int64
	// Chunks stores every file's bytes as chunk rows too, for the sync
	// (hybrid and cloud mode).
	Chunks bool
}

// Library stores and serves media files.
type Library struct {
	store  Store
	dir    string
	docMax int64
	chunks bool
	// locks serialise the steps that tie a file on disk to its row (store,
	// delete, rebuild) per content, striped by the SHA-256's first byte.
	locks [256]sync.Mutex
}

// New returns a library over store, keeping files in o.Dir.
func New(store Store, o Options) *Library {
	if o.DocumentMax <= 0 {
		o.DocumentMax = 100 << 20
	}
	return &Library{store: store, dir: o.Dir, docMax: o.DocumentMax, chunks: o.Chunks}
}

// DocumentMax is the largest document the library accepts, in bytes.
func (l *Library) DocumentMax() int64 { return l.docMax }

func (l *Library) lock(sum string) func() {
	b, _ := hex.DecodeString(sum[:2])
	mu := &l.locks[b[0]]
	mu.Lock()
	return mu.Unlock
}

// Path is where the file with this content is (or will be) on disk.
func (l *Library) Path(sum string) string { return filepath.Join(l.dir, sum[:2], sum) }

func (l *Library) thumbPath(sum string) string {
	return filepath.Join(l.dir, "thumbs", sum[:2], sum+".jpg")
}

// limit returns the most bytes a file of this kind may have, and the
// setting that raises it ("" for WhatsApp's own limit).
func (l *Library) limit(kind string) (int64, string) {
	if kind == models.MediaDocument {
		return l.docMax, "SAMBAD_MEDIA_MAX_MB"
	}
	return PhotoVideoMax, ""
}

// Save streams one uploaded file to disk: it sniffs the first bytes, copies
// the rest while hashing it, and stops one byte past the kind's limit. A
// file already in the library is stored once: Save returns its row and
// false.
func (l *Library) Save(ctx context.Context, name string, r io.Reader) (*models.Media, bool, error) {
	name = cleanName(name)
	f, err := l.createTemp("upload")
	if err != nil {
		return nil, false, err
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	src := &sourceReader{r: r}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(src, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, false, &IncompleteError{Name: name, Err: err}
	}
	head = head[:n]
	if n == 0 {
		return nil, false, &InvalidError{Name: name, Msg: "the file is empty"}
	}
	kind, mimeType := Sniff(head, name)
	limit, setting := l.limit(kind)
	h := sha256.New()
	w := io.MultiWriter(f, h)
	if _, err := w.Write(head); err != nil {
		return nil, false, fmt.Errorf("media: unable to write the upload: %w", err)
	}
	buf := make([]byte, 256<<10)
	copied, err := io.CopyBuffer(w, io.LimitReader(src, limit+1-int64(n)), buf)
	if src.err != nil {
		return nil, false, &IncompleteError{Name: name, Err: src.err}
	}
	if err != nil {
		return nil, false, fmt.Errorf("media: unable to store the upload: %w", err)
	}
	size := int64(n) + copied
	if size > limit {
		return nil, false, &TooLargeError{Name: name, Kind: kind, Limit: limit, Setting: setting}
	}
	m := &models.Media{SHA256: hex.EncodeToString(h.Sum(nil)), Kind: kind, MimeType: mimeType, Size: size, Name: name}
	if m.Name == "" {
		m.Name = "untitled" + extensionFor(mimeType)
	}
	if kind == models.MediaPhoto {
		if m.Width, m.Height, err = imageSize(f.Name()); err != nil {
			setName(err, name)
			return nil, false, err
		}
		if mimeType == "image/jpeg" && jpegOrientation(f.Name()) >= 5 {
			// Shown turned a quarter: record the size people see.
			m.Width, m.Height = m.Height, m.Width
		}
	}
	done = true
	return l.keep(ctx, f, m)
}

// sourceReader remembers the error of the upload's reader, so that a cut
// connection is told apart from a full disk.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// keep moves a received file into the store and records it, or returns the
// row of the same content already stored.
func (l *Library) keep(ctx context.Context, f *os.File, m *models.Media) (*models.Media, bool, error) {
	unlock := l.lock(m.SHA256)
	defer unlock()
	dst := l.Path(m.SHA256)
	have, err := l.store.GetMediaBySHA256(ctx, m.SHA256)
	if err == nil {
		if exists(dst) {
			f.Close()
			os.Remove(f.Name())
		} else if err := commit(f, dst); err != nil {
			// The row came from another install; this upload brings its bytes.
			return nil, false, err
		}
		return have, false, nil
	}
	if !isNotFound(err) {
		f.Close()
		os.Remove(f.Name())
		return nil, false, err
	}
	if err := commit(f, dst); err != nil {
		return nil, false, err
	}
	if m.Kind == models.MediaPhoto {
		if err := l.makeThumbnail(m.SHA256); err != nil {
			setName(err, m.Name)
			os.Remove(dst)
			return nil, false, err
		}
	}
	if l.chunks {
		// Chunks before the row: an install that pulls the row finds them.
		if err := l.writeChunks(ctx, m); err != nil {
			return nil, false, err
		}
	}
	created, err := l.store.CreateMedia(ctx, m)
	if err != nil {
		return nil, false, err
	}
	return m, created, nil
}

// Open returns the file's content, rebuilding it from its chunks when the
// row reached this install before the bytes did.
func (l *Library) Open(ctx context.Context, m *models.Media) (*os.File, error) {
	f, err := os.Open(l.Path(m.SHA256))
	if err == nil {
		return f, nil
	}
	if !os.IsNotExist(err) {
		return nil, fmt.Errorf("media: %w", err)
	}
	if err := l.rebuild(ctx, m); err != nil {
		return nil, err
	}
	f, err = os.Open(l.Path(m.SHA256))
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return f, nil
}

// Thumbnail returns the path of a photo's thumbnail, made now if it is not
// cached yet (a file that came through the sync).
func (l *Library) Thumbnail(ctx context.Context, m *models.Media) (string, error) {
	if m.Kind != models.MediaPhoto {
		return "", ErrNoThumbnail
	}
	p := l.thumbPath(m.SHA256)
	if exists(p) {
		return p, nil
	}
	f, err := l.Open(ctx, m)
	if err != nil {
		return "", err
	}
	f.Close()
	if err := l.makeThumbnail(m.SHA256); err != nil {
		return "", err
	}
	return p, nil
}

func (l *Library) makeThumbnail(sum string) error {
	src := l.Path(sum)
	if _, _, err := imageSize(src); err != nil {
		return err
	}
	return l.writeAtomic(l.thumbPath(sum), func(w io.Writer) error { return writeThumbnail(src, w) })
}

// Delete deletes a file's row (refused while an unfinished campaign uses
// it) and then its bytes and thumbnail.
func (l *Library) Delete(ctx context.Context, id string) (*models.Media, error) {
	m, err := l.store.GetMedia(ctx, id)
	if err != nil {
		return nil, err
	}
	unlock := l.lock(m.SHA256)
	defer unlock()
	m, err = l.store.DeleteMedia(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, p := range []string{l.Path(m.SHA256), l.thumbPath(m.SHA256)} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			logrus.WithFields(logrus.Fields{"path": p, "error": err}).Error("media: unable to remove a deleted file")
		}
	}
	return m, nil
}

func isNotFound(err error) bool { return errors.Is(err, models.ErrNotFound) }

// cleanName keeps the base name of an uploaded file, without control
// characters, at most MaxNameLen characters.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > MaxNameLen {
		ext := filepath.Ext(name)
		if utf8.RuneCountInString(ext) > 20 {
			ext = ""
		}
		r := []rune(strings.TrimSuffix(name, ext))
		name = string(r[:MaxNameLen-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}

func setName(err error, name string) {
	if ie, ok := err.(*InvalidError); ok && ie.Name == "" {
		ie.Name = name
	}
}
