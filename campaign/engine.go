package campaign

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// Options configure an Engine.
type Options struct {
	Store  Store
	Sender Sender
	// Files opens the files campaigns send (the media library); nil: a
	// campaign with files is refused at its start.
	Files    Files
	Location *time.Location // quiet hours and the daily cap are read here; default time.Local
	Clock    Clock          // default: the real clock
	// ClaimBatch is the most recipients one statement marks "sending" when
	// the pacing has no delays at all (default 512); paced campaigns claim
	// one at a time.
	ClaimBatch int
	// SendTimeout bounds one send; shutdown waits for a send in flight
	// rather than abandoning it half-done. Default 2 minutes.
	SendTimeout time.Duration
	// IdlePoll is how often an idle engine looks for due schedules and for
	// the WhatsApp session coming back. Default 1 s.
	IdlePoll time.Duration
	// Lease, in hybrid mode, gives each campaign one sending install among
	// those sharing a database. Nil (local and cloud modes): every running
	// campaign is sent here, and shutdown pauses them.
	Lease Lease
	// LeaseTTL is how long a taken lease runs (default DefaultLeaseTTL);
	// the runner renews it every LeaseTTL/3 while it sends the campaign.
	LeaseTTL time.Duration
	// TakeoverGrace is how long a new holder waits for the last holder's
	// unreported sends (default DefaultTakeoverGrace).
	TakeoverGrace time.Duration
	// SenderFor, when set, is the Sender of a campaign's WhatsApp accounts
	// (Campaign.AccountIDs): its sends, its readiness and the chats its
	// interrupted sends are reconciled on. Nil sends every campaign through
	// Sender, which also answers CanSend.
	SenderFor func(c *models.Campaign) Sender
	// AccountSender, when set, is the Sender of one WhatsApp account: a
	// campaign with several account_ids rotates over them, and a recipient
	// left "sending" is reconciled on the account that holds it. Nil: no
	// rotation (every campaign sends through SenderFor or Sender).
	AccountSender func(id string) Sender
	// HoldsAccount, when set, reports whether this install holds WhatsApp
	// account id (hybrid mode: whatsapp_accounts.holder_install_id names
	// the install whose disk holds its profile). A campaign's lease is
	// taken only by an install holding one of its accounts (the first
	// account for a campaign without account_ids), and it sends, and reads
	// chats, only through the accounts it holds. Nil: every account.
	HoldsAccount func(id string) bool
}

// Engine runs campaigns: one runner goroutine, owned by whoever calls Run,
// sends the running campaigns one after the other (oldest start first),
// since they share one WhatsApp account.
//
// Shutdown: cancel Run's context. The runner finishes the send in flight
// (bounded by SendTimeout), writes its outcome, pauses every running
// campaign with reason "shutdown" and returns; the next Run resumes them.
// With a Lease it pauses nothing and releases the lease instead, so another
// install takes the campaign over. Stop the HTTP server before the engine
// and the browser after it.
//
// With a Lease, a running campaign is sent only by the install holding its
// lease; the others skip it (and show who sends it) without touching its
// state, and take it over when the lease is released or runs out.
type Engine struct {
	store  Store
	sender Sender
	files  Files // nil: campaigns with files cannot start
	clock  Clock
	lease  Lease          // nil outside hybrid mode
	loc    *time.Location // where quiet hours and the daily cap are read
	opts   Options        // the tuning values (batch size, timeouts, lease timing)

	live   liveBoard
	counts countCache
	kick   chan struct{}
	rng    *rand.Rand

	mu    sync.Mutex
	early map[string]earlyAck // acks that arrived before their send's outcome was written
	// outcomes the database refused, per campaign, written before the
	// campaign goes on (and consulted before reconciling from chats)
	unrecorded map[string][]models.Outcome
	// sentToday counts today's sends per account ("" = every account),
	// each read from the store once a day; firstAccount is the account of
	// campaigns without account_ids, as last read
	sentToday    map[string]int64
	day          time.Time
	firstAccount string
	// campaigns whose lease table could not be reached (logged once)
	leaseOffline map[string]bool
	// cur is the lease of the campaign the runner sends (runner goroutine only)
	cur *heldLease
	// claims is what this install claimed, per campaign (hybrid mode)
	claims map[string]claimState
}

type earlyAck struct {
	state string
	at    time.Time
}

// New returns an engine; call Run to start it.
func New(o Options) *Engine {
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.ClaimBatch < 1 {
		o.ClaimBatch = 512
	}
	if o.SendTimeout <= 0 {
		o.SendTimeout = 2 * time.Minute
	}
	if o.IdlePoll <= 0 {
		o.IdlePoll = time.Second
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = DefaultLeaseTTL
	}
	if o.TakeoverGrace <= 0 {
		o.TakeoverGrace = DefaultTakeoverGrace
	}
	return &Engine{
		store:  o.Store,
		sender: o.Sender,
		files:  o.Files,
		clock:  o.Clock,
		lease:  o.Lease,
		loc:    o.Location,
		opts:   o,
		live:   liveBoard{m: map[string]*Live{}},
		counts: countCache{m: map[string]cachedCounts{}},
		kick:   make(chan struct{}, 1),
		rng:    rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)),
		early:  map[string]earlyAck{},

		unrecorded:   map[string][]models.Outcome{},
		leaseOffline: map[string]bool{},
		claims:       map[string]claimState{},
	}
}

// wake tells the runner something changed.
func (e *Engine) wake() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

// SessionChanged tells the engine the WhatsApp session's state changed
// (campaign/whatsapp.Feed calls it on the driver's state events); the
// engine then reads Sender.Ready and pauses or resumes campaigns.
func (e *Engine) SessionChanged() { e.wake() }

// Run is the runner loop; it returns when ctx is done, after pausing the
// running campaigns cleanly.
func (e *Engine) Run(ctx context.Context) error {
	e.resumeAfterShutdown(ctx)
	for ctx.Err() == nil {
		e.startDueSchedules(ctx)
		e.resumeForSession(ctx)
		c, lease := e.nextRunning(ctx)
		if c == nil {
			select {
			case <-ctx.Done():
			case <-e.kick:
			case <-e.clock.After(e.opts.IdlePoll):
			}
			continue
		}
		e.cur = lease
		e.runCampaign(ctx, c)
		e.cur = nil
		lease.end()
	}
	return e.shutdown()
}

// resumeAfterShutdown restarts campaigns the last clean shutdown paused.
// Campaigns a crash left "running" simply go on (after reconciliation).
func (e *Engine) resumeAfterShutdown(ctx context.Context) {
	cs, err := e.store.CampaignsInState(ctx, models.CampaignPaused)
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("campaign: unable to list paused campaigns")
		return
	}
	for _, c := range cs {
		if c.PauseReason == models.PauseShutdown {
			e.changed(c.ID, e.store.ResumeCampaign(ctx, c.ID))
		}
	}
}

// resumeForSession restarts campaigns paused because WhatsApp was not ready,
// once it is.
func (e *Engine) resumeForSession(ctx context.Context) {
	if e.opts.SenderFor == nil && !e.sender.Ready() {
		return
	}
	cs, err := e.store.CampaignsInState(ctx, models.CampaignPaused)
	if err != nil {
		return
	}
	for _, c := range cs {
		if c.PauseReason == models.PauseWhatsApp && e.campaignReady(&c) {
			e.changed(c.ID, e.store.ResumeCampaign(ctx, c.ID))
			e.live.event(c.ID, Event{At: e.clock.Now(), State: "resumed", Detail: "WhatsApp is connected again"})
		}
	}
}

func (e *Engine) startDueSchedules(ctx context.Context) {
	cs, err := e.store.CampaignsInState(ctx, models.CampaignScheduled)
	if err != nil {
		return
	}
	now := e.clock.Now()
	for _, c := range cs {
		if c.ScheduledAt != nil && !c.ScheduledAt.After(now) {
			if _, err := e.plan(ctx, &c); errors.Is(err, models.ErrState) || errors.Is(err, ErrLeaseHeld) {
				continue // another engine on a shared database started it first
			} else if errors.Is(err, ErrCloudNeeded) {
				continue // hybrid mode, offline: it starts once the cloud is back
			} else if err != nil {
				// The campaign goes back to being a draft, so the failed start
				// is not retried every poll; the reason shows on its page.
				logrus.WithFields(logrus.Fields{"campaign": c.ID, "error": err}).Error("campaign: scheduled start failed")
				reason := "could not start at the scheduled time: " + err.Error()
				if err := e.changed(c.ID, e.store.ScheduledStartFailed(ctx, c.ID, reason)); err != nil {
					logrus.WithFields(logrus.Fields{"campaign": c.ID, "error": err}).Error("campaign: unable to turn a campaign whose scheduled start failed back into a draft")
				}
			}
		}
	}
}

// nextRunning picks the oldest running campaign this install may send, and
// its lease (nil without a Lease).
func (e *Engine) nextRunning(ctx context.Context) (*models.Campaign, *heldLease) {
	cs, err := e.store.CampaignsInState(ctx, models.CampaignRunning)
	if err != nil {
		if ctx.Err() == nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("campaign: unable to list running campaigns")
		}
		return nil, nil
	}
	for i := range cs {
		if h, ok := e.takeLease(ctx, &cs[i]); ok {
			return &cs[i], h
		}
	}
	return nil, nil
}

func (e *Engine) shutdown() error {
	if e.lease != nil {
		// Shared campaigns stay running: their leases are released (or run
		// out) and another install goes on with them.
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// A pooled connection that died while the database was away fails the
	// first query that picks it (and is dropped then): try a few times, so a
	// short outage does not leave running campaigns unpaused.
	var cs []models.Campaign
	var err error
	for try := 1; ; try++ {
		if cs, err = e.store.CampaignsInState(ctx, models.CampaignRunning); err == nil || try == 3 || ctx.Err() != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("campaign: unable to pause running campaigns on shutdown: %w", err)
	}
	for _, c := range cs {
		if err := e.store.PauseCampaign(ctx, c.ID, models.PauseShutdown, ""); err != nil {
			logrus.WithFields(logrus.Fields{"campaign": c.ID, "error": err}).Error("campaign: unable to pause on shutdown")
		}
	}
	return nil
}

// changed is called with the result of a state change: when it succeeded,
// the monitor hears of it and the runner wakes. It returns err.
func (e *Engine) changed(id string, err error) error {
	if err == nil {
		e.live.bump(id)
		e.wake()
	}
	return err
}

// Live returns what the runner is doing for a campaign now.
func (e *Engine) Live(id string) Live { return e.live.snapshot(id) }

// Subscribe returns a channel that receives a (coalesced) signal whenever a
// campaign's progress changes, and a function to stop.
func (e *Engine) Subscribe(id string) (<-chan struct{}, func()) { return e.live.subscribe(id) }

// CheckTemplate parses a template and checks its variables against the
// attribute names contacts have.
func (e *Engine) CheckTemplate(ctx context.Context, src string) (*Template, error) {
	return CheckTemplate(ctx, e.store, src)
}

// CheckTemplate parses src and checks its variables against the store's
// attribute names.
func CheckTemplate(ctx context.Context, s interface {
	AttributeKeys(context.Context) ([]string, error)
}, src string) (*Template, error) {
	tpl, err := ParseTemplate(src)
	if err != nil {
		return nil, err
	}
	keys, err := s.AttributeKeys(ctx)
	if err != nil {
		return nil, err
	}
	if err := tpl.Check(keys); err != nil {
		return nil, err
	}
	return tpl, nil
}

// plan freezes a campaign's recipients and marks it running.
func (e *Engine) plan(ctx context.Context, c *models.Campaign) (_ models.PlanResult, err error) {
	tpl, err := e.CheckTemplate(ctx, c.Template)
	if err != nil {
		return models.PlanResult{}, err
	}
	if e.lease != nil {
		release, lerr := e.planLease(ctx, c.ID)
		if lerr != nil {
			return models.PlanResult{}, lerr
		}
		defer func() {
			if err == nil && !e.holdsAny(ctx, c) {
				// Planned here, sent by an install holding its accounts:
				// the lease taken to plan it is given up at once.
				err2 := errors.New("campaign: this install holds none of the campaign's accounts")
				release(err2)
				return
			}
			release(err)
		}()
	}
	files, err := e.checkFiles(ctx, c.ID)
	if err != nil {
		return models.PlanResult{}, err
	}
	res, err := e.store.PlanRecipients(ctx, c.ID, func(ct *models.Contact) (string, error) {
		text := tpl.Render(ct, Seed(c.ID, ct.ID))
		if strings.TrimSpace(text) == "" && len(files) == 0 {
			return "", &models.ValidationError{Field: "template", Message: fmt.Sprintf("the message for %s (%s) is empty; give the variables defaults like {{v1|friend}}", ct.Name, ct.Phone)}
		}
		return text, nil
	})
	if err != nil {
		return res, err
	}
	e.live.bump(c.ID)
	detail := fmt.Sprintf("%d recipients, %d opted out", res.Planned, res.OptedOut)
	if res.Skipped > 0 {
		detail += fmt.Sprintf(", %d skipped (not on WhatsApp)", res.Skipped)
	}
	e.live.event(c.ID, Event{At: e.clock.Now(), State: "started", Detail: detail})
	e.wake()
	return res, nil
}

// Create stores a new draft campaign with its audience.
func (e *Engine) Create(ctx context.Context, c *models.Campaign) error {
	return userError(e.store.CreateCampaign(ctx, c))
}

// CreateScheduled stores a new campaign that starts by itself at t: when it
// cannot be scheduled it is not kept.
func (e *Engine) CreateScheduled(ctx context.Context, c *models.Campaign, t time.Time) error {
	if err := e.store.CreateCampaign(ctx, c); err != nil {
		return userError(err)
	}
	if err := e.Schedule(ctx, c.ID, t); err != nil {
		if derr := e.store.DeleteCampaign(ctx, c.ID); derr != nil {
			logrus.WithFields(logrus.Fields{"campaign": c.ID, "error": derr}).Error("campaign: unable to delete a campaign that could not be scheduled")
		}
		return err
	}
	return nil
}

// Update saves a campaign's name, template, audience, pacing and start
// time. A paused campaign's recipients are frozen: only its name and pacing
// change.
func (e *Engine) Update(ctx context.Context, c *models.Campaign) error {
	return userError(e.store.UpdateCampaign(ctx, c))
}

// Delete deletes a campaign that is not running, with its recipients.
func (e *Engine) Delete(ctx context.Context, id string) error {
	return userError(e.store.DeleteCampaign(ctx, id))
}

// Duplicate copies a campaign in any state into a new draft with the same
// message, files, audience and pacing, named "<name> (copy)" ("Run again"):
// the copy has no recipients or results until it is started.
func (e *Engine) Duplicate(ctx context.Context, id string) (*models.Campaign, error) {
	c, err := e.store.DuplicateCampaign(ctx, id)
	return c, userError(err)
}

// Start freezes a draft's or a scheduled campaign's recipients and starts
// sending.
func (e *Engine) Start(ctx context.Context, id string) (models.PlanResult, error) {
	c, err := e.store.GetCampaign(ctx, id)
	if err != nil {
		return models.PlanResult{}, userError(err)
	}
	if err := models.ActionStart.Check(c.State); err != nil {
		return models.PlanResult{}, userError(err)
	}
	res, err := e.plan(ctx, c)
	return res, userError(err)
}

// Schedule makes a draft start by itself at t.
func (e *Engine) Schedule(ctx context.Context, id string, t time.Time) error {
	c, err := e.store.GetCampaign(ctx, id)
	if err != nil {
		return userError(err)
	}
	if _, err := e.CheckTemplate(ctx, c.Template); err != nil {
		return userError(err)
	}
	if _, err := e.checkFiles(ctx, id); err != nil {
		return userError(err)
	}
	if !t.After(e.clock.Now()) {
		return userError(&models.ValidationError{Field: "scheduled_at", Message: "must be in the future"})
	}
	return userError(e.changed(id, e.store.ScheduleCampaign(ctx, id, t)))
}

// Unschedule turns a scheduled campaign back into a draft.
func (e *Engine) Unschedule(ctx context.Context, id string) error {
	return userError(e.changed(id, e.store.UnscheduleCampaign(ctx, id)))
}

// Pause stops sending after the message in flight.
func (e *Engine) Pause(ctx context.Context, id string) error {
	if err := e.changed(id, e.store.PauseCampaign(ctx, id, models.PauseUser, "")); err != nil {
		return userError(err)
	}
	e.live.event(id, Event{At: e.clock.Now(), State: "paused", Detail: "paused by you"})
	return nil
}

// Resume goes on with a paused campaign.
func (e *Engine) Resume(ctx context.Context, id string) error {
	if err := e.changed(id, e.store.ResumeCampaign(ctx, id)); err != nil {
		return userError(err)
	}
	e.live.event(id, Event{At: e.clock.Now(), State: "resumed", Detail: "resumed by you"})
	return nil
}

// Stop ends a campaign for good; recipients not yet sent stay pending and
// are never sent.
func (e *Engine) Stop(ctx context.Context, id string) error {
	c, err := e.store.GetCampaign(ctx, id)
	if err != nil {
		return userError(err)
	}
	if err := e.changed(id, e.store.StopCampaign(ctx, id, c.Run)); err != nil {
		return userError(err)
	}
	e.live.event(id, Event{At: e.clock.Now(), State: "stopped", Detail: "stopped by you"})
	return nil
}

// RetryFailed starts a new run of a finished campaign with only its failed
// recipients (their texts stay as frozen).
func (e *Engine) RetryFailed(ctx context.Context, id string) (int64, error) {
	if _, err := e.checkFiles(ctx, id); err != nil {
		return 0, userError(err)
	}
	run, n, err := e.store.RetryFailed(ctx, id)
	if err != nil {
		return 0, userError(err)
	}
	e.live.bump(id)
	e.live.event(id, Event{At: e.clock.Now(), State: "started", Detail: fmt.Sprintf("run %d: retrying %d failed", run, n)})
	e.wake()
	return n, nil
}

// ResolveUnknown applies a person's decision about the sends whose fate
// could not be established: "sent" (they went out) or "resend".
func (e *Engine) ResolveUnknown(ctx context.Context, id, decision string) (int64, error) {
	c, err := e.store.GetCampaign(ctx, id)
	if err != nil {
		return 0, userError(err)
	}
	to := models.RecipientSent
	if decision == "resend" {
		to = models.RecipientPending
	} else if decision != "sent" {
		return 0, userError(&models.ValidationError{Field: "decision", Message: "must be sent or resend"})
	}
	reopened, err := e.resolveUnknownMessages(ctx, c, to)
	if err != nil {
		return 0, userError(err)
	}
	n, err := e.store.ResolveUnknown(ctx, id, to, c.Run)
	n += reopened
	if reopened > 0 {
		to = models.RecipientPending // some still have files to get: the campaign goes on
	}
	if err != nil || n == 0 || to != models.RecipientPending {
		e.live.bump(id)
		return n, userError(err)
	}
	if fresh, ferr := e.store.GetCampaign(ctx, id); ferr == nil {
		c = fresh // the runner may have completed the run meanwhile
	}
	if models.ActionReopen.Allowed(c.State) {
		err = e.changed(id, e.store.ReopenCampaign(ctx, id))
		if errors.Is(err, models.ErrState) {
			err = nil // the runner reopened it first
			e.wake()
		}
	} else {
		e.wake()
	}
	return n, userError(err)
}

// HandleAck records a delivery ("delivered") or read ("read") ack for a
// message id; campaign/whatsapp.Feed calls it on the driver's ack events.
func (e *Engine) HandleAck(messageID, ack string) {
	if ack != models.RecipientDelivered && ack != models.RecipientRead {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now := e.clock.Now()
	id, err := e.store.ApplyAck(ctx, messageID, ack, now)
	if err != nil {
		logrus.WithFields(logrus.Fields{"message_id": messageID, "error": err}).Error("campaign: unable to record an ack")
		return
	}
	if id != "" {
		e.live.update(id, nil)
		return
	}
	// The outcome of that send is not written yet: keep the ack for then.
	e.mu.Lock()
	if len(e.early) < 10000 {
		if prev, ok := e.early[messageID]; !ok || prev.state != models.RecipientRead {
			e.early[messageID] = earlyAck{state: ack, at: now}
		}
	}
	e.mu.Unlock()
}

// applyEarlyAcks applies acks that arrived before the outcomes just written.
func (e *Engine) applyEarlyAcks(ctx context.Context, outs []models.Outcome) {
	e.mu.Lock()
	if len(e.early) == 0 {
		e.mu.Unlock()
		return
	}
	var due map[string]earlyAck
	for _, o := range outs {
		if a, ok := e.early[o.MessageID]; ok && o.MessageID != "" {
			if due == nil {
				due = map[string]earlyAck{}
			}
			due[o.MessageID] = a
			delete(e.early, o.MessageID)
		}
	}
	e.mu.Unlock()
	for id, a := range due {
		if a.state == models.RecipientRead {
			e.store.ApplyAck(ctx, id, models.RecipientRead, a.at)
		} else {
			e.store.ApplyAck(ctx, id, models.RecipientDelivered, a.at)
		}
	}
}
