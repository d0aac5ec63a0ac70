package cli

import (
	"context"
	"fmt"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/config"
	"github.com/sambad/sambad/media"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/whatsapp"
)

// offlineSender stands in when the browser is turned off: never ready, so
// running campaigns pause with reason "whatsapp" instead of failing.
type offlineSender struct{}

func (offlineSender) Ready() bool { return false }
func (offlineSender) SendText(context.Context, string, string) (campaign.SendResult, error) {
	return campaign.SendResult{}, fmt.Errorf("cli: %w (SAMBAD_NO_BROWSER)", campaign.ErrNotReady)
}
func (offlineSender) RecentOutgoing(context.Context, string, int) ([]campaign.OutgoingMessage, error) {
	return nil, fmt.Errorf("cli: %w (SAMBAD_NO_BROWSER)", campaign.ErrNotReady)
}

// startCampaigns starts the campaign engine's runner and the feed of the
// driver's events (acks, session changes) into it. On shutdown (stage
// "campaign engine", after the HTTP server, before the browser) the runner
// finishes the send in flight, pauses running campaigns and returns; the
// next start resumes them. In hybrid mode (lease non-nil) each campaign is
// sent by the one install holding its lease, and shutdown releases the
// leases instead of pausing, so another install goes on with them.
func startCampaigns(ctx context.Context, cfg *config.Config, store *models.Store, reg *accounts.Registry, files *media.Library, lease campaign.Lease, sd *shutdown) *campaign.Engine {
	var sender campaign.Sender = offlineSender{}
	var senderFor func(*models.Campaign) campaign.Sender
	var accountSender func(string) campaign.Sender
	var holds func(string) bool
	if reg != nil {
		holds = reg.Holds
		sender = whatsapp.FirstAccountSender{Registry: reg}
		senderFor = whatsapp.SenderFor(reg)
		accountSender = whatsapp.AccountSenders(reg)
	}
	e := campaign.New(campaign.Options{Store: store, Sender: sender, SenderFor: senderFor, AccountSender: accountSender,
		HoldsAccount: holds, Files: files, Location: cfg.Location(), Lease: lease})
	// Not ctx: the engine must outlive the HTTP server's drain and stop in its own stage.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- e.Run(runCtx) }()
	if reg != nil {
		// Every account's acks and state changes reach the engine, for as
		// long as the account exists.
		reg.Watch(func(a *accounts.Account) {
			fctx, cancel := context.WithCancel(runCtx)
			context.AfterFunc(a.Context(), cancel)
			go whatsapp.Feed(fctx, a.Manager(), e)
		})
	}
	sd.add(stageEngine, "campaign engine", func(stopCtx context.Context) error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-stopCtx.Done():
			return fmt.Errorf("cli: the campaign engine did not stop in time: %w", stopCtx.Err())
		}
	})
	return e
}

// SendFile: nothing can be sent without WhatsApp.
func (offlineSender) SendFile(context.Context, string, campaign.File) (campaign.SendResult, error) {
	return campaign.SendResult{}, campaign.ErrNotReady
}
