package syncer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// Worker pushes the local outbox to the cloud database and pulls the
// cloud's changes. Its owner runs Run in one goroutine and cancels its
// context to stop it (after the HTTP server and the campaign engine, before
// the database is closed).
type Worker struct {
	// Local is the install's SQLite store.
	Local *models.Store
	// CloudURL is the Postgres (Supabase) URL; PGExecMode as in models.OpenOptions.
	CloudURL   string
	PGExecMode string
	// Interval between pulls when nothing happens (default 2s).
	Interval time.Duration
	// MinBackoff and MaxBackoff bound the wait between attempts while the
	// cloud is unreachable (defaults 500ms and 3s).
	MinBackoff, MaxBackoff time.Duration
	// OpTimeout bounds one round trip (default 30s).
	OpTimeout time.Duration
	// BatchSize is how many ops travel per round trip (default 1000).
	BatchSize int

	afterPush func() // tests: called between the cloud's answer and the local acknowledgement

	once      sync.Once
	kick      chan struct{}
	mu        sync.Mutex
	cloud     *models.Store
	installID string
	state     string // "", online, offline, error
	connected bool
	lastErr   string
	lastErrAt time.Time
}

func (w *Worker) init() {
	w.once.Do(func() {
		w.kick = make(chan struct{}, 1)
		if w.Interval <= 0 {
			w.Interval = 2 * time.Second
		}
		if w.MinBackoff <= 0 {
			w.MinBackoff = 500 * time.Millisecond
		}
		if w.MaxBackoff <= 0 {
			w.MaxBackoff = 3 * time.Second
		}
		if w.BatchSize <= 0 {
			w.BatchSize = 1000
		}
	})
}

func (w *Worker) opTimeout() time.Duration {
	if w.OpTimeout <= 0 {
		return 30 * time.Second
	}
	return w.OpTimeout
}

// SyncNow asks the worker for a push and pull at once (the sync page's button).
func (w *Worker) SyncNow() {
	w.init()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run syncs until ctx is done. It never fails for a network problem: an
// unreachable cloud (a paused Supabase project, no network) is "offline",
// retried with backoff and logged once per change of state.
func (w *Worker) Run(ctx context.Context) error {
	w.init()
	id, err := Enable(ctx, w.Local)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.installID = id
	w.mu.Unlock()
	defer w.closeCloud()
	backoff := w.MinBackoff
	lastPull := time.Time{}
	for {
		wait := 250 * time.Millisecond
		pending, err := w.pendingCount(ctx)
		if err == nil && (pending > 0 || time.Since(lastPull) >= w.Interval) {
			if err = w.Round(ctx); err == nil {
				lastPull = time.Now()
				backoff = w.MinBackoff
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			wait = jitter(backoff)
			backoff = min(backoff*2, w.MaxBackoff)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-w.kick:
			backoff = w.MinBackoff
			lastPull = time.Time{}
		case <-time.After(wait):
		}
	}
}

func jitter(d time.Duration) time.Duration {
	return d - d/5 + time.Duration(rand.Int64N(int64(d)/5*2+1))
}

// Round pushes every waiting op, then pulls every change; it is what Run
// repeats, exposed for tests and tools.
func (w *Worker) Round(ctx context.Context) error {
	w.init()
	if w.installID == "" {
		id, err := Enable(ctx, w.Local)
		if err != nil {
			return err
		}
		w.mu.Lock()
		w.installID = id
		w.mu.Unlock()
	}
	err := w.round(ctx)
	w.noteResult(err)
	return err
}

func (w *Worker) round(ctx context.Context) error {
	cloud, err := w.connect(ctx)
	if err != nil {
		return err
	}
	local, err := w.Local.DB().DB()
	if err != nil {
		return fmt.Errorf("syncer: %w", err)
	}
	schema, err := w.Local.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, w.opTimeout())
	err = checkSchema(cctx, cloud, schema)
	cancel()
	if err != nil {
		return err
	}
	for {
		n, err := w.pushBatch(ctx, local, cloud, w.BatchSize)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	// The outbox is empty as far as this round goes: a successful push.
	if err := setState(ctx, local, "last_push_at", time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
		return err
	}
	for {
		var raw string
		if err := local.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM sync_state WHERE key = 'cursor'), '')`).Scan(&raw); err != nil {
			return fmt.Errorf("syncer: unable to read the pull cursor: %w", err)
		}
		page, err := w.fetchPage(ctx, cloud, parseCursor(raw), w.BatchSize)
		if err != nil {
			return err
		}
		var next *cursor
		if len(page) > 0 {
			last := page[len(page)-1]
			next = &cursor{last.Version, last.Table, last.RowID}
		}
		if _, err := applyPage(ctx, local, page, next); err != nil {
			return err
		}
		if len(page) < w.BatchSize {
			return nil
		}
	}
}

// connect opens the cloud store (running its migrations) once.
func (w *Worker) connect(ctx context.Context) (*sql.DB, error) {
	w.mu.Lock()
	cloud := w.cloud
	w.mu.Unlock()
	if cloud == nil {
		dsn, err := withConnectTimeout(w.CloudURL, w.opTimeout())
		if err != nil {
			return nil, err
		}
		octx, cancel := context.WithTimeout(ctx, w.opTimeout())
		defer cancel()
		cloud, err = models.Open(octx, models.OpenOptions{DatabaseURL: dsn, PGExecMode: w.PGExecMode})
		if err != nil {
			return nil, err
		}
		w.mu.Lock()
		w.cloud = cloud
		w.mu.Unlock()
	}
	db, err := cloud.DB().DB()
	if err != nil {
		return nil, fmt.Errorf("syncer: %w", err)
	}
	return db, nil
}

// withConnectTimeout bounds connecting, so a blackholed network (a paused
// project behind a firewall) fails in bounded time.
func withConnectTimeout(raw string, d time.Duration) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("syncer: DATABASE_URL is not a valid URL")
	}
	q := u.Query()
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", fmt.Sprint(max(1, int(d.Seconds()))))
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func (w *Worker) closeCloud() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cloud != nil {
		w.cloud.Close()
		w.cloud = nil
	}
}

func (w *Worker) pendingCount(ctx context.Context) (int64, error) {
	var n int64
	err := w.Local.DB().WithContext(ctx).Raw(`SELECT COUNT(*) FROM sync_outbox`).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("syncer: unable to count waiting changes: %w", err)
	}
	return n, nil
}

// noteResult tracks the connection state and logs only when it changes, so a
// paused cloud project makes one line in error.log, not one per attempt.
func (w *Worker) noteResult(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	prev, prevErr := w.state, w.lastErr
	switch {
	case err == nil:
		w.state, w.connected = "online", true
	case errors.Is(err, context.Canceled):
		return
	case isOffline(err):
		w.state, w.connected = "offline", false
	default:
		w.state = "error"
		var se *ErrSchema
		w.connected = errors.As(err, &se)
	}
	if err != nil {
		w.lastErr, w.lastErrAt = err.Error(), time.Now()
	}
	if w.state == prev && (w.state != "error" || w.lastErr == prevErr) {
		return
	}
	switch w.state {
	case "online":
		logrus.WithFields(logrus.Fields{"install_id": w.installID}).Info("sync: connected to the cloud database")
	case "offline":
		logrus.WithFields(logrus.Fields{"error": err, "install_id": w.installID}).Warn("sync: the cloud database is unreachable; working offline and retrying")
	default:
		logrus.WithFields(logrus.Fields{"error": err, "install_id": w.installID}).Error("sync: unable to sync")
	}
}
