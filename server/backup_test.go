package server_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sambad/sambad/backup"
	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

// TestBackupDownloadAndRestore: the API and the page download the same kind
// of archive; a restore needs the typed word, refuses a bad file and a
// running campaign with a message and no change, saves the current data
// first, and then replaces it.
func TestBackupDownloadAndRestore(t *testing.T) {
	s := newSite(t, "secret-token")
	s.contact("9876500001", "Asha")
	s.contact("9876500002", "Bela")

	s.token = ""
	if r := s.get("/api/v1/backup"); r.status != http.StatusUnauthorized {
		t.Fatalf("API backup without the token: %d", r.status)
	}
	s.token = "secret-token"
	r := s.get("/api/v1/backup")
	if r.status != 200 || r.header.Get("Content-Type") != "application/zip" || !strings.Contains(r.header.Get("Content-Disposition"), "sambad-backup-") {
		t.Fatalf("API backup: %d %v", r.status, r.header)
	}
	file := filepath.Join(t.TempDir(), "two.zip")
	os.WriteFile(file, []byte(r.body), 0o600)
	m, zr, err := backup.Inspect(file)
	if err != nil {
		t.Fatal(err)
	}
	zr.Close()
	for _, tb := range m.Tables {
		if strings.HasPrefix(tb.Name, "auth_") || strings.HasPrefix(tb.Name, "sync_") {
			t.Errorf("the backup holds %s", tb.Name)
		}
	}
	if page := s.get("/backup/download.zip"); page.status != 200 || len(page.body) < 100 {
		t.Fatalf("page download: %d, %d bytes", page.status, len(page.body))
	}

	// Changes after the backup: the restore will undo them.
	s.contact("9876500003", "Chitra")
	count := func() int64 { n, _ := s.store.CountContacts(context.Background()); return n }

	refused := func(name string, data []byte, confirm, says string) {
		t.Helper()
		res := s.upload("/backup/restore", name, data, map[string]string{"confirm": confirm})
		page := s.follow(res)
		if !strings.Contains(page.body, says) {
			t.Errorf("%s: the page does not say %q:\n%s", name, says, page.body)
		}
		if n := count(); n != 3 {
			t.Fatalf("%s: %d contacts after a refused restore, want 3", name, n)
		}
	}
	good := []byte(r.body)
	refused("two.zip", good, "", "Type RESTORE in the confirmation box")
	refused("notes.zip", []byte("hello, I am not a backup"), "RESTORE", "This file is not a Sambad backup")
	refused("cut.zip", good[:len(good)/2], "RESTORE", "This file is not a Sambad backup")
	c := &models.Campaign{Name: "Live", Template: "Hi", ContactIDs: []string{s.contact("9876500004", "Dev").ID}}
	s.store.CreateCampaign(context.Background(), c)
	testdb.Gorm(s.store).Exec("UPDATE campaigns SET state = 'running' WHERE id = ?", c.ID)
	testdb.Gorm(s.store).Exec("DELETE FROM contacts WHERE phone = '+919876500004'")
	refused("two.zip", good, "RESTORE", "A campaign is running")
	testdb.Gorm(s.store).Exec("UPDATE campaigns SET state = 'stopped' WHERE id = ?", c.ID)

	page := s.follow(s.upload("/backup/restore", "two.zip", good, map[string]string{"confirm": "RESTORE"}))
	if !strings.Contains(page.body, "Restored two.zip") || !strings.Contains(page.body, "2 contacts") {
		t.Fatalf("after the restore the page says:\n%s", page.body)
	}
	if n := count(); n != 2 {
		t.Fatalf("%d contacts after the restore, want 2", n)
	}
	files, _ := backup.List(s.cfg.BackupDir())
	var before *backup.Info
	for i, f := range files {
		if f.Kind == "before restore" {
			before = &files[i]
		}
	}
	if before == nil {
		t.Fatalf("no before-restore backup in %v", files)
	}
	if !strings.Contains(page.body, "/backup/files/"+before.Name) {
		t.Error("the page does not list the before-restore backup")
	}
	// The saved copy holds the data from before: three contacts.
	dl := s.get("/backup/files/" + before.Name)
	saved := filepath.Join(t.TempDir(), "before.zip")
	os.WriteFile(saved, []byte(dl.body), 0o600)
	bm, zr, err := backup.Inspect(saved)
	if err != nil {
		t.Fatal(err)
	}
	zr.Close()
	for _, tb := range bm.Tables {
		if tb.Name == "contacts" && tb.Rows != 3 {
			t.Errorf("the before-restore backup holds %d contacts, want 3", tb.Rows)
		}
	}
	if r := s.get("/backup/files/..%2Fsambad.db"); r.status != http.StatusNotFound {
		t.Errorf("a path outside the backups: %d", r.status)
	}
	if home := s.get("/"); !strings.Contains(home.body, "Restored two.zip") {
		t.Error("the home page's events do not show the restore")
	}
}
