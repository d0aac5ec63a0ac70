package wasim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-rod/rod"
)

const (
	attachAny    = `footer button[aria-label="Attach"], footer [title="Attach"]`
	mediaInput   = `input[type="file"][accept^="image/*"]`
	docInput     = `input[type="file"][accept="*"]`
	captionBox   = `div[contenteditable="true"][role="textbox"][aria-label="Add a caption"]`
	editorSend   = `div[role="button"][aria-label="Send"]`
	outgoingRows = `[data-id^="true_"]`
)

// writePNG writes a w×h PNG of noise (seeded) and returns its path and SHA-256.
func writePNG(t *testing.T, dir, name string, w, h int, seed uint64) (string, string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 1))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, buf.Bytes())
}

func writeFile(t *testing.T, dir, name string, data []byte) (string, string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return p, hex.EncodeToString(sum[:])
}

// openAttachMenu clicks the attach button until the menu's input sel is
// there: before the chat is wired the button does nothing, and the menu and
// its inputs come late.
func openAttachMenu(t *testing.T, p *rod.Page, sel string) *rod.Element {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		btn := element(t, p, attachAny)
		if _, err := btn.Eval(`function () { this.click() }`); err != nil {
			t.Fatal(err)
		}
		if el, err := p.Timeout(2 * time.Second).Element(sel); err == nil {
			return el.CancelTimeout()
		}
		// The menu may be open with its inputs still coming: close it first.
		if has, _, _ := p.Has(`[role="application"] li`); has {
			if _, err := btn.Eval(`function () { this.click() }`); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Fatalf("the attach menu never showed %s", sel)
	return nil
}

// Two photos with a caption each, picked through "Photos & videos", with
// the timings on: two rows, two ledger entries with the exact bytes.
func TestAttachPhotosWithPerFileCaptions(t *testing.T) {
	opts := fastOptions()
	opts.Timing = Timing{Seed: 4242}
	s, base := startSim(t, opts)
	p := linkPage(t, s, base)
	dir := t.TempDir()
	a, sumA := writePNG(t, dir, "shoe.png", 64, 48, 1)
	b, sumB := writePNG(t, dir, "bag.png", 32, 32, 2)
	const phone = "919812300001"
	if err := p.Navigate(base + "/send?phone=" + phone); err != nil {
		t.Fatal(err)
	}
	// Inputs exist only while the menu is open.
	element(t, p, attachAny)
	if has, _, _ := p.Has(`input[type="file"]`); has {
		t.Fatal("a file input exists before the menu opened")
	}
	in := openAttachMenu(t, p, mediaInput)
	if got := evalStr(t, p, `document.querySelector('`+mediaInput+`').accept + (document.querySelector('`+mediaInput+`').multiple ? ' multiple' : '')`); got != "image/*,video/mp4,video/3gpp,video/quicktime multiple" {
		t.Fatalf("photos input accept %q", got)
	}
	if err := in.SetFiles([]string{a, b}); err != nil {
		t.Fatal(err)
	}
	box := element(t, p, captionBox)
	element(t, p, editorSend) // the caption box is wired once the button shows
	if has, _, _ := p.Has(`input[type="file"]`); has {
		t.Fatal("the file inputs outlived the menu")
	}
	if err := box.Focus(); err != nil {
		t.Fatal(err)
	}
	if err := p.InsertText("Shoes 👟 ₹999"); err != nil {
		t.Fatal(err)
	}
	click(t, element(t, p, `[role="button"][aria-label="Select bag.png"]`))
	waitJS(t, p, "an empty caption for the second file", `document.querySelector('`+captionBox+`').textContent === ''`, 3*time.Second)
	if err := box.Focus(); err != nil {
		t.Fatal(err)
	}
	if err := p.InsertText("Bag"); err != nil {
		t.Fatal(err)
	}
	click(t, element(t, p, `[role="button"][aria-label="Select shoe.png"]`))
	waitJS(t, p, "the first caption back", `document.querySelector('`+captionBox+`').textContent === 'Shoes 👟 ₹999'`, 3*time.Second)
	click(t, element(t, p, editorSend))
	l := waitLedger(t, s, 2, 10*time.Second)
	want := []LedgerEntry{{Text: "Shoes 👟 ₹999", FileName: "shoe.png", SHA256: sumA}, {Text: "Bag", FileName: "bag.png", SHA256: sumB}}
	for i, w := range want {
		g := l[i]
		if g.Phone != phone || g.Kind != "photo" || g.Text != w.Text || g.FileName != w.FileName || g.SHA256 != w.SHA256 || g.Size == 0 {
			t.Errorf("ledger %d = %+v, want %+v", i, g, w)
		}
	}
	waitJS(t, p, "two photo rows", `document.querySelectorAll('`+outgoingRows+` img[src^="blob:"]').length === 2`, 5*time.Second)
	if got := evalStr(t, p, `Array.from(document.querySelectorAll('`+outgoingRows+` span.selectable-text')).map(e => { let o = ''; const w = (n) => { if (n.nodeType === 3) o += n.data; else if (n.tagName === 'IMG') o += n.alt; else n.childNodes.forEach(w); }; w(e); return o; }).join('|')`); got != "Shoes 👟 ₹999|Bag" {
		t.Fatalf("row captions %q", got)
	}
	if has, _, _ := p.Has(captionBox); has {
		t.Fatal("the editor stayed open after sending")
	}

	// History after a reload shows the photos (blob: again) and captions.
	if err := p.Navigate(base + "/send?phone=" + phone); err != nil {
		t.Fatal(err)
	}
	waitJS(t, p, "photo rows from history", `document.querySelectorAll('`+outgoingRows+` img[src^="blob:"]').length === 2`, 10*time.Second)
}

// A PDF through "Document" keeps its name; a 17 MB photo is refused with
// the notice and nothing is sent; Close discards the editor.
func TestAttachDocumentLimitAndClose(t *testing.T) {
	opts := fastOptions()
	opts.Timing = Timing{Seed: 777}
	s, base := startSim(t, opts)
	p := linkPage(t, s, base)
	dir := t.TempDir()
	pdf, sumPDF := writeFile(t, dir, "Price list 2026.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("price "), 5000)...))
	big, _ := writeFile(t, dir, "big.jpg", bytes.Repeat([]byte{0xff}, 17<<20))
	const phone = "919812300002"
	if err := p.Navigate(base + "/send?phone=" + phone); err != nil {
		t.Fatal(err)
	}

	// 17 MB photo: the notice, no editor, no message.
	in := openAttachMenu(t, p, mediaInput)
	if err := in.SetFiles([]string{big}); err != nil {
		t.Fatal(err)
	}
	waitJS(t, p, "the 16 MB notice", `Array.from(document.querySelectorAll('[role="alert"]')).some(e => e.textContent.includes('larger than the 16 MB limit'))`, 5*time.Second)
	time.Sleep(2 * time.Second) // an editor would have rendered by now
	if has, _, _ := p.Has(captionBox); has {
		t.Fatal("the editor opened for a 17 MB photo")
	}

	// Close discards: nothing sent, the chat is usable again.
	in = openAttachMenu(t, p, docInput)
	if err := in.SetFiles([]string{pdf}); err != nil {
		t.Fatal(err)
	}
	element(t, p, captionBox)
	click(t, element(t, p, `[role="button"][aria-label="Close"]:has([data-icon="x"])`))
	waitJS(t, p, "the editor gone", `!document.querySelector('`+captionBox+`')`, 3*time.Second)

	// The document, without caption.
	in = openAttachMenu(t, p, docInput)
	if err := in.SetFiles([]string{pdf}); err != nil {
		t.Fatal(err)
	}
	element(t, p, captionBox)
	click(t, element(t, p, editorSend))
	l := waitLedger(t, s, 1, 10*time.Second)
	if len(l) != 1 || l[0].Kind != "document" || l[0].FileName != "Price list 2026.pdf" || l[0].SHA256 != sumPDF || l[0].Text != "" {
		t.Fatalf("ledger %+v", l)
	}
	element(t, p, outgoingRows+` [title='Download "Price list 2026.pdf"'] span[title="Price list 2026.pdf"]`)
	element(t, p, outgoingRows+` [data-icon="document-pdf-icon"]`)
	waitJS(t, p, "a tick on the document", `document.querySelector('`+outgoingRows+` [data-icon="msg-check"], `+outgoingRows+` [data-icon="msg-dblcheck"]')`, 5*time.Second)
}
