package launcher

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestEnsureProfileTightensMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "whatsapp-session")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := EnsureProfile(dir); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v, want 0700", fi.Mode().Perm())
	}
	fresh := filepath.Join(t.TempDir(), "new")
	if err := EnsureProfile(fresh); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o700 {
		t.Fatalf("new profile mode %v", fi.Mode().Perm())
	}
}

func lockProfile(t *testing.T, dir, target string) {
	t.Helper()
	for _, name := range singletonFiles {
		_ = os.Remove(filepath.Join(dir, name))
	}
	if err := os.Symlink(target, filepath.Join(dir, "SingletonLock")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/tmp/nothing/SingletonSocket", filepath.Join(dir, "SingletonSocket")); err != nil {
		t.Fatal(err)
	}
}

// A lock naming a dead pid is removed; a lock of a live browser is kept.
func TestRemoveStaleLocks(t *testing.T) {
	dir := t.TempDir()
	host, _ := os.Hostname()

	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	lockProfile(t, dir, fmt.Sprintf("%s-%d", host, dead.Process.Pid))
	if err := RemoveStaleLocks(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"SingletonLock", "SingletonSocket"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Fatalf("%s left behind (err %v)", name, err)
		}
	}

	// A live process whose command line names the profile stands in for a
	// running browser.
	live := exec.Command("sh", "-c", "sleep 30", "--user-data-dir="+dir)
	inOwnGroup(live)
	if err := live.Start(); err != nil {
		t.Fatal(err)
	}
	defer killGroup(live)
	lockProfile(t, dir, fmt.Sprintf("%s-%d", host, live.Process.Pid))
	if err := RemoveStaleLocks(dir); err == nil {
		t.Fatal("a lock held by a live browser was not reported")
	}
	if _, err := os.Lstat(filepath.Join(dir, "SingletonLock")); err != nil {
		t.Fatalf("live lock removed: %v", err)
	}

	// No lock at all is fine.
	if err := RemoveStaleLocks(t.TempDir()); err != nil {
		t.Fatal(err)
	}
}
