package media

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/sambad/sambad/models"
)

// sniffLen is how many leading bytes Sniff looks at.
const sniffLen = 512

// Sniff tells a file's kind and MIME type from its first bytes, never from
// its name: JPEG, PNG and WebP are photos; MP4, 3GP and MOV are videos;
// anything else is a document. name only refines a document's MIME type
// (an XLSX is a ZIP inside).
func Sniff(head []byte, name string) (kind, mimeType string) {
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	if t := sniffISOMedia(head); t != "" {
		if t == "video/mp4" || t == "video/3gpp" || t == "video/quicktime" {
			return models.MediaVideo, t
		}
		return models.MediaDocument, t
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP" {
		return models.MediaPhoto, "image/webp"
	}
	t := http.DetectContentType(head)
	switch t {
	case "image/jpeg", "image/png":
		return models.MediaPhoto, t
	case "application/zip":
		if office, ok := officeTypes[strings.ToLower(filepath.Ext(name))]; ok {
			return models.MediaDocument, office
		}
	}
	return models.MediaDocument, t
}

// officeTypes are the Office Open XML formats, which are ZIP files.
var officeTypes = map[string]string{
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

// sniffISOMedia reads an ISO base media file's leading ftyp box (MP4, 3GP,
// MOV, and also HEIC, AVIF, M4A) and returns its MIME type, or "" when the
// file does not start with one. The major brand decides; an unknown major
// brand falls back to the compatible brands.
func sniffISOMedia(head []byte) string {
	if len(head) < 12 || string(head[4:8]) != "ftyp" {
		return ""
	}
	size := int(binary.BigEndian.Uint32(head[:4]))
	if size < 16 || size%4 != 0 {
		size = 12
	}
	if size > len(head) {
		size = len(head) - len(head)%4
	}
	brands := [][]byte{head[8:12]}
	for off := 16; off+4 <= size; off += 4 {
		brands = append(brands, head[off:off+4])
	}
	for _, b := range brands {
		if t := brandType(b); t != "" {
			return t
		}
	}
	return "application/octet-stream"
}

func brandType(b []byte) string {
	switch {
	case bytes.Equal(b, []byte("qt  ")):
		return "video/quicktime"
	case bytes.HasPrefix(b, []byte("3gp")), bytes.HasPrefix(b, []byte("3ge")), bytes.HasPrefix(b, []byte("3gg")):
		return "video/3gpp"
	case bytes.HasPrefix(b, []byte("iso")), bytes.HasPrefix(b, []byte("mp4")), bytes.Equal(b, []byte("avc1")),
		bytes.Equal(b, []byte("dash")), bytes.Equal(b, []byte("M4V ")), bytes.Equal(b, []byte("mmp4")), bytes.Equal(b, []byte("MSNV")):
		return "video/mp4"
	case bytes.Equal(b, []byte("M4A ")), bytes.Equal(b, []byte("M4B ")):
		return "audio/mp4"
	case bytes.Equal(b, []byte("heic")), bytes.Equal(b, []byte("heix")), bytes.Equal(b, []byte("mif1")), bytes.Equal(b, []byte("msf1")):
		return "image/heic"
	case bytes.Equal(b, []byte("avif")), bytes.Equal(b, []byte("avis")):
		return "image/avif"
	}
	return ""
}
