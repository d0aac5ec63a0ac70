// Package pdfprint prints HTML documents to PDF with a headless Chromium of
// its own.
//
// The browser is not WhatsApp's: it starts on a throwaway profile under the
// data directory's tmp, for one document, and is closed and its profile
// removed afterwards. So a PDF can be made when WhatsApp is not linked, when
// its browser is busy sending, or with SAMBAD_NO_BROWSER, and nothing a
// report holds ever lands in the WhatsApp profile. Chromium lays the text out
// with HarfBuzz and the system's fonts, so Devanagari, Arabic and emoji come
// out shaped as on the page (given the fonts: the Docker image installs
// fonts-noto-core and fonts-noto-color-emoji).
package pdfprint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/sambad/sambad/launcher"
)

// ErrBusy is returned when another document is being printed and ctx ended
// before it finished.
var ErrBusy = errors.New("pdfprint: another PDF is being made; try again in a moment")

// Printer makes PDFs. One document at a time: a printing Chromium holds
// 100-200 MiB, and two at once on a small machine would starve the
// WhatsApp browser.
type Printer struct {
	opts launcher.Options
	slot chan struct{}
}

// New returns a printer that starts the browser opts resolve (ChromePath,
// the bundled or the system Chromium; never a download).
func New(opts launcher.Options) *Printer {
	opts.Headless = true
	opts.AllowDownload = false
	opts.SingleProcess = false
	if opts.LaunchTimeout == 0 {
		opts.LaunchTimeout = 45 * time.Second
	}
	return &Printer{opts: opts, slot: make(chan struct{}, 1)}
}

// Page is the paper and the running footer of a document.
type Page struct {
	// Footer is plain text printed at the bottom left of every page, beside
	// "page N of M".
	Footer string
	// Landscape turns the paper.
	Landscape bool
}

// Print renders html (a whole document, styles inline: nothing is fetched)
// and writes the PDF to w. Nothing is written to w unless printing worked.
func (p *Printer) Print(ctx context.Context, html string, pg Page, w io.Writer) error {
	select {
	case p.slot <- struct{}{}:
		defer func() { <-p.slot }()
	case <-ctx.Done():
		return ErrBusy
	}
	tmp := p.opts.TempDir()
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return fmt.Errorf("pdfprint: unable to create temp directory: %w", err)
	}
	profile, err := os.MkdirTemp(tmp, "pdf-profile-")
	if err != nil {
		return fmt.Errorf("pdfprint: unable to create a profile: %w", err)
	}
	defer os.RemoveAll(profile)
	opts := p.opts
	opts.Profile = profile
	chrome, err := launcher.Launch(ctx, opts)
	if err != nil {
		return fmt.Errorf("pdfprint: unable to start Chromium: %w", err)
	}
	defer chrome.Close()

	page, err := chrome.Browser.Context(ctx).Page(proto.TargetCreateTarget{URL: "about:blank"})
	if err != nil {
		return fmt.Errorf("pdfprint: unable to open a page: %w", err)
	}
	if err := page.SetDocumentContent(html); err != nil {
		return fmt.Errorf("pdfprint: unable to load the document: %w", err)
	}
	// Fonts load asynchronously; printing before they are ready gives blank glyphs.
	if _, err := page.Eval(`() => document.fonts.ready.then(() => true)`); err != nil {
		return fmt.Errorf("pdfprint: unable to wait for fonts: %w", err)
	}
	r, err := page.PDF(&proto.PagePrintToPDF{
		Landscape:           pg.Landscape,
		PrintBackground:     true,
		PaperWidth:          ptr(8.27), // A4
		PaperHeight:         ptr(11.69),
		MarginTop:           ptr(0.5),
		MarginBottom:        ptr(0.6),
		MarginLeft:          ptr(0.5),
		MarginRight:         ptr(0.5),
		DisplayHeaderFooter: true,
		HeaderTemplate:      "<span></span>",
		FooterTemplate:      footer(pg.Footer),
	})
	if err != nil {
		return fmt.Errorf("pdfprint: unable to print: %w", err)
	}
	if _, err := io.Copy(w, r); err != nil {
		return fmt.Errorf("pdfprint: unable to read the PDF: %w", err)
	}
	return nil
}

func ptr(f float64) *float64 { return &f }
