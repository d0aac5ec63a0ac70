package media

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // decoder: PNG photos
	"io"
	"os"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // decoder: WebP photos
)

// Image limits. A decoded image costs 3-4 bytes a pixel: a small file can
// claim billions of pixels (a decompression bomb), so dimensions are read
// from the header and checked before anything is decoded.
const (
	MaxPixels     = 50_000_000
	ThumbnailSide = 320
)

// decodeSlots lets one image be decoded at a time: a 50-megapixel photo
// takes up to 200 MB while it is scaled down.
var decodeSlots = make(chan struct{}, 1)

// imageSize reads a photo's dimensions from its header and refuses what
// cannot be decoded or is too large to decode safely.
func imageSize(path string) (w, h int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, fmt.Errorf("media: %w", err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return 0, 0, &InvalidError{Msg: "the image cannot be read (" + err.Error() + "): it may be damaged or only partly uploaded"}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, &InvalidError{Msg: "the image has no pixels"}
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return 0, 0, &InvalidError{Msg: fmt.Sprintf("the image is %d × %d pixels; the most Sambad accepts is %d megapixels: scale it down and upload it again",
			cfg.Width, cfg.Height, MaxPixels/1_000_000)}
	}
	return cfg.Width, cfg.Height, nil
}

// writeThumbnail decodes the photo at src (checked by imageSize first) and
// writes a JPEG at most ThumbnailSide pixels wide and high to w.
// Transparent areas become white.
func writeThumbnail(src string, w io.Writer) error {
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	defer f.Close()
	img, format, err := image.Decode(bufio.NewReader(f))
	if err != nil {
		return &InvalidError{Msg: "the image cannot be decoded (" + err.Error() + "): it may be damaged or only partly uploaded"}
	}
	b := img.Bounds()
	tw, th := b.Dx(), b.Dy()
	if tw > ThumbnailSide || th > ThumbnailSide {
		if tw >= th {
			tw, th = ThumbnailSide, max(1, b.Dy()*ThumbnailSide/b.Dx())
		} else {
			tw, th = max(1, b.Dx()*ThumbnailSide/b.Dy()), ThumbnailSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.BiLinear.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	if format == "jpeg" {
		dst = orient(dst, jpegOrientation(src))
	}
	if err := jpeg.Encode(w, dst, &jpeg.Options{Quality: 82}); err != nil {
		return fmt.Errorf("media: unable to encode a thumbnail: %w", err)
	}
	return nil
}
