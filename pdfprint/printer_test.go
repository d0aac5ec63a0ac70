package pdfprint_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sambad/sambad/launcher"
	"github.com/sambad/sambad/pdfprint"
)

// TestPrint prints a page with real Chromium on a data directory that has
// no WhatsApp profile, and leaves none behind: the printing browser's
// profile is thrown away.
func TestPrint(t *testing.T) {
	data := t.TempDir()
	p := pdfprint.New(launcher.Options{DataDir: data})
	var out bytes.Buffer
	if err := p.Print(t.Context(), `<!doctype html><meta charset="utf-8"><h1>Namaste नमस्ते</h1>`, pdfprint.Page{Footer: "footer <b>"}, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("%PDF-")) || out.Len() < 1000 {
		t.Fatalf("not a PDF: %.40q (%d bytes)", out.Bytes(), out.Len())
	}
	if _, err := os.Stat(filepath.Join(data, "whatsapp-session")); !os.IsNotExist(err) {
		t.Fatalf("printing made or touched the WhatsApp profile: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(data, "tmp", "pdf-profile-*"))
	if len(left) != 0 {
		t.Fatalf("profiles left behind: %v", left)
	}
}

// TestPrintBusy: a second PDF asked for while one is printing waits its
// turn, or gives up with ErrBusy when its request ends first.
func TestPrintBusy(t *testing.T) {
	data := t.TempDir()
	p := pdfprint.New(launcher.Options{DataDir: data})
	var wg sync.WaitGroup
	wg.Add(1)
	var firstErr error
	go func() {
		defer wg.Done()
		firstErr = p.Print(context.Background(), "<p>first", pdfprint.Page{}, &bytes.Buffer{})
	}()
	// The first print holds its slot once its profile exists.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if m, _ := filepath.Glob(filepath.Join(data, "tmp", "pdf-profile-*")); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first print never started")
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	err := p.Print(ctx, "<p>second", pdfprint.Page{}, &bytes.Buffer{})
	wg.Wait()
	if !errors.Is(err, pdfprint.ErrBusy) || firstErr != nil {
		t.Fatalf("a second PDF while one prints: %v (the first: %v)", err, firstErr)
	}
}
