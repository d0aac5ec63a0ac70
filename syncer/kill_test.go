package syncer_test

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/syncer"
)

// TestKill9Child is the install process TestKill9 starts and kills; it does
// nothing in a normal run.
func TestKill9Child(t *testing.T) {
	path, url := os.Getenv("SAMBAD_SYNC_CHILD_DB"), os.Getenv("SAMBAD_SYNC_CHILD_URL")
	if path == "" {
		t.Skip("helper process for TestKill9")
	}
	ctx := context.Background()
	s, err := testdb.Open(ctx, models.OpenOptions{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := strconv.ParseUint(os.Getenv("SAMBAD_SYNC_CHILD_SEED"), 10, 64)
	start, _ := strconv.Atoi(os.Getenv("SAMBAD_SYNC_CHILD_SEQ"))
	w := newWorker(s, url)
	go w.Run(ctx)
	in := &install{n: 0, store: s}
	tr := &tracker{created: map[string]bool{}, deleted: map[string]bool{}}
	r := rand.New(rand.NewPCG(seed, 0))
	for seq := start; ; seq++ {
		if err := randomChange(ctx, in, r, seq, tr); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.IntN(3)) * time.Millisecond)
	}
}

// TestKill9: a real install process is killed with SIGKILL at random
// moments, mid-write and mid-push, and restarted, while a second install
// syncs alongside. Afterwards both installs and Postgres hold the same data
// and every op the killed process committed locally was applied exactly once.
func TestKill9(t *testing.T) {
	seed := testSeed(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	url, cloud := migratedCloud(t)
	logApplied(t, cloud)
	path := filepath.Join(t.TempDir(), "child.db")
	other := testdb.SQLite(t)
	wb := newWorker(other, url)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	workerDone, writerDone := make(chan struct{}), make(chan struct{})
	go func() { defer close(workerDone); wb.Run(ctx) }()
	ib := &install{n: 1, store: other}
	tr := &tracker{created: map[string]bool{}, deleted: map[string]bool{}}
	go func() {
		defer close(writerDone)
		r := rand.New(rand.NewPCG(seed, 8))
		for seq := 0; ctx.Err() == nil; seq++ {
			randomChange(ctx, ib, r, seq, tr)
			time.Sleep(time.Duration(5+r.IntN(10)) * time.Millisecond)
		}
	}()

	const kills = 8
	for i := 0; i < kills; i++ {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestKill9Child$")
		cmd.Env = append(os.Environ(), "SAMBAD_SYNC_CHILD_DB="+path, "SAMBAD_SYNC_CHILD_URL="+url,
			"SAMBAD_SYNC_CHILD_SEED="+strconv.FormatUint(seed+uint64(i), 10), "SAMBAD_SYNC_CHILD_SEQ="+strconv.Itoa(i*100000))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(300+rng.IntN(500)) * time.Millisecond)
		cmd.Process.Kill() // SIGKILL
		cmd.Wait()
	}
	cancel()
	<-workerDone
	<-writerDone

	// The last kill left whatever it left: a fresh worker finishes the job.
	child, err := testdb.Open(context.Background(), models.OpenOptions{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer child.Close()
	wa := newWorker(child, url)
	wa.OpTimeout = 20 * time.Second
	wb2 := newWorker(other, url)
	wb2.OpTimeout = 20 * time.Second
	for i := 0; i < 2; i++ {
		for _, w := range []*syncer.Worker{wa, wb2} {
			round(t, w)
		}
	}
	assertSame(t, "killed install and Postgres", takeSnapshot(t, child), takeSnapshot(t, cloud))
	assertSame(t, "other install and Postgres", takeSnapshot(t, other), takeSnapshot(t, cloud))

	// Every restarted process pruned sync_applied on its first round, with
	// ops whose acknowledgement a kill lost still in the outbox.
	ops := assertAppliedOnce(t, "the killed install", cloud, child)
	assertAppliedOnce(t, "the other install", cloud, other)
	t.Logf("%d kill -9s; the killed install committed %d ops, all applied once", kills, ops)
}
