package media_test

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	"os"
	"testing"

	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/media"
)

// TestThumbnailFollowsEXIFOrientation: a phone photo stored sideways with
// orientation 6 gets an upright thumbnail, and its recorded size is the
// one people see.
func TestThumbnailFollowsEXIFOrientation(t *testing.T) {
	ctx := context.Background()
	l := media.New(testdb.SQLite(t), media.Options{Dir: t.TempDir()})
	m, _, err := l.Save(ctx, "phone.jpg", bytes.NewReader(mediatest.JPEGOriented(400, 200, 6)))
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 200 || m.Height != 400 {
		t.Fatalf("recorded %d×%d, want 200×400", m.Width, m.Height)
	}
	p, err := l.Thumbnail(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(p)
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 160 || b.Dy() != 320 {
		t.Fatalf("thumbnail %v, want 160×320", b)
	}
	// The photo's left half (red) is at the top once turned clockwise.
	top, _, topB, _ := img.At(80, 60).RGBA()
	_, _, bottomB, _ := img.At(80, 260).RGBA()
	if top < topB || bottomB < 0x8000 {
		t.Fatalf("thumbnail not turned: top %x/%x, bottom blue %x", top, topB, bottomB)
	}
}
