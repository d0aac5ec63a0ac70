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
	// Local is the install's SQLite database, handed over by whoever opened
	// it (cli): the worker owns its sync tables, the models store the rest.
	Local *models.DB
	// CloudURL is the Postgres (Supabase) URL; PGExecMode as in models.OpenOptions.
	CloudURL   string
	PGExecMode string
	// Interval between pulls when nothing happens (default 1s).
	Interval time.Duration
	// MinBackoff and MaxBackoff bound the wait between attempts while the
	// cloud is unreachable (defaults 500ms and 2s: a retry is one refused
	// or timed-out connection, and a short cap lets a healed network
	// converge within seconds).
	MinBackoff, MaxBackoff time.Duration
	// OpTimeout bounds one round trip (default 30s).
	OpTimeout time.Duration
	// BatchSize is how many ops travel per round trip (default 1000).
	BatchSize int
	// PruneInterval is the least time between two prunes of the cloud's
	// record of this install's applied ops (default 1 min; see prune).
	PruneInterval time.Duration

	afterPush func() // tests: called between the cloud's answer and the local acknowledgement

	once      sync.Once
	kick      chan struct{}
	roundMu   sync.Mutex // one round at a time: the worker's, or PullNow's
	mu        sync.Mutex
	cloud     *models.DB
	installID string
	state     string // "", online, offline, error
	connected bool
	lastPush  time.Time // last successful push and pull in this process
	lastPull  time.Time
	lastErr   string
	lastErrAt time.Time

	// Pruning state, used by the round's goroutine only. pruneClean: nothing
	// was pushed since the last complete prune (false at start, so that a
	// new process prunes what earlier ones left).
	pruneClean bool
	lastPrune  time.Time
}

func (w *Worker) init() {
	w.once.Do(func() {
		w.kick = make(chan struct{}, 1)
		if w.Interval <= 0 {
			w.Interval = time.Second
		}
		if w.MinBackoff <= 0 {
			w.MinBackoff = 500 * time.Millisecond
		}
		if w.MaxBackoff <= 0 {
			w.MaxBackoff = 2 * time.Second
		}
		if w.BatchSize <= 0 {
			w.BatchSize = 1000
		}
		if w.PruneInterval <= 0 {
			w.PruneInterval = time.Minute
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

// Run syncs until ctx is done; it returns nil then. It never gives up: an
// unreachable cloud (a paused Supabase project, no network) is "offline",
// and every failure is retried with backoff and logged once per change of
// state.
func (w *Worker) Run(ctx context.Context) error {
	w.init()
	id, err := Enable(ctx, w.Local)
	for backoff := w.MinBackoff; err != nil; backoff = min(backoff*2, time.Minute) {
		// A local problem (a locked or full disk): say so once, keep trying.
		w.noteResult(err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(jitter(backoff)):
		}
		id, err = Enable(ctx, w.Local)
	}
	w.mu.Lock()
	w.installID = id
	w.mu.Unlock()
	defer w.closeCloud()
	defer w.flush()
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

// FlushTimeout bounds the last push on shutdown.
const FlushTimeout = 5 * time.Second

// flush pushes what waits in the outbox once more as the worker stops (the
// campaign engine stops first, so its last outcomes reach the cloud before
// another install takes the campaign over). Offline, it gives up after
// FlushTimeout: nothing is lost, the outbox keeps it.
func (w *Worker) flush() {
	ctx, cancel := context.WithTimeout(context.Background(), FlushTimeout)
	defer cancel()
	if n, err := w.pendingCount(ctx); err != nil || n == 0 {
		return
	}
	w.mu.Lock()
	online := w.state == "online"
	w.mu.Unlock()
	if !online {
		return
	}
	w.roundMu.Lock()
	defer w.roundMu.Unlock()
	if err := w.push(ctx); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Warn("sync: the last push before stopping failed; the changes wait in the outbox")
	}
}

func jitter(d time.Duration) time.Duration {
	return d - d/5 + time.Duration(rand.Int64N(int64(d)/5*2+1))
}

// Round pushes every waiting op, then pulls every change; it is what Run
// repeats, exposed for tests and tools.
func (w *Worker) Round(ctx context.Context) error {
	w.init()
	if err := w.enable(ctx); err != nil {
		return err
	}
	err := w.round(ctx)
	w.noteResult(err)
	return err
}

// enable turns the outbox on and learns the install id, once.
func (w *Worker) enable(ctx context.Context) error {
	if w.installID != "" {
		return nil
	}
	id, err := Enable(ctx, w.Local)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.installID = id
	w.mu.Unlock()
	return nil
}

// round pushes the whole outbox, then pulls; one at a time. A pull only
// ever follows a complete push, so no op still in the outbox at pull time
// has reached the cloud: the pull may keep local fields that such ops will
// overwrite, because they will. (An op the cloud applied whose answer was
// lost is applied only once; were a pull to skip a newer cloud value for
// it meanwhile, the replay would not bring that value back.)
func (w *Worker) round(ctx context.Context) error {
	w.roundMu.Lock()
	defer w.roundMu.Unlock()
	if err := w.push(ctx); err != nil {
		return err
	}
	w.pruneIfDue(ctx)
	return w.pull(ctx)
}

// push sends the whole outbox, in order, BatchSize ops per round trip.
func (w *Worker) push(ctx context.Context) error {
	w.init()
	cloud, err := w.connect(ctx)
	if err != nil {
		return err
	}
	local := w.Local.SQL()
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
	if err := w.pushAll(ctx, local, cloud); err != nil {
		return err
	}
	// The outbox is empty as far as this round goes: a successful push
	// (kept in memory; written down only with a pull that changed something,
	// so an idle install does not write its database every second).
	w.mu.Lock()
	w.lastPush = time.Now().UTC()
	w.mu.Unlock()
	return nil
}

// PullNow applies every change the cloud holds now, before it returns: a
// new campaign lease holder calls it so that it sees what the last holder
// reported before deciding what is left to send. It is a whole round (push,
// then pull), like the worker's own: see round.
func (w *Worker) PullNow(ctx context.Context) error {
	w.init()
	if w.InstallID() == "" {
		return errors.New("syncer: the sync worker has not started yet")
	}
	err := w.round(ctx)
	w.noteResult(err)
	return err
}

// pull applies every change the cloud has after this install's cursor.
func (w *Worker) pull(ctx context.Context) error {
	cloud, err := w.connect(ctx)
	if err != nil {
		return err
	}
	local := w.Local.SQL()
	for {
		var raw string
		if err := local.QueryRowContext(ctx, qCursor).Scan(&raw); err != nil {
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
		if len(page) > 0 || w.hasHeld(ctx, local) {
			if _, err := applyPage(ctx, local, page, next); err != nil {
				return err
			}
		}
		w.mu.Lock()
		w.lastPull = time.Now().UTC()
		w.mu.Unlock()
		if len(page) < w.BatchSize {
			return nil
		}
	}
}

// hasHeld reports whether pulled rows wait to be applied (an error counts as yes).
func (w *Worker) hasHeld(ctx context.Context, local *sql.DB) bool {
	var n int64
	err := local.QueryRowContext(ctx, qCountHeld).Scan(&n)
	return err != nil || n > 0
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
		cloud, err = models.OpenDB(octx, models.OpenOptions{DatabaseURL: dsn, PGExecMode: w.PGExecMode})
		if err != nil {
			return nil, err
		}
		if err := enableTracking(octx, cloud); err != nil {
			cloud.Close()
			return nil, err
		}
		// The campaign engine's leases connect too: keep one pool.
		w.mu.Lock()
		if w.cloud != nil {
			cloud.Close()
			cloud = w.cloud
		}
		w.cloud = cloud
		w.mu.Unlock()
	}
	return cloud.SQL(), nil
}

// enableTracking makes the cloud database version every change from now on
// (a database only `cloud` installs have used does not), recording the rows
// already stored, so that this install pulls them.
func enableTracking(ctx context.Context, cloud *models.DB) error {
	var did bool
	if err := cloud.SQL().QueryRowContext(ctx, qEnableTracking).Scan(&did); err != nil {
		return fmt.Errorf("syncer: unable to turn on change tracking in the cloud database: %w", err)
	}
	if did {
		logrus.Info("sync: the cloud database now tracks changes for hybrid installs")
	}
	return nil
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
	if err := w.Local.SQL().QueryRowContext(ctx, qCountOutbox).Scan(&n); err != nil {
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
