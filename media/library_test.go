package media_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

func readAll(t *testing.T, l *media.Library, m *models.Media) []byte {
	t.Helper()
	f, err := l.Open(context.Background(), m)
	if err != nil {
		t.Fatalf("open %s: %v", m.Name, err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	return b
}

// tmpFiles lists what is left in the library's temporary directory.
func tmpFiles(dir string) []string {
	entries, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestLibrarySave(t *testing.T) {
	ctx := context.Background()
	store := testdb.SQLite(t)
	dir := t.TempDir()
	l := media.New(store, media.Options{Dir: dir, DocumentMax: 1 << 20})

	photo := mediatest.PNG(800, 600)
	m, created, err := l.Save(ctx, "../Diwali offer.pdf", bytes.NewReader(photo))
	if err != nil || !created {
		t.Fatalf("save = %v, %v", created, err)
	}
	if m.Kind != models.MediaPhoto || m.MimeType != "image/png" || m.Width != 800 || m.Height != 600 || m.Name != "Diwali offer.pdf" || m.Size != int64(len(photo)) {
		t.Fatalf("saved %+v", m)
	}
	// Stored by content, never by name.
	if b, err := os.ReadFile(filepath.Join(dir, m.SHA256[:2], m.SHA256)); err != nil || !bytes.Equal(b, photo) {
		t.Fatalf("file on disk: %v", err)
	}
	// The thumbnail is a JPEG of at most 320 px.
	p, err := l.Thumbnail(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	tf, _ := os.Open(p)
	cfg, err := jpeg.DecodeConfig(tf)
	tf.Close()
	if err != nil || cfg.Width != 320 || cfg.Height != 240 {
		t.Fatalf("thumbnail %dx%d, %v", cfg.Width, cfg.Height, err)
	}

	// The same bytes again: stored once.
	again, created, err := l.Save(ctx, "copy.png", bytes.NewReader(photo))
	if err != nil || created || again.ID != m.ID {
		t.Fatalf("second save = %+v, %v, %v", again, created, err)
	}
	var rows int64
	testdb.Gorm(store).Raw(`SELECT COUNT(*) FROM media`).Scan(&rows)
	if rows != 1 {
		t.Fatalf("%d rows after the same file twice", rows)
	}

	webp, _, err := l.Save(ctx, "rose", bytes.NewReader(mediatest.WebP))
	if err != nil || webp.Kind != models.MediaPhoto || webp.Width != 150 || webp.Height != 100 {
		t.Fatalf("webp = %+v, %v", webp, err)
	}
	if _, err := l.Thumbnail(ctx, webp); err != nil {
		t.Fatalf("webp thumbnail: %v", err)
	}
	noName, _, err := l.Save(ctx, "", bytes.NewReader(mediatest.PDF(300)))
	if err != nil || noName.Name != "untitled.pdf" || noName.Kind != models.MediaDocument {
		t.Fatalf("no name = %+v, %v", noName, err)
	}
	if _, err := l.Thumbnail(ctx, noName); !errors.Is(err, media.ErrNoThumbnail) {
		t.Fatalf("document thumbnail: %v", err)
	}

	// Refusals keep nothing: no row, no file, no temporary file.
	for _, tc := range []struct {
		name    string
		data    io.Reader
		tooBig  bool
		message string
	}{
		{"big.pdf", bytes.NewReader(mediatest.PDF(1<<20 + 1)), true, "larger than 1 MB, the most a document may be (SAMBAD_MEDIA_MAX_MB)"},
		{"big.png", io.MultiReader(bytes.NewReader(photo), strings.NewReader(strings.Repeat("x", media.PhotoVideoMax))), true, "is a photo larger than 16 MB"},
		{"big.mp4", bytes.NewReader(mediatest.MP4(media.PhotoVideoMax)), true, "is a video larger than 16 MB"},
		{"broken.png", bytes.NewReader(photo[:40]), false, "cannot be"},
		{"bomb.png", bytes.NewReader(mediatest.PNGClaiming(100_000, 100_000)), false, "100000 × 100000 pixels; the most Sambad accepts is 50 megapixels"},
		{"empty.pdf", strings.NewReader(""), false, "the file is empty"},
	} {
		_, _, err := l.Save(ctx, tc.name, tc.data)
		var tl *media.TooLargeError
		var inv *media.InvalidError
		if tc.tooBig && !errors.As(err, &tl) || !tc.tooBig && !errors.As(err, &inv) {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.message) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s: message %q", tc.name, err)
		}
	}
	if left := tmpFiles(dir); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	testdb.Gorm(store).Raw(`SELECT COUNT(*) FROM media`).Scan(&rows)
	if rows != 3 {
		t.Fatalf("%d rows after the refusals, want 3", rows)
	}

	// Delete removes the row, the file and the thumbnail.
	if _, err := l.Delete(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{l.Path(m.SHA256), p} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still there after delete: %v", p, err)
		}
	}
}

// TestChunksRebuildAFile: with chunks on, an install that has the row and
// the chunks but not the file rebuilds it, checking its SHA-256; chunks that
// do not add up are refused.
func TestChunksRebuildAFile(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		a := media.New(store, media.Options{Dir: t.TempDir(), Chunks: true})
		doc := mediatest.PDF(3*models.MediaChunkSize + 1000)
		m, _, err := a.Save(ctx, "price list.pdf", bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		var chunks int64
		testdb.Gorm(store).Raw(`SELECT COUNT(*) FROM media_chunks WHERE sha256 = ?`, m.SHA256).Scan(&chunks)
		if chunks != 4 {
			t.Fatalf("%d chunks for %d bytes", chunks, len(doc))
		}
		// Another install on the same database (cloud mode) has no file yet.
		b := media.New(store, media.Options{Dir: t.TempDir(), Chunks: true})
		if got := readAll(t, b, m); !bytes.Equal(got, doc) {
			t.Fatalf("rebuilt %d bytes, want %d", len(got), len(doc))
		}
		// A third whose chunks were tampered with refuses to rebuild.
		one, _ := store.MediaChunk(ctx, m.SHA256, 1)
		one[100] ^= 0xff
		testdb.Gorm(store).Exec(`UPDATE media_chunks SET data = ? WHERE sha256 = ? AND idx = 1`, base64.StdEncoding.EncodeToString(one), m.SHA256)
		c := media.New(store, media.Options{Dir: t.TempDir()})
		if f, err := c.Open(ctx, m); err == nil || !strings.Contains(err.Error(), "not rebuilt") {
			if f != nil {
				f.Close()
			}
			t.Fatalf("open with a bad chunk: %v", err)
		}
		testdb.Gorm(store).Exec(`DELETE FROM media_chunks WHERE sha256 = ? AND idx = 3`, m.SHA256)
		if _, err := c.Open(ctx, m); !errors.Is(err, media.ErrNotHere) {
			t.Fatalf("open with a chunk missing: %v", err)
		}
	})
}

// TestReconcileWritesMissingChunks: files stored before chunks were on (an
// install switched to hybrid mode) get their chunks.
func TestReconcileWritesMissingChunks(t *testing.T) {
	ctx := context.Background()
	store := testdb.SQLite(t)
	dir := t.TempDir()
	local := media.New(store, media.Options{Dir: dir})
	m, _, err := local.Save(ctx, "a.jpg", bytes.NewReader(mediatest.JPEG(600, 400)))
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "tmp", "upload-stale")
	os.WriteFile(stale, []byte("x"), 0o600)
	os.Chtimes(stale, time.Now().Add(-2*time.Hour), time.Now().Add(-2*time.Hour))
	hybrid := media.New(store, media.Options{Dir: dir, Chunks: true})
	rep, err := hybrid.Reconcile(ctx)
	if err != nil || rep.Chunked != 1 {
		t.Fatalf("reconcile = %+v, %v", rep, err)
	}
	if _, err := store.MediaChunk(ctx, m.SHA256, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("a stale temporary file stayed: %v", err)
	}
	if rep, _ := hybrid.Reconcile(ctx); rep != (media.ReconcileReport{}) {
		t.Fatalf("second reconcile did %+v", rep)
	}
}

// TestHybridInstallsShareFiles: a file uploaded on one hybrid install
// reaches the other through the outbox, Postgres and the pull, and the
// other rebuilds the same bytes.
func TestHybridInstallsShareFiles(t *testing.T) {
	ctx := context.Background()
	url := testdb.PostgresURL(t)
	cloud, err := models.Open(ctx, models.OpenOptions{DatabaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer cloud.Close()
	install := func() (*models.Store, *media.Library, *syncer.Worker) {
		s := testdb.SQLite(t)
		w := &syncer.Worker{Local: testdb.DB(s), CloudURL: url, Interval: 100 * time.Millisecond, OpTimeout: 30 * time.Second}
		round(t, w)
		return s, media.New(s, media.Options{Dir: t.TempDir(), Chunks: true}), w
	}
	_, libA, wA := install()
	storeB, libB, wB := install()

	doc := mediatest.PDF(2*models.MediaChunkSize + 77)
	photo := mediatest.JPEG(1000, 700)
	d, _, err := libA.Save(ctx, "Price list ₹.pdf", bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := libA.Save(ctx, "offer.jpg", bytes.NewReader(photo))
	if err != nil {
		t.Fatal(err)
	}
	round(t, wA)
	round(t, wB)
	for _, want := range []struct {
		m     *models.Media
		bytes []byte
	}{{d, doc}, {p, photo}} {
		got, err := storeB.GetMedia(ctx, want.m.ID)
		if err != nil || got.SHA256 != want.m.SHA256 || got.Name != want.m.Name {
			t.Fatalf("install B has %+v, %v", got, err)
		}
		if b := readAll(t, libB, got); !bytes.Equal(b, want.bytes) {
			t.Fatalf("install B rebuilt %d bytes of %s, want %d", len(b), got.Name, len(want.bytes))
		}
	}
	if _, err := libB.Thumbnail(ctx, p); err != nil {
		t.Fatalf("thumbnail on install B: %v", err)
	}
	// A delete travels too.
	if _, err := libA.Delete(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	round(t, wA)
	round(t, wB)
	if _, err := storeB.GetMedia(ctx, d.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("after the delete install B has: %v", err)
	}
	// B's reconcile removes the file it had rebuilt; the photo stays.
	if rep, err := libB.Reconcile(ctx); err != nil || rep.Removed != 1 {
		t.Fatalf("reconcile on B = %+v, %v", rep, err)
	}
	if _, err := os.Stat(libB.Path(d.SHA256)); !os.IsNotExist(err) {
		t.Fatalf("B keeps the deleted file: %v", err)
	}
	if _, err := os.Stat(libB.Path(p.SHA256)); err != nil {
		t.Fatalf("B lost the photo: %v", err)
	}
	var chunks int64
	testdb.Gorm(storeB).Raw(`SELECT COUNT(*) FROM media_chunks WHERE sha256 = ?`, d.SHA256).Scan(&chunks)
	if chunks != 0 {
		t.Fatalf("install B keeps %d chunks of the deleted file", chunks)
	}
}

func round(t *testing.T, w *syncer.Worker) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := w.Round(ctx); err != nil {
		t.Fatalf("sync round: %v", err)
	}
}
