// Package mediatest makes real files of each kind the media library knows,
// for tests: images that decode, video and document headers that sniff.
package mediatest

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// WebP is a 150×100 lossy WebP photo (from golang.org/x/image's test data, BSD licence).
//
//go:embed testdata/pink.webp
var WebP []byte

func picture(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 160, 255})
		}
	}
	return img
}

// PNG returns a w×h PNG photo.
func PNG(w, h int) []byte {
	var b bytes.Buffer
	png.Encode(&b, picture(w, h))
	return b.Bytes()
}

// JPEG returns a w×h JPEG photo.
func JPEG(w, h int) []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, picture(w, h), &jpeg.Options{Quality: 85})
	return b.Bytes()
}

// PNGClaiming returns a valid tiny PNG whose header claims w×h pixels (a
// decompression bomb's header), with a correct header checksum.
func PNGClaiming(w, h uint32) []byte {
	b := PNG(2, 2)
	// Signature (8), IHDR length (4), "IHDR" (4), width, height.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// ISOMedia returns the start of an ISO base media file with this major
// brand and compatible brands, then n bytes of payload.
func ISOMedia(major string, compatible []string, n int) []byte {
	var b bytes.Buffer
	size := 16 + 4*len(compatible)
	binary.Write(&b, binary.BigEndian, uint32(size))
	b.WriteString("ftyp" + major)
	binary.Write(&b, binary.BigEndian, uint32(0x200))
	for _, c := range compatible {
		b.WriteString(c)
	}
	binary.Write(&b, binary.BigEndian, uint32(8+n))
	b.WriteString("mdat")
	b.Write(bytes.Repeat([]byte{0x5a}, n))
	return b.Bytes()
}

// MP4 returns an MP4 video's start with n bytes of payload.
func MP4(n int) []byte { return ISOMedia("isom", []string{"isom", "iso2", "avc1", "mp41"}, n) }

// PDF returns a PDF document of at least n bytes.
func PDF(n int) []byte {
	b := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n")
	for len(b) < n {
		b = append(b, "% filler line of a test document\n"...)
	}
	return append(b, "%%EOF\n"...)
}

// JPEGOriented returns a w×h JPEG, red on its left half and blue on its
// right, with EXIF orientation o (6: turn 90° clockwise to show).
func JPEGOriented(w, h int, o uint16) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.Set(x, y, c)
		}
	}
	var j bytes.Buffer
	jpeg.Encode(&j, img, &jpeg.Options{Quality: 95})
	// APP1: "Exif\0\0", a big-endian TIFF header and one IFD entry.
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8))
	binary.Write(&tiff, binary.BigEndian, uint16(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3})
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{o, 0})
	binary.Write(&tiff, binary.BigEndian, uint32(0))
	app1 := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write(j.Bytes()[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(app1)+2))
	out.Write(app1)
	out.Write(j.Bytes()[2:])
	return out.Bytes()
}
