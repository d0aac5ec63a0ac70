package proctest_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// startsProcesses matches what, in a test file, starts a process that could
// outlive the tests: pgbouncer (testdb), Chromium (launcher, rod, browser,
// pdfprint), the simulator, or a command.
var startsProcesses = regexp.MustCompile(`testdb\.(Each|Postgres|PgBouncer)\b|exec\.Command|wasim\.|launcher\.|rod\.|pdfprint\.|browser\.New`)

var checks = regexp.MustCompile(`proctest\.(Main|Check)\(`)

// TestEveryPackageThatStartsProcessesChecksForLeftovers fails when a
// package's tests start processes (as above) but no TestMain of the package
// calls proctest.Main or proctest.Check: a leak there would go unnoticed.
func TestEveryPackageThatStartsProcessesChecksForLeftovers(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	var missing []string
	seen := 0
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, path)
		if rel == filepath.Join("internal", "proctest") {
			return nil // its own tests start processes to check the checker
		}
		files, _ := filepath.Glob(filepath.Join(path, "*_test.go"))
		starts, checked := false, false
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			starts = starts || startsProcesses.Match(b)
			checked = checked || checks.Match(b)
		}
		if starts {
			seen++
			if !checked {
				missing = append(missing, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen == 0 {
		t.Fatal("no package found whose tests start processes: the walk is broken")
	}
	for _, m := range missing {
		t.Errorf("%s: its tests start processes but no TestMain calls proctest.Main or proctest.Check; add a main_test.go with\n\tfunc TestMain(m *testing.M) { proctest.Main(m) }", m)
	}
}
