package syncer_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// syncTable matches a statement's use of a sync table.
var syncTable = regexp.MustCompile(`\bsync_(state|outbox|held|rejected|meta|tables|rows|clock|applied|leases)\b`)

// installIDRead is the one read of a sync table outside this package: models
// stamps each campaign send with the install id (see the package doc).
const installIDRead = `(SELECT value FROM sync_state WHERE key = 'install_id')`

// TestSyncTablesHaveOneOwner: no code outside syncer reads or writes the
// sync tables (tests, which check them, and the migrations that create them
// aside), so a change to how sync stores its state is a change to this
// package alone.
func TestSyncTablesHaveOneOwner(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch rel {
			case ".git", "syncer", "models/migrations", "resources", "static", "deploy":
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".sql")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		text := strings.ReplaceAll(string(b), installIDRead, "")
		for i, line := range strings.Split(text, "\n") {
			trimmed := strings.TrimSpace(line)
			if strings.HasPrefix(trimmed, "//") || strings.HasPrefix(trimmed, "--") {
				continue
			}
			if m := syncTable.FindString(line); m != "" {
				t.Errorf("%s:%d uses %s, a table the syncer owns: ask syncer for a method", rel, i+1, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d source files checked under %s: the walk missed the tree", checked, root)
	}
}
