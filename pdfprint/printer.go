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
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/sambad/sambad/launcher"
)

// ErrBusy is returned when another document is being printed and ctx ended
// before it finished.
var ErrBusy = errors.New("pdfprint: another PDF is being made; try again in a moment")

// Printer makes PDFs. One document at a time: Chromium's renderer holds
// every page's paint while it prints (about 1 GiB for a 5,000-row table,
// BENCHMARKS.md), and two at once on a small machine would starve the
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
// and writes the PDF to w. An error while the PDF streams in leaves part of
// it in w: a caller that answers a request prints into a buffer first.
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
	// A file parses at the HTML parser's speed; document.write of a large
	// document (SetDocumentContent) took seconds.
	doc := filepath.Join(profile, "document.html")
	if err := os.WriteFile(doc, []byte(html), 0o600); err != nil {
		return fmt.Errorf("pdfprint: unable to write the document: %w", err)
	}
	if err := page.Navigate((&url.URL{Scheme: "file", Path: doc}).String()); err != nil {
		return fmt.Errorf("pdfprint: unable to load the document: %w", err)
	}
	if err := page.WaitLoad(); err != nil {
		return fmt.Errorf("pdfprint: unable to load the document: %w", err)
	}
	// Fonts load asynchronously; printing before they are ready gives blank glyphs.
	if _, err := page.Eval(`() => document.fonts.ready.then(() => true)`); err != nil {
		return fmt.Errorf("pdfprint: unable to wait for fonts: %w", err)
	}
	r, err := printToPDF(page, printParams{
		Landscape:           pg.Landscape,
		PrintBackground:     true,
		PaperWidth:          8.27, // A4
		PaperHeight:         11.69,
		MarginTop:           0.5,
		MarginBottom:        0.6,
		MarginLeft:          0.5,
		MarginRight:         0.5,
		DisplayHeaderFooter: true,
		HeaderTemplate:      "<span></span>",
		FooterTemplate:      footer(pg.Footer),
		TransferMode:        "ReturnAsStream",
	})
	if err != nil {
		return fmt.Errorf("pdfprint: unable to print: %w", err)
	}
	if _, err := io.Copy(w, r); err != nil {
		return fmt.Errorf("pdfprint: unable to read the PDF: %w", err)
	}
	return nil
}

// printParams are Page.printToPDF's parameters. rod's PagePrintToPDF drops
// a false generateTaggedPDF (omitempty), and Chromium's default is a tagged
// PDF, whose structure tree made a 5,000-row report take 15 s instead of
// a few (BENCHMARKS.md): so the call is made with these fields, all sent.
type printParams struct {
	Landscape           bool    `json:"landscape"`
	PrintBackground     bool    `json:"printBackground"`
	PaperWidth          float64 `json:"paperWidth"`
	PaperHeight         float64 `json:"paperHeight"`
	MarginTop           float64 `json:"marginTop"`
	MarginBottom        float64 `json:"marginBottom"`
	MarginLeft          float64 `json:"marginLeft"`
	MarginRight         float64 `json:"marginRight"`
	DisplayHeaderFooter bool    `json:"displayHeaderFooter"`
	HeaderTemplate      string  `json:"headerTemplate"`
	FooterTemplate      string  `json:"footerTemplate"`
	TransferMode        string  `json:"transferMode"`
	GenerateTaggedPDF   bool    `json:"generateTaggedPDF"`
	GenerateOutline     bool    `json:"generateDocumentOutline"`
}

// printToPDF prints the page and returns the PDF as a stream.
func printToPDF(page *rod.Page, params printParams) (io.Reader, error) {
	raw, err := page.Call(page.GetContext(), string(page.SessionID), "Page.printToPDF", params)
	if err != nil {
		return nil, err
	}
	var res struct {
		Stream proto.IOStreamHandle `json:"stream"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, err
	}
	if res.Stream == "" {
		return nil, errors.New("Chromium returned no PDF stream")
	}
	return rod.NewStreamReader(page, res.Stream), nil
}
