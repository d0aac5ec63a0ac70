package numbercheck

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// DefaultPreset is the pacing of a check when the request names none:
// a check opens a chat per number, which WhatsApp sees as activity.
const DefaultPreset = "short"

// Options configure a Runner.
type Options struct {
	Store   Store
	Checker Checker
	// MinDelay is the shortest wait between two checks a job may ask for
	// (default campaign.FastDelay; never hammer WhatsApp). Negative allows
	// any, for tests.
	MinDelay time.Duration
	// CheckTimeout bounds one check (default 90 s).
	CheckTimeout time.Duration
	// RetryNotReady is how often a waiting job asks again whether WhatsApp
	// is ready, besides being woken by SessionChanged (default 5 s).
	RetryNotReady time.Duration
	// IdlePoll is how often an idle runner looks for jobs (default 5 s; a
	// new job wakes it at once).
	IdlePoll time.Duration
}

// Runner works the number check jobs, one number at a time.
type Runner struct {
	store   Store
	checker Checker
	opts    Options
	kick    chan struct{}
	rng     *rand.Rand
}

// New returns a Runner; call Run to start it.
func New(o Options) *Runner {
	if o.MinDelay == 0 {
		o.MinDelay = campaign.FastDelay
	}
	if o.CheckTimeout <= 0 {
		o.CheckTimeout = 90 * time.Second
	}
	if o.RetryNotReady <= 0 {
		o.RetryNotReady = 5 * time.Second
	}
	if o.IdlePoll <= 0 {
		o.IdlePoll = 5 * time.Second
	}
	return &Runner{store: o.Store, checker: o.Checker, opts: o, kick: make(chan struct{}, 1),
		rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 17))}
}

// wake tells the runner something changed (a new job, a cancel, the session).
func (r *Runner) wake() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// SessionChanged wakes a job waiting for WhatsApp.
func (r *Runner) SessionChanged() { r.wake() }

// Request is a check asked for: numbers (E.164, already normalised) and
// the contacts they belong to ("" for a bare number), one per number.
type Request struct {
	Phones     []string
	ContactIDs []string
	AccountID  string
	Pacing     models.Pacing
}

// Start stores a new job and wakes the runner. Errors a person can act on
// are *campaign.Error.
func (r *Runner) Start(ctx context.Context, req Request) (*models.NumberCheck, error) {
	if len(req.Phones) == 0 {
		return nil, &campaign.Error{Status: http.StatusUnprocessableEntity, Message: "give at least one number to check"}
	}
	if len(req.Phones) > models.MaxNumberCheck {
		return nil, &campaign.Error{Status: http.StatusUnprocessableEntity,
			Message: fmt.Sprintf("%d numbers: a check takes at most %d; check them in several parts", len(req.Phones), models.MaxNumberCheck)}
	}
	if err := r.checker.ValidAccount(ctx, req.AccountID); err != nil {
		return nil, &campaign.Error{Status: http.StatusUnprocessableEntity, Message: err.Error(), Err: err}
	}
	p, err := r.pacing(req.Pacing)
	if err != nil {
		return nil, err
	}
	items := make([]models.NumberCheckItem, len(req.Phones))
	for i, ph := range req.Phones {
		items[i].Phone = ph
		if i < len(req.ContactIDs) {
			items[i].ContactID = req.ContactIDs[i]
		}
	}
	n := &models.NumberCheck{AccountID: req.AccountID, Pacing: p}
	if err := r.store.CreateNumberCheck(ctx, n, items); err != nil {
		return nil, err
	}
	logrus.WithFields(logrus.Fields{"check": n.ID, "numbers": n.Total, "preset": p.Preset}).Info("numbercheck: job queued")
	r.wake()
	return n, nil
}

// pacing fills a preset and refuses a pace faster than MinDelay.
func (r *Runner) pacing(p models.Pacing) (models.Pacing, error) {
	if p.Preset == "" && p.MinDelayMS == 0 && p.MaxDelayMS == 0 {
		p.Preset = DefaultPreset
	}
	p, err := campaign.NormalizePacing(p)
	if err != nil {
		return p, err
	}
	if r.opts.MinDelay > 0 && time.Duration(p.MinDelayMS)*time.Millisecond < r.opts.MinDelay {
		return p, &campaign.Error{Status: http.StatusUnprocessableEntity,
			Message: fmt.Sprintf("a number check waits at least %s between two numbers, so WhatsApp does not take it for a bot: raise the minimum delay", r.opts.MinDelay)}
	}
	return p, nil
}

// Cancel stops a job; what it found so far is kept.
func (r *Runner) Cancel(ctx context.Context, id string) (*models.NumberCheck, error) {
	err := r.store.MoveNumberCheck(ctx, id, models.NumberCheckCancelled, "cancelled")
	if errors.Is(err, models.ErrState) {
		n, gerr := r.store.GetNumberCheck(ctx, id)
		if gerr != nil {
			return nil, gerr
		}
		return nil, &campaign.Error{Status: http.StatusConflict, Message: fmt.Sprintf("the check is %s already", n.State), Err: err}
	}
	if err != nil {
		return nil, err
	}
	r.wake()
	return r.store.GetNumberCheck(ctx, id)
}

// Get returns a job with its counts.
func (r *Runner) Get(ctx context.Context, id string) (*models.NumberCheck, error) {
	return r.store.GetNumberCheck(ctx, id)
}
