package backup

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// Scheduler makes a backup into Dir once every Every (a day), keeping the
// newest Keep. It checks every Check whether one is due, so a machine that
// slept past the time makes it on waking, and a restart does not make a
// second one the same day.
type Scheduler struct {
	Store *models.Store
	Media MediaFiles // the media library's files (nil: left out)
	Dir   string
	Keep  int
	Every time.Duration    // default 24h
	Check time.Duration    // default 10 minutes
	Now   func() time.Time // default time.Now
}

// Run makes backups until ctx ends. A backup cut off by ctx leaves no file.
func (s *Scheduler) Run(ctx context.Context) {
	every, check, now := s.Every, s.Check, s.Now
	if every <= 0 {
		every = 24 * time.Hour
	}
	if check <= 0 {
		check = 10 * time.Minute
	}
	if now == nil {
		now = time.Now
	}
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		if s.due(now(), every) {
			s.makeOne(ctx, now())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// due reports whether the newest scheduled backup is at least every old.
func (s *Scheduler) due(now time.Time, every time.Duration) bool {
	all, err := List(s.Dir)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err, "dir": s.Dir}).Error("backup: unable to list backups")
		return false
	}
	for _, b := range all {
		if b.Kind == "scheduled" {
			// Stamps have whole seconds: allow for the part cut off.
			return now.Sub(b.Made) >= every-time.Second
		}
	}
	return true
}

func (s *Scheduler) makeOne(ctx context.Context, now time.Time) {
	path, err := Save(ctx, s.Store, s.Media, s.Dir, PrefixScheduled, now)
	if err != nil {
		if ctx.Err() == nil {
			logrus.WithFields(logrus.Fields{"error": err, "dir": s.Dir}).Error("backup: the scheduled backup failed")
		}
		return
	}
	logrus.WithFields(logrus.Fields{"path": path}).Info("backup: scheduled backup made")
	if err := Prune(s.Dir, PrefixScheduled, s.Keep); err != nil {
		logrus.WithFields(logrus.Fields{"error": err, "dir": s.Dir}).Error("backup: unable to delete old backups")
	}
}
