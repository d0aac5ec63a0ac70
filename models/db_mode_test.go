package models

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestSQLiteFilesAre0600: sambad.db, -wal and -shm hold every contact;
// they are created 0600, and files an older version left 0644 are
// tightened when the store opens.
func TestSQLiteFilesAre0600(t *testing.T) {
	for name, pre := range map[string]bool{"new": false, "existing 0644": true} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sambad.db")
			if pre {
				s, err := Open(context.Background(), OpenOptions{SQLitePath: path})
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				// A clean close removes -wal and -shm: leave empty ones, as a
				// crash would leave them, all 0644.
				for _, p := range []string{path, path + "-wal", path + "-shm"} {
					f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o644)
					if err != nil {
						t.Fatal(err)
					}
					f.Close()
					os.Chmod(p, 0o644)
				}
			}
			s, err := Open(context.Background(), OpenOptions{SQLitePath: path})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.db.Exec("CREATE TABLE IF NOT EXISTS mode_probe (x int); INSERT INTO mode_probe VALUES (1)").Error; err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatalf("%s: %v", filepath.Base(p), err)
				}
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("%s is %v, want 0600", filepath.Base(p), fi.Mode().Perm())
				}
			}
		})
	}
}
