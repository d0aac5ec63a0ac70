package server

import (
	"context"
	"os"
	"sync/atomic"

	"github.com/sambad/sambad/importer"
)

// importJob is a commit running in the background, so a long import can
// show its progress.
type importJob struct {
	Total  int
	rows   atomic.Int64
	done   chan struct{}
	Report *importer.Report
	Err    error
}

// startImport commits the upload in its own goroutine, once: a second
// call returns the running job. The import is one transaction, so stopping
// the process half-way stores nothing.
func (s *Server) startImport(up *upload, addToGroups []string) *importJob {
	s.uploads.mu.Lock()
	defer s.uploads.mu.Unlock()
	if up.Job != nil {
		return up.Job
	}
	total := 0
	if up.Preview != nil {
		total = up.Preview.Rows
	}
	j := &importJob{Total: total, done: make(chan struct{})}
	up.Job = j
	go func() {
		j.Report, j.Err = importer.Run(context.Background(), s.store, up.Path, importer.Options{
			Mode: up.Mode, Region: s.cfg.DefaultRegion, MaxBytes: s.importLimit(), TmpDir: s.uploads.dir, Progress: func(n int) { j.rows.Store(int64(n)) }, AddToGroups: addToGroups,
		})
		s.noteImport(up.Name, false, j.Report, j.Err)
		// The file is done with; the result stays on the page until the token expires.
		os.Remove(up.Path)
		close(j.done)
	}()
	return j
}

func (j *importJob) finished() bool {
	select {
	case <-j.done:
		return true
	default:
		return false
	}
}

// Rows is how many rows the commit has read so far.
func (j *importJob) Rows() int64 { return j.rows.Load() }

// Percent is the progress, 0-100.
func (j *importJob) Percent() int64 {
	if j.Total <= 0 {
		return 0
	}
	return min(100, j.rows.Load()*100/int64(j.Total))
}

// Finished reports whether the commit has ended (for templates).
func (j *importJob) Finished() bool { return j.finished() }
