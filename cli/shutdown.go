package cli

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/sirupsen/logrus"
)

// Shutdown stages, in the documented order. The HTTP server stops first so
// no new work arrives; the campaign engine then finishes or checkpoints the
// send in flight; the browser closes only after nothing uses it; sync pushes
// what it holds; the database closes last because every part above writes
// to it while stopping.
const (
	stageHTTP = iota
	stageEngine
	stageBrowser
	stageSync
	stageDatabase
)

var stageNames = map[int]string{
	stageHTTP: "http server", stageEngine: "campaign engine", stageBrowser: "browser",
	stageSync: "sync", stageDatabase: "database",
}

// shutdown is the ordered list of closers run when Sambad stops. Parts
// register as they start, in any order; run sorts them by stage.
type shutdown struct {
	steps []shutdownStep
}

type shutdownStep struct {
	stage int
	name  string
	close func(ctx context.Context) error
}

// add registers a closer for a stage.
func (s *shutdown) add(stage int, name string, close func(ctx context.Context) error) {
	s.steps = append(s.steps, shutdownStep{stage: stage, name: name, close: close})
}

// run closes every part in stage order within grace. A part that fails or
// overruns is logged and the next still closes: the database must close
// even when the browser hangs. A part may use the time left except a
// reserve of up to a second for each part after it, so one slow part cannot
// starve the database.
func (s *shutdown) run(grace time.Duration) error {
	sort.SliceStable(s.steps, func(i, j int) bool { return s.steps[i].stage < s.steps[j].stage })
	deadline := time.Now().Add(grace)
	var errs []error
	for i, st := range s.steps {
		left := time.Until(deadline)
		after := time.Duration(len(s.steps) - i - 1)
		reserve := min(time.Second, left/(after+1))
		budget := max(left-reserve*after, 100*time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), budget)
		done := make(chan error, 1)
		go func() { done <- st.close(ctx) }()
		var err error
		select {
		case err = <-done:
		case <-ctx.Done():
			err = fmt.Errorf("did not stop within %s", budget.Round(time.Millisecond))
		}
		cancel()
		if err != nil {
			logrus.WithFields(logrus.Fields{"part": st.name, "stage": stageNames[st.stage], "error": err}).Error("shutdown: a part did not stop cleanly")
			errs = append(errs, fmt.Errorf("%s: %w", st.name, err))
			continue
		}
		logrus.WithFields(logrus.Fields{"part": st.name}).Info("shutdown: stopped")
	}
	return errors.Join(errs...)
}
