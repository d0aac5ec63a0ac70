package media

import (
	"testing"

	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/models"
)

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		data       []byte
		kind, mime string
	}{
		{"png named pdf", "offer.pdf", mediatest.PNG(4, 4), models.MediaPhoto, "image/png"},
		{"jpeg", "a.png", mediatest.JPEG(4, 4), models.MediaPhoto, "image/jpeg"},
		{"webp", "a.bin", mediatest.WebP, models.MediaPhoto, "image/webp"},
		{"pdf named jpg", "photo.jpg", mediatest.PDF(100), models.MediaDocument, "application/pdf"},
		{"mp4", "clip.pdf", mediatest.MP4(100), models.MediaVideo, "video/mp4"},
		{"mp4 brand mp42", "x", mediatest.ISOMedia("mp42", []string{"mp42", "isom"}, 10), models.MediaVideo, "video/mp4"},
		{"3gp", "x", mediatest.ISOMedia("3gp5", []string{"3gp5", "isom"}, 10), models.MediaVideo, "video/3gpp"},
		{"mov", "x.mp4", mediatest.ISOMedia("qt  ", []string{"qt  "}, 10), models.MediaVideo, "video/quicktime"},
		{"unknown major, mp4 compatible", "x", mediatest.ISOMedia("XYZW", []string{"XYZW", "mp41"}, 10), models.MediaVideo, "video/mp4"},
		{"heic is a document", "x.jpg", mediatest.ISOMedia("heic", []string{"mif1", "heic"}, 10), models.MediaDocument, "image/heic"},
		{"m4a is a document", "x.mp4", mediatest.ISOMedia("M4A ", []string{"M4A ", "isom"}, 10), models.MediaDocument, "audio/mp4"},
		{"xlsx", "prices.xlsx", append([]byte("PK\x03\x04"), make([]byte, 60)...), models.MediaDocument, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"zip named png", "x.png", append([]byte("PK\x03\x04"), make([]byte, 60)...), models.MediaDocument, "application/zip"},
		{"gif is a document", "x.gif", []byte("GIF89a\x01\x00\x01\x00"), models.MediaDocument, "image/gif"},
		{"text", "notes.jpg", []byte("hello there\n"), models.MediaDocument, "text/plain; charset=utf-8"},
		{"riff but not webp", "x.webp", []byte("RIFF\x10\x00\x00\x00WAVEfmt "), models.MediaDocument, "audio/wave"},
	} {
		kind, mime := Sniff(tc.data, tc.file)
		if kind != tc.kind || mime != tc.mime {
			t.Errorf("%s: got %s %s, want %s %s", tc.name, kind, mime, tc.kind, tc.mime)
		}
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"Price list.pdf":          "Price list.pdf",
		"../../etc/passwd":        "passwd",
		`C:\Users\asha\offer.png`: "offer.png",
		"bad\x00\nname.txt":       "badname.txt",
		"  spaced.pdf  ":          "spaced.pdf",
		"/":                       "",
		"":                        "",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
	long := cleanName(string(make([]rune, 0)) + stringsRepeat("ä", 300) + ".pdf")
	if n := len([]rune(long)); n != MaxNameLen || long[len(long)-4:] != ".pdf" {
		t.Errorf("a long name became %d characters: %q", n, long)
	}
}

func stringsRepeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}
