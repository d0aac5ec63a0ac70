package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sambad/sambad/backup"
	"github.com/sambad/sambad/internal/mediatest"
)

// TestBackupRoundTripMedia: a backup taken through the API carries the
// media library's files and the settings; restored through the page into a
// fresh install (new data directory, new database), the file downloads with
// the same SHA-256 and the settings are equal. Webhooks stay out.
func TestBackupRoundTripMedia(t *testing.T) {
	ctx := context.Background()
	a := newSite(t, "tok")
	doc := mediatest.PDF(300_000)
	photo := mediatest.PNG(320, 240)
	var up mediaItems
	a.uploadMedia("/api/v1/media", mediaFile{"price list.pdf", doc}, mediaFile{"offer.png", photo}).json(t, &up)
	if len(up.Items) != 2 {
		t.Fatalf("upload: %+v", up)
	}
	settings := map[string]string{"time_zone": "Asia/Kolkata", "default_region": "IN", "backup_keep": "3"}
	if err := a.store.SaveSettings(ctx, settings); err != nil {
		t.Fatal(err)
	}
	r := a.get("/api/v1/backup")
	if r.status != 200 {
		t.Fatalf("backup: %d %s", r.status, r.body)
	}
	file := filepath.Join(t.TempDir(), "a.zip")
	os.WriteFile(file, []byte(r.body), 0o600)
	m, zr, err := backup.Inspect(file)
	if err != nil {
		t.Fatal(err)
	}
	zr.Close()
	if len(m.Files) != 2 {
		t.Fatalf("the backup carries %d media files, want 2: %+v", len(m.Files), m.Files)
	}
	for _, tb := range m.Tables {
		if strings.HasPrefix(tb.Name, "webhook_") {
			t.Errorf("the backup holds %s (webhook secrets)", tb.Name)
		}
	}

	b := newSite(t, "tok")
	page := b.follow(b.upload("/backup/restore", "a.zip", []byte(r.body), map[string]string{"confirm": "RESTORE"}))
	if !strings.Contains(page.body, "Restored a.zip") {
		t.Fatalf("restore: %s", page.body)
	}
	for i, want := range [][]byte{doc, photo} {
		got := b.get("/api/v1/media/" + up.Items[i].ID + "/content")
		if got.status != http.StatusOK || sum(got.body) != sum(string(want)) {
			t.Fatalf("file %d after the restore: %d, sha256 %s want %s", i, got.status, sum(got.body), sum(string(want)))
		}
	}
	if th := b.get("/media/" + up.Items[1].ID + "/thumbnail"); th.status != http.StatusOK {
		t.Errorf("the photo's thumbnail after the restore: %d", th.status)
	}
	got, err := b.store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range settings {
		if got[k] != v {
			t.Errorf("setting %s = %q after the restore, want %q", k, got[k], v)
		}
	}

	// A file whose bytes do not match its name is refused, and nothing changes.
	damaged := strings.Replace(r.body, string(doc[1000:1064]), strings.Repeat("x", 64), 1)
	if damaged == r.body {
		t.Fatal("the test did not damage the file")
	}
	c := newSite(t, "tok")
	c.contact("9876500001", "Asha")
	page = c.follow(c.upload("/backup/restore", "damaged.zip", []byte(damaged), map[string]string{"confirm": "RESTORE"}))
	if !strings.Contains(page.body, "Nothing was changed") {
		t.Fatalf("a damaged media file: %s", page.body)
	}
	if n, _ := c.store.CountContacts(ctx); n != 1 {
		t.Fatalf("%d contacts after a refused restore", n)
	}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
