package campaign

import (
	"context"
	"errors"
	"time"

	"github.com/sambad/sambad/models"
)

// SendStatus is what the driver says became of one message.
type SendStatus string

// Send statuses.
const (
	StatusSent          SendStatus = "sent"
	StatusInvalidNumber SendStatus = "invalid_number"
	StatusFailed        SendStatus = "failed"
)

// SendResult is the driver's answer to one send.
type SendResult struct {
	Status    SendStatus
	MessageID string
	Reason    string
}

// OutgoingMessage is one of a chat's last outgoing messages.
type OutgoingMessage struct {
	ID   string
	Text string // for a file: its caption
	Ack  string
	// Media is "" for text, else "photo", "video" or "document"; FileName
	// is a document's name as the chat shows it.
	Media    string
	FileName string
}

// File is one attachment a Sender sends: a file on disk (media.Library.Open
// makes sure it is there), the name a recipient sees, its kind and caption.
type File struct {
	Path    string
	Name    string
	Kind    string // "photo", "video" or "document"
	Caption string
}

// ErrNotReady, wrapped by a Sender's error, says the WhatsApp session was
// not ready so nothing was done: from SendText the recipient goes back to
// pending without a chat read; from RecentOutgoing the recipient stays
// "sending" until the session is back and the chat can be read.
var ErrNotReady = errors.New("campaign: WhatsApp is not ready; nothing was done")

// Sender sends WhatsApp messages. In the running app it is
// campaign/whatsapp.Sender over the browser driver (wired in cli); tests use
// a null sender or a ledger over HTTP.
type Sender interface {
	// SendText sends text to phone (E.164). An error means the outcome is not
	// known (the browser crashed, the session dropped): the engine then
	// reconciles instead of resending.
	SendText(ctx context.Context, phone, text string) (SendResult, error)
	// SendFile sends one file with its caption; outcomes as SendText.
	SendFile(ctx context.Context, phone string, f File) (SendResult, error)
	// RecentOutgoing returns the chat's last n outgoing messages, newest
	// last, so a send a crash interrupted can be settled.
	RecentOutgoing(ctx context.Context, phone string, n int) ([]OutgoingMessage, error)
	// Ready reports whether the WhatsApp session can send now.
	Ready() bool
}

// Store is what the engine needs from the database; *models.Store is one.
// Each state change is one named method; the store refuses, with a
// *models.StateError, what models' campaign rules forbid.
type Store interface {
	GetCampaign(ctx context.Context, id string) (*models.Campaign, error)
	CampaignsInState(ctx context.Context, states ...string) ([]models.Campaign, error)
	CreateCampaign(ctx context.Context, c *models.Campaign) error
	UpdateCampaign(ctx context.Context, c *models.Campaign) error
	DeleteCampaign(ctx context.Context, id string) error
	DuplicateCampaign(ctx context.Context, id string) (*models.Campaign, error)
	AttributeKeys(ctx context.Context) ([]string, error)

	// State changes.
	ScheduleCampaign(ctx context.Context, id string, t time.Time) error
	UnscheduleCampaign(ctx context.Context, id string) error
	ScheduledStartFailed(ctx context.Context, id, reason string) error
	PlanRecipients(ctx context.Context, id string, render func(*models.Contact) (string, error)) (models.PlanResult, error)
	PauseCampaign(ctx context.Context, id, reason, lastError string) error
	ResumeCampaign(ctx context.Context, id string) error
	StopCampaign(ctx context.Context, id string, run int) error
	CompleteRun(ctx context.Context, id string, run int) error
	FailCampaign(ctx context.Context, id, lastError string) error
	RetryFailed(ctx context.Context, id string) (int, int64, error)
	ReopenCampaign(ctx context.Context, id string) error

	// Recipients.
	// ClaimPendingOn claims for WhatsApp account account ("" unknown): the
	// account is written with the "sending" mark.
	ClaimPendingOn(ctx context.Context, id, account string, run, n int) ([]models.Recipient, error)
	RecordOutcomes(ctx context.Context, id string, outs []models.Outcome) error
	RecipientsInState(ctx context.Context, id, state string) ([]models.Recipient, error)
	SetRecipientState(ctx context.Context, id string, seq int64, from string, o models.Outcome) (bool, error)
	ResolveUnknown(ctx context.Context, id, to string, run int) (int64, error)
	ApplyAck(ctx context.Context, messageID, state string, at time.Time) (string, error)
	CountStates(ctx context.Context, id string, run int) (models.StateCounts, error)
	// CountStatesByAccount counts per account_id ("" unclaimed) and state.
	CountStatesByAccount(ctx context.Context, id string) (map[string]models.StateCounts, error)
	SentSince(ctx context.Context, t time.Time) (int64, error)
	CountInDoubt(ctx context.Context, id string, run int, through int64) (int64, error)
	MarkInDoubt(ctx context.Context, id string, run int, through int64) (int64, error)

	// Campaigns with files: their files, and each recipient's messages.
	CampaignMedia(ctx context.Context, id string) ([]models.Media, error)
	RecipientMessages(ctx context.Context, id string, seq int64) ([]models.Message, error)
	StartMessage(ctx context.Context, m models.Message) error
	RecordMessage(ctx context.Context, id string, seq int64, part int, o models.Outcome, done *models.Outcome) error
	PutMessage(ctx context.Context, m models.Message) error
	ResolveUnknownMessages(ctx context.Context, id, to string) (int64, error)
	ReopenRecipient(ctx context.Context, id string, seq int64, run int) (bool, error)

	// Recipients one account holds (campaign/held.go).
	// ClaimPendingPinned is ClaimPendingOn for a rotation with files: a
	// recipient part of whose messages went out is claimed only through
	// the account that sent them.
	ClaimPendingPinned(ctx context.Context, id, account string, run, n int) ([]models.Recipient, error)
	ReleaseHeld(ctx context.Context, id string, run int, account, reason string) (int64, error)
	HeldByAccount(ctx context.Context, id string, run int) (map[string]int64, error)
	CampaignsHeldByAccount(ctx context.Context, account string) ([]models.CampaignHeld, error)
}

// Clock tells the time and waits; tests inject one to reach quiet hours.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Lease errors a Lease returns (wrapped). They and LeaseInfo are the only
// lease types: syncer.Leases implements Lease on the cloud's sync_leases.
var (
	// ErrLeaseHeld: another install holds the campaign's lease.
	ErrLeaseHeld = errors.New("campaign: the campaign is sending on another install")
	// ErrLeaseLost: the lease expired and may have been taken over.
	ErrLeaseLost = errors.New("campaign: the campaign's lease was lost")
)

// LeaseInfo says which install sends a campaign, and until when its lease
// runs (by the database's clock), and the lease's claim: the recipients
// (run ClaimRun, seq up to ClaimSeq) install ClaimHolder may have sent
// without reporting them yet.
type LeaseInfo struct {
	Holder   string    // install id
	Until    time.Time // zero when not known
	Acquired time.Time // when Holder took it; renewals keep it

	ClaimHolder string // "" when nobody claimed
	ClaimRun    int
	ClaimSeq    int64
}

// ErrCloudNeeded, wrapped, says an action needs the cloud database, which
// cannot be reached now (hybrid mode).
var ErrCloudNeeded = errors.New("campaign: this needs the cloud database, which cannot be reached now")

// Lease gives each campaign exactly one sending install when several
// installs share one database (hybrid mode); syncer.Worker.CampaignLease
// implements it. Nil in Options means every running campaign is sent here.
type Lease interface {
	// InstallID is this install's id; "" while not known yet (nothing is
	// sent until it is).
	InstallID() string
	// Acquire takes or renews the campaign's lease for ttl; it fails with
	// ErrLeaseHeld, and the holder's LeaseInfo, when another install holds it.
	Acquire(ctx context.Context, campaignID string, ttl time.Duration) (LeaseInfo, error)
	// Renew extends a held lease; ErrLeaseLost when it is no longer ours.
	Renew(ctx context.Context, campaignID string, ttl time.Duration) (LeaseInfo, error)
	// Release gives the lease up.
	Release(ctx context.Context, campaignID string) error
	// HeldLocally reports whether the lease this install last took or
	// renewed is still running by the local monotonic clock: what an
	// install that cannot reach the database checks before each send.
	HeldLocally(campaignID string) bool
	// Claim renews a held lease and records, in the database, that this
	// install may send the recipients of run up to seq through before it
	// next reaches the database; ErrLeaseLost when it is no longer ours.
	Claim(ctx context.Context, campaignID string, run int, through int64, ttl time.Duration) (LeaseInfo, error)
	// Pull brings this install's copy of the shared data up to date now
	// (hybrid mode: applies every change the cloud holds).
	Pull(ctx context.Context) error
}
