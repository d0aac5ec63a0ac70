package cli

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// cloudOpener opens the cloud store, trying again until it opens: soon and
// then less often (minWait doubling to maxWait) while the database is out of
// reach, every fixWait while it answers but refuses Sambad (wrong password,
// no such database), since the user may fix that on the server's side.
type cloudOpener struct {
	databaseURL string
	host        string
	openStore   func(ctx context.Context) (*models.Store, error)

	minWait, maxWait, fixWait time.Duration

	mu sync.Mutex
	st server.CloudStatus
}

func newCloudOpener(cfg *config.Config) *cloudOpener {
	return &cloudOpener{
		databaseURL: cfg.DatabaseURL,
		host:        databaseHost(cfg.DatabaseURL),
		openStore:   func(ctx context.Context) (*models.Store, error) { return openStore(ctx, cfg) },
		minWait:     time.Second,
		maxWait:     30 * time.Second,
		fixWait:     time.Minute,
		st:          server.CloudStatus{Host: databaseHost(cfg.DatabaseURL)},
	}
}

// status is what the 503 page shows.
func (o *cloudOpener) status() server.CloudStatus {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.st
}

// open tries until the store opens, ctx ends, or DATABASE_URL turns out to
// be unusable as written. It logs when the reason changes, not every try.
func (o *cloudOpener) open(ctx context.Context) (*models.Store, error) {
	wait, logged := o.minWait, ""
	for {
		store, err := o.openStore(ctx)
		if err == nil {
			logrus.WithFields(logrus.Fields{"host": o.host, "attempts": o.status().Attempts + 1}).Info("cloud database: connected")
			return store, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, models.ErrBadDatabaseURL) {
			return nil, err
		}
		reason, needsFix := describeOpenError(err)
		next := wait
		if needsFix {
			next = o.fixWait
		} else {
			wait = min(2*wait, o.maxWait)
		}
		now := time.Now()
		o.mu.Lock()
		o.st.Reason, o.st.NeedsFix, o.st.LastTry, o.st.NextTry = reason, needsFix, now, now.Add(next)
		o.st.Attempts++
		o.mu.Unlock()
		if reason != logged {
			logged = reason
			fields := logrus.Fields{"host": o.host, "reason": reason, "error": redactURL(err.Error(), o.databaseURL)}
			if needsFix {
				logrus.WithFields(fields).Error("cloud database: it refuses Sambad; retrying every minute until that is fixed")
			} else {
				logrus.WithFields(fields).Warn("cloud database: unreachable; pages answer 503 and Sambad keeps trying")
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(next):
		}
	}
}

// databaseHost is the host:port of a database URL, never its credentials.
func databaseHost(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil || u.Host == "" {
		return "(unknown host)"
	}
	return u.Host
}

// redactURL removes the URL's password from s, in case a driver echoes it.
func redactURL(s, databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return s
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		s = strings.ReplaceAll(s, pw, "****")
	}
	return s
}
