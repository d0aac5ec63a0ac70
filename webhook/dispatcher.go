// Package webhook posts Sambad's events to the endpoints an admin registers.
//
// Events are not produced here: database triggers (migration 00012) write
// them to the webhook_events outbox in the same transaction as the change
// that caused them: a recipient's state, a campaign's state (through the
// activity feed), a WhatsApp session state or a finished import. So an event
// exists exactly when its cause is committed, and the campaign engine never
// waits for a receiver. The Dispatcher reads the outbox after each
// endpoint's cursor and moves the cursor only once the receiver answered
// 2xx: delivery is at least once and in order per endpoint, and a crash or
// restart resumes where the cursor is.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// Store is what the dispatcher needs from the database.
type Store interface {
	EnabledWebhooks(ctx context.Context) (int, error)
	DueWebhooks(ctx context.Context, now time.Time) ([]*models.Webhook, error)
	Webhook(ctx context.Context, id string) (*models.Webhook, error)
	WebhookEventsAfter(ctx context.Context, after int64, limit int) ([]models.WebhookEvent, error)
	WebhookEventByID(ctx context.Context, id int64) (*models.WebhookEvent, error)
	AdvanceWebhook(ctx context.Context, id string, eventID int64, d *models.WebhookDelivery) error
	FailWebhook(ctx context.Context, id string, d *models.WebhookDelivery, next time.Time, maxFailures int) (bool, error)
	RecordWebhookDelivery(ctx context.Context, d *models.WebhookDelivery) error
	WebhookDeliveryByID(ctx context.Context, endpointID string, id int64) (*models.WebhookDelivery, error)
	PruneWebhooks(ctx context.Context, keep time.Duration, logKept int) error
}

// Options tune delivery; zero values take the defaults.
type Options struct {
	AllowPrivate bool          // SAMBAD_WEBHOOK_ALLOW_PRIVATE
	MaxFailures  int           // consecutive failures before an endpoint is switched off (50)
	BaseDelay    time.Duration // first retry delay, doubled each failure (5 s)
	MaxDelay     time.Duration // longest wait between tries (1 h)
	GiveUpAfter  time.Duration // an event still failing this long after it happened is dropped (24 h)
	Timeout      time.Duration // per request (15 s)
	Poll         time.Duration // how often the outbox is read (1 s)
	KeepEvents   time.Duration // delivered events are pruned after this (7 days)
	LogKept      int           // deliveries kept per endpoint (500)
}

func (o *Options) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.BaseDelay, 5*time.Second)
	def(&o.MaxDelay, time.Hour)
	def(&o.GiveUpAfter, 24*time.Hour)
	def(&o.Timeout, 15*time.Second)
	def(&o.Poll, time.Second)
	def(&o.KeepEvents, 7*24*time.Hour)
	if o.MaxFailures <= 0 {
		o.MaxFailures = 50
	}
	if o.LogKept <= 0 {
		o.LogKept = 500
	}
}

// Dispatcher delivers the outbox. Each endpoint is drained by its own
// goroutine, so a slow receiver delays only itself.
type Dispatcher struct {
	store  Store
	opt    Options
	client *http.Client

	mu      sync.Mutex
	running map[string]bool
	wake    chan struct{}
	wg      sync.WaitGroup
}

// New returns a dispatcher; Run starts it.
func New(store Store, opt Options) *Dispatcher {
	opt.defaults()
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !opt.AllowPrivate {
		dialer.Control = dialControl
	}
	tr := &http.Transport{Proxy: nil, DialContext: dialer.DialContext, MaxIdleConnsPerHost: 2,
		TLSHandshakeTimeout: 10 * time.Second, IdleConnTimeout: 90 * time.Second}
	client := &http.Client{Transport: tr, Timeout: opt.Timeout,
		// A redirect could lead anywhere; the receiver must answer itself.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Dispatcher{store: store, opt: opt, client: client, running: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// AllowPrivate reports whether endpoints may be on private networks.
func (d *Dispatcher) AllowPrivate() bool { return d.opt.AllowPrivate }

// Notify makes Run look at the outbox now rather than at its next poll.
func (d *Dispatcher) Notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends, then waits for deliveries in flight (each
// bounded by the request timeout). An event whose delivery was cut short
// is sent again at the next start.
func (d *Dispatcher) Run(ctx context.Context) {
	defer d.wg.Wait()
	tick := time.NewTicker(d.opt.Poll)
	defer tick.Stop()
	lastPrune := time.Time{}
	for {
		enabled := d.startDue(ctx)
		if time.Since(lastPrune) > time.Hour {
			lastPrune = time.Now()
			if err := d.store.PruneWebhooks(ctx, d.opt.KeepEvents, d.opt.LogKept); err != nil && ctx.Err() == nil {
				logrus.WithFields(logrus.Fields{"error": err}).Error("webhook: unable to prune")
			}
		}
		// With no endpoint switched on there is nothing to poll for: the
		// pages and the API call Notify when one is added or switched on.
		// The slow poll covers changes made elsewhere (another install on a
		// shared cloud database, a restore).
		idle := tick.C
		if !enabled {
			idle = time.After(idlePoll)
		}
		select {
		case <-ctx.Done():
			return
		case <-idle:
		case <-d.wake:
		}
	}
}

// idlePoll is how often the outbox is looked at while no endpoint is on.
const idlePoll = time.Minute

// startDue starts draining each endpoint whose backoff has run out, and
// reports whether any endpoint is switched on (due or waiting).
func (d *Dispatcher) startDue(ctx context.Context) bool {
	n, err := d.store.EnabledWebhooks(ctx)
	if err != nil || n == 0 {
		d.logStoreError(ctx, err)
		return err != nil // on an error, keep polling at the usual pace
	}
	hooks, err := d.store.DueWebhooks(ctx, time.Now())
	if err != nil {
		d.logStoreError(ctx, err)
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, w := range hooks {
		if d.running[w.ID] {
			continue
		}
		d.running[w.ID] = true
		d.wg.Add(1)
		go func(id string) {
			defer d.wg.Done()
			d.drain(ctx, id)
			d.mu.Lock()
			delete(d.running, id)
			d.mu.Unlock()
		}(w.ID)
	}
	return true
}

// drain sends an endpoint the events after its cursor, oldest first, until
// none is left or one fails (then the endpoint waits out its backoff).
func (d *Dispatcher) drain(ctx context.Context, id string) {
	for ctx.Err() == nil {
		// Read again each batch: the admin may have changed the URL or
		// secret, or switched the endpoint off.
		w, err := d.store.Webhook(ctx, id)
		if err != nil || !w.Enabled {
			return
		}
		events, err := d.store.WebhookEventsAfter(ctx, w.LastEventID, 100)
		if err != nil || len(events) == 0 {
			d.logStoreError(ctx, err)
			return
		}
		var skipped int64
		prev := w.LastEventID
		for _, e := range events {
			if e.ID != prev+1 && time.Since(e.At) < gapWait && prev != 0 {
				// A gap: on Postgres a transaction that took an earlier id
				// may not have committed yet. Wait for it a little; a gap
				// left by a rollback stays, and is passed once it is old.
				break
			}
			prev = e.ID
			if !w.Wants(e.Type) {
				skipped = e.ID
				continue
			}
			res := d.post(ctx, w, eventID(e.ID), e.Type, e.At, json.RawMessage(e.Payload))
			res.EventID = e.ID
			if ctx.Err() != nil && !res.OK {
				return // shutting down: this event goes again at the next start
			}
			if !res.OK && time.Since(e.At) < d.opt.GiveUpAfter {
				d.fail(ctx, w, res)
				return
			}
			if !res.OK {
				res.Error = fmt.Sprintf("gave up after %s: %s", d.opt.GiveUpAfter, res.summary())
			}
			if err := d.store.AdvanceWebhook(ctx, id, e.ID, res.WebhookDelivery); err != nil {
				d.logStoreError(ctx, err)
				return
			}
			skipped = 0
			w.Failures = 0
		}
		if skipped > 0 {
			if err := d.store.AdvanceWebhook(ctx, id, skipped, nil); err != nil {
				d.logStoreError(ctx, err)
				return
			}
		}
		if prev != events[len(events)-1].ID {
			return // stopped at a gap: the next poll looks again
		}
	}
}

func (d *Dispatcher) fail(ctx context.Context, w *models.Webhook, res delivery) {
	next := time.Now().Add(d.backoff(w.Failures + 1))
	disabled, err := d.store.FailWebhook(ctx, w.ID, res.WebhookDelivery, next, d.opt.MaxFailures)
	if err != nil {
		d.logStoreError(ctx, err)
		return
	}
	if disabled {
		logrus.WithFields(logrus.Fields{"webhook": w.ID, "failures": d.opt.MaxFailures, "last": res.summary()}).
			Error("webhook: endpoint switched off after repeated failures")
	}
}

// backoff is the wait after the nth consecutive failure: BaseDelay doubled
// each time, at most MaxDelay.
func (d *Dispatcher) backoff(n int) time.Duration {
	wait := d.opt.BaseDelay
	for i := 1; i < n && wait < d.opt.MaxDelay; i++ {
		wait *= 2
	}
	if wait > d.opt.MaxDelay {
		wait = d.opt.MaxDelay
	}
	return wait
}

func (d *Dispatcher) logStoreError(ctx context.Context, err error) {
	if err != nil && ctx.Err() == nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("webhook: store error")
	}
}

// gapWait is how long a hole in the outbox's ids holds delivery back: longer
// than any transaction that writes an event stays open.
const gapWait = 5 * time.Second

func eventID(id int64) string { return strconv.FormatInt(id, 10) }

// Event is the JSON body of every delivery.
type Event struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Time    time.Time       `json:"time"`
	Payload json.RawMessage `json:"payload"`
}

type delivery struct{ *models.WebhookDelivery }

// post sends one event and reports how it went. The body is the same on
// every try (id and time come from the outbox), so its signature is too.
func (d *Dispatcher) post(ctx context.Context, w *models.Webhook, id, typ string, at time.Time, payload json.RawMessage) delivery {
	res := delivery{&models.WebhookDelivery{EndpointID: w.ID, EventType: typ}}
	body, err := json.Marshal(Event{ID: id, Type: typ, Time: at.UTC(), Payload: payload})
	if err != nil {
		res.Error = "cannot encode the event: " + err.Error()
		return res
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		res.Error = "bad URL: " + err.Error()
		return res
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Sambad-Webhooks/1")
	req.Header.Set(HeaderSignature, Sign(w.Secret, body))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(time.Now().Unix(), 10))
	req.Header.Set(HeaderEvent, typ)
	req.Header.Set(HeaderEventID, id)
	start := time.Now()
	resp, err := d.client.Do(req)
	res.LatencyMS = time.Since(start).Milliseconds()
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer resp.Body.Close()
	excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	res.Status = resp.StatusCode
	res.Response = string(bytes.ToValidUTF8(excerpt, nil))
	res.OK = resp.StatusCode >= 200 && resp.StatusCode < 300
	return res
}

func (r delivery) summary() string {
	if r.Error != "" {
		return r.Error
	}
	return fmt.Sprintf("HTTP %d", r.Status)
}

// SendTest posts a webhook.test event to an endpoint now, whatever its
// backoff, and logs the attempt.
func (d *Dispatcher) SendTest(ctx context.Context, endpointID string) (*models.WebhookDelivery, error) {
	w, err := d.store.Webhook(ctx, endpointID)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	payload, _ := json.Marshal(map[string]string{"message": "A test event from Sambad: this endpoint is set up."})
	res := d.post(ctx, w, "test-"+strconv.FormatInt(now.UnixNano(), 10), "webhook.test", now, payload)
	res.Source = "test"
	return res.WebhookDelivery, d.store.RecordWebhookDelivery(ctx, res.WebhookDelivery)
}

// SendAgain posts the event of a logged delivery once more (same id and
// body) and logs the attempt; the endpoint's cursor does not move.
func (d *Dispatcher) SendAgain(ctx context.Context, endpointID string, deliveryID int64) (*models.WebhookDelivery, error) {
	prev, err := d.store.WebhookDeliveryByID(ctx, endpointID, deliveryID)
	if err != nil {
		return nil, err
	}
	if prev.EventID == 0 {
		return d.SendTest(ctx, endpointID)
	}
	w, err := d.store.Webhook(ctx, endpointID)
	if err != nil {
		return nil, err
	}
	e, err := d.store.WebhookEventByID(ctx, prev.EventID)
	if err != nil {
		return nil, err
	}
	res := d.post(ctx, w, eventID(e.ID), e.Type, e.At, json.RawMessage(e.Payload))
	res.EventID, res.Source = e.ID, "again"
	return res.WebhookDelivery, d.store.RecordWebhookDelivery(ctx, res.WebhookDelivery)
}
