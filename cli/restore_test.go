package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sambad/sambad/backup"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/internal/mediatest"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
)

// TestRestoreCommand runs `sambad restore FILE` on a local install: a good
// backup replaces the data and the data from before is saved; a damaged
// file is refused with a message and changes nothing.
func TestRestoreCommand(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": dataDir}, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	add := func(phone, name string) {
		var c models.Contact
		models.ContactInput{Phone: phone, Name: name}.Apply(&c, "IN")
		if err := store.CreateContact(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	add("9876500001", "Asha")
	file := filepath.Join(t.TempDir(), "one.zip")
	f, _ := os.Create(file)
	if _, err := backup.Write(ctx, f, store, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	add("9876500002", "Bela")
	store.Close()

	count := func() int64 {
		s, err := openStore(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		n, _ := s.CountContacts(ctx)
		return n
	}
	bad := filepath.Join(t.TempDir(), "bad.zip")
	data, _ := os.ReadFile(file)
	os.WriteFile(bad, data[:len(data)-40], 0o600)
	var out bytes.Buffer
	err = runRestore(ctx, cfg, []string{bad}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "not a Sambad backup") || !strings.Contains(err.Error(), "Nothing was changed") {
		t.Fatalf("restore of a cut file: %v", err)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d contacts after a refused restore", n)
	}
	if err := runRestore(ctx, cfg, []string{file}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 || !strings.Contains(out.String(), "1 contact,") {
		t.Fatalf("%d contacts after the restore; said:\n%s", n, out.String())
	}
	files, _ := backup.List(cfg.BackupDir())
	if len(files) != 1 || files[0].Kind != "before restore" || !strings.Contains(out.String(), files[0].Name) {
		t.Fatalf("backups %v; said:\n%s", files, out.String())
	}
	if err := runRestore(ctx, cfg, nil, &out, &out); err == nil || !strings.Contains(err.Error(), "sambad restore FILE") {
		t.Fatalf("restore without a file: %v", err)
	}
}

// TestRestoreCommandMedia: `sambad restore FILE` into a fresh data
// directory brings the media library's files back, byte for byte.
func TestRestoreCommandMedia(t *testing.T) {
	ctx := context.Background()
	load := func() *config.Config {
		cfg, err := config.Load(map[string]string{"SAMBAD_DATA_DIR": t.TempDir()}, func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	src := load()
	store, err := openStore(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	lib := media.New(store, media.Options{Dir: src.MediaDir()})
	doc := mediatest.PDF(200_000)
	m, _, err := lib.Save(ctx, "prices.pdf", bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "media.zip")
	f, _ := os.Create(file)
	if _, err := backup.Write(ctx, f, store, lib, time.Now()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	store.Close()

	dst := load()
	var out bytes.Buffer
	if err := runRestore(ctx, dst, []string{file}, &out, &out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dst.MediaDir(), m.SHA256[:2], m.SHA256))
	if err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("the restored file: %d bytes, %v; said:\n%s", len(got), err, out.String())
	}
}
