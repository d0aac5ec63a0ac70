package browser

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sambad/sambad/browser/wasim"
)

// storeFile writes data under its SHA-256, without extension, as the media
// library stores files, and returns the path and the hash.
func storeFile(t testing.TB, data []byte) (string, string) {
	t.Helper()
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	p := filepath.Join(t.TempDir(), h)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, h
}

// pngBytes is a w×h PNG of seeded noise (noise does not compress: about
// 3·w·h bytes).
func pngBytes(t testing.TB, w, h int, seed uint64) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 7))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pdfBytes(n int) []byte {
	return append([]byte("%PDF-1.4\n% price list\n"), bytes.Repeat([]byte("item 42 price 999 "), n)...)
}

// mp4Bytes starts like an MP4 (an ftyp box), then noise.
func mp4Bytes(n int, seed uint64) []byte {
	b := []byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2', 0, 0, 0, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '2'}
	r := rand.New(rand.NewPCG(seed, 9))
	for len(b) < n {
		b = append(b, byte(r.Uint32()))
	}
	return b
}

// fileLedger returns the file entries of the ledger for phone digits.
func fileLedger(phone string) []wasim.LedgerEntry {
	var out []wasim.LedgerEntry
	for _, e := range ledgerFor(phone) {
		if e.Kind != "" {
			out = append(out, e)
		}
	}
	return out
}

// A photo stored under its hash goes out as a photo with its caption
// (emoji, a second line) and exactly its bytes.
func TestSendFilePhotoWithCaption(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	path, sum := storeFile(t, pngBytes(t, 120, 90, 1))
	const phone = "919870000001"
	caption := "Namaste Asha 🙏\nNew shoes: ₹999 only"
	res, err := m.SendFile(ctx, "+"+phone, File{Path: path, Name: "shoe.png", Kind: KindPhoto, Caption: caption})
	if err != nil {
		t.Fatal(err)
	}
	got := fileLedger(phone)
	if len(got) != 1 {
		t.Fatalf("ledger has %d files: %+v", len(got), got)
	}
	e := got[0]
	if e.Kind != "photo" || e.Text != caption || e.SHA256 != sum || !strings.HasSuffix(res.MessageID, e.ID) || res.Ack < AckSent {
		t.Fatalf("ledger %+v, result %+v; want a photo with the caption and sha256 %s", e, res, sum)
	}
	if n := len(ledgerFor(phone)); n != 1 {
		t.Fatalf("%d messages reached the server, want the photo only", n)
	}
}

// A PDF goes out as a document under its original name (not the stored
// hash), exact bytes; RecentOutgoing reports it as a document with its name.
func TestSendFileDocumentKeepsName(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	path, sum := storeFile(t, pdfBytes(20000))
	const phone = "919870000002"
	const name = "Price list (Dec 2026) – final.pdf"
	res, err := m.SendFile(ctx, "+"+phone, File{Path: path, Name: name, Kind: KindDocument})
	if err != nil {
		t.Fatal(err)
	}
	got := fileLedger(phone)
	if len(got) != 1 || got[0].Kind != "document" || got[0].FileName != name || got[0].SHA256 != sum || got[0].Text != "" {
		t.Fatalf("ledger %+v, want the document %q with sha256 %s and no caption", got, name, sum)
	}
	recent, err := m.RecentOutgoing(ctx, "+"+phone, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 1 || recent[0].ID != res.MessageID || recent[0].Media != "document" || recent[0].FileName != name || recent[0].Text != "" {
		t.Fatalf("RecentOutgoing = %+v, want the document %q", recent, name)
	}
}

func TestSendFileVideo(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	path, sum := storeFile(t, mp4Bytes(300_000, 3))
	const phone = "919870000003"
	if _, err := m.SendFile(ctx, "+"+phone, File{Path: path, Name: "demo", Kind: KindVideo, Caption: "Watch the demo"}); err != nil {
		t.Fatal(err)
	}
	got := fileLedger(phone)
	if len(got) != 1 || got[0].Kind != "video" || got[0].SHA256 != sum || got[0].Text != "Watch the demo" {
		t.Fatalf("ledger %+v, want the video with sha256 %s", got, sum)
	}
}

// What WhatsApp would refuse is refused before anything is done, with an
// error a person can act on and that is no unknown outcome.
func TestSendFileRefusedBeforeActing(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	big := append(pngBytes(t, 16, 16, 4), make([]byte, 17<<20)...)
	bigPath, _ := storeFile(t, big)
	pdf, _ := storeFile(t, pdfBytes(10))
	const phone = "919870000004"
	cases := []struct {
		name string
		f    File
		want string
	}{
		{"17 MB photo", File{Path: bigPath, Name: "big.png", Kind: KindPhoto}, "16 MB limit"},
		{"17 MB video", File{Path: bigPath, Name: "big.mp4", Kind: KindVideo}, "16 MB limit"},
		{"missing file", File{Path: filepath.Join(t.TempDir(), "gone"), Name: "gone.pdf", Kind: KindDocument}, "missing"},
		{"unknown kind", File{Path: pdf, Name: "a.pdf", Kind: "sticker"}, "unknown file kind"},
		{"PDF as photo", File{Path: pdf, Name: "a.pdf", Kind: KindPhoto}, "send it as a document"},
	}
	for _, c := range cases {
		start := time.Now()
		_, err := m.SendFile(ctx, "+"+phone, c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error about %q", c.name, err, c.want)
		}
		if errors.Is(err, ErrTimeout) || errors.Is(err, ErrBrowserDied) {
			t.Errorf("%s: %v is an unknown outcome, want a refusal", c.name, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %s: the page was used", c.name, d)
		}
	}
	// A 17 MB document is fine.
	res, err := m.SendFile(ctx, "+"+phone, File{Path: bigPath, Name: "big scan.pdf", Kind: KindDocument, Caption: "the scan"})
	if err != nil {
		t.Fatal(err)
	}
	got := fileLedger(phone)
	if len(got) != 1 || got[0].Kind != "document" || got[0].Size != int64(len(big)) || !strings.HasSuffix(res.MessageID, got[0].ID) {
		t.Fatalf("ledger %+v, want only the 17 MB document", got)
	}
}

func TestSendFileInvalidNumber(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	const phone = "919870000005"
	sim.SetUnknown(phone)
	defer sim.SetKnown(phone)
	path, _ := storeFile(t, pngBytes(t, 20, 20, 5))
	if _, err := m.SendFile(ctx, "+"+phone, File{Path: path, Name: "p.png", Kind: KindPhoto, Caption: "x"}); !errors.Is(err, ErrInvalidNumber) {
		t.Fatalf("send to an unknown number: %v, want ErrInvalidNumber", err)
	}
	if n := len(ledgerFor(phone)); n != 0 {
		t.Fatalf("%d messages reached the server", n)
	}
	// The modal was dismissed: the next file goes.
	if _, err := m.SendFile(ctx, "+919870000006", File{Path: path, Name: "p.png", Kind: KindPhoto, Caption: "after invalid"}); err != nil {
		t.Fatal(err)
	}
}

// Several sends in a row, text and files mixed, some repeating the same
// file and caption to the same number: each reaches the server exactly
// once, with its own id, exact bytes and caption.
func TestSendFilesInARow(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	photo, photoSum := storeFile(t, pngBytes(t, 200, 150, 6))
	doc, docSum := storeFile(t, pdfBytes(3000))
	phones := []string{"919870000101", "919870000102"}
	type sent struct {
		kind, caption, sum string
	}
	want := map[string][]sent{}
	ids := map[string]bool{}
	for i := 0; i < 8; i++ {
		phone := phones[i%2]
		var res SendResult
		var err error
		switch i % 4 {
		case 0, 1:
			caption := fmt.Sprintf("Offer for you %d", i/2%2) // repeats: 0,0,1,1,0,0,1,1
			res, err = m.SendFile(ctx, "+"+phone, File{Path: photo, Name: "offer.png", Kind: KindPhoto, Caption: caption})
			want[phone] = append(want[phone], sent{"photo", caption, photoSum})
		case 2:
			res, err = m.SendFile(ctx, "+"+phone, File{Path: doc, Name: "Catalogue.pdf", Kind: KindDocument, Caption: "Catalogue"})
			want[phone] = append(want[phone], sent{"document", "Catalogue", docSum})
		case 3:
			res, err = m.SendText(ctx, "+"+phone, "Reply STOP to stop")
			want[phone] = append(want[phone], sent{"", "Reply STOP to stop", ""})
		}
		if err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		if res.MessageID == "" || ids[res.MessageID] {
			t.Fatalf("send %d: result %+v (ids so far %v)", i, res, ids)
		}
		ids[res.MessageID] = true
	}
	time.Sleep(500 * time.Millisecond) // a duplicate would show by now
	for _, phone := range phones {
		got := ledgerFor(phone)
		if len(got) != len(want[phone]) {
			t.Fatalf("%s: ledger has %d messages, want %d: %+v", phone, len(got), len(want[phone]), got)
		}
		for i, w := range want[phone] {
			g := got[i]
			if g.Kind != w.kind || g.Text != w.caption || g.SHA256 != w.sum {
				t.Errorf("%s message %d = %+v, want %+v", phone, i, g, w)
			}
			if !ids["true_"+phone+"@c.us_"+g.ID] {
				t.Errorf("%s message %d: id %s not returned by a send", phone, i, g.ID)
			}
		}
	}
}

// The browser is killed right after the photo reached the server: the
// send reports an unknown outcome (or, if it saw the tick first, success),
// and after the restart RecentOutgoing shows the photo with its caption,
// which is what the engine reconciles by. Nothing reached the server twice.
func TestSendFileInterruptedThenRecent(t *testing.T) {
	m := newManager(t, testOptions(filepath.Join(t.TempDir(), "data")))
	linkAndWait(t, m)
	ctx := sendCtx(t)
	path, sum := storeFile(t, pngBytes(t, 300, 300, 8))
	const phone = "919870000201"
	const caption = "Interrupted offer"
	pid := m.session().chrome.PID
	type result struct {
		res SendResult
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := m.SendFile(ctx, "+"+phone, File{Path: path, Name: "offer.png", Kind: KindPhoto, Caption: caption})
		done <- result{r, err}
	}()
	deadline := time.Now().Add(60 * time.Second)
	for len(fileLedger(phone)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the photo never reached the server")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the send did not return after the browser died")
	}
	if r.err != nil && !errors.Is(r.err, ErrBrowserDied) {
		t.Fatalf("send interrupted by the crash: %v, want ErrBrowserDied (unknown outcome)", r.err)
	}
	t.Logf("interrupted send returned %+v, %v", r.res, r.err)
	waitState(t, m, 30*time.Second, StateReady)
	recent, err := m.RecentOutgoing(ctx, "+"+phone, 5)
	if err != nil {
		t.Fatal(err)
	}
	l := fileLedger(phone)
	if len(l) != 1 || l[0].SHA256 != sum {
		t.Fatalf("ledger %+v, want the photo once", l)
	}
	if len(recent) != 1 || recent[0].Media != "photo" || recent[0].Text != caption || !strings.HasSuffix(recent[0].ID, l[0].ID) {
		t.Fatalf("RecentOutgoing = %+v, want the photo with its caption", recent)
	}
}

// An editor left open (a send that stopped after attaching) is closed
// before anything else, and nothing was sent by it.
func TestLeftoverMediaEditorIsClosed(t *testing.T) {
	m := sharedManager(t)
	ctx := sendCtx(t)
	path, _ := storeFile(t, pngBytes(t, 40, 40, 9))
	const phone = "919870000301"
	err := m.withPage(ctx, "test", []State{StateReady}, func(ctx context.Context, pd *pageDriver) error {
		if _, err := m.openChatPrepared(ctx, pd, phone, "", true); err != nil {
			return err
		}
		named := filepath.Join(t.TempDir(), "left.png")
		if err := os.Link(path, named); err != nil {
			return err
		}
		if err := m.attachFile(ctx, pd, KindPhoto, named); err != nil {
			return err
		}
		r, err := pd.mediaWait(ctx, "editorSend", KindPhoto, 10*time.Second)
		if err != nil || !r.Editor {
			return fmt.Errorf("no editor: %+v, %v", r, err)
		}
		if err := m.closeMediaEditor(ctx, pd); err != nil {
			return err
		}
		if r, err = pd.mediaWait(ctx, "closed", "", 0); err != nil || r.Editor {
			return fmt.Errorf("the editor is still open: %+v, %v", r, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ledgerFor(phone)); n != 0 {
		t.Fatalf("closing the editor sent %d messages", n)
	}
	if _, err := m.SendText(ctx, "+"+phone, "after the editor"); err != nil {
		t.Fatal(err)
	}
}
