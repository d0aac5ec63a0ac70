package campaign

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/sambad/sambad/models"
)

// HeldAccount is one account holding recipients of a campaign's current
// run: left "sending" by a send it could not finish, so they wait for it.
type HeldAccount struct {
	AccountID string
	Name      string // "" when the account no longer exists
	Held      int64
	// Ready: the account is connected on this install and settles them by
	// itself; otherwise a person may release them (ReleaseHeld).
	Ready bool
}

// Held lists the accounts holding recipients of campaign id's current run.
func (e *Engine) Held(ctx context.Context, id string) ([]HeldAccount, error) {
	c, err := e.store.GetCampaign(ctx, id)
	if err != nil {
		return nil, userError(err)
	}
	by, err := e.store.HeldByAccount(ctx, id, c.Run)
	if err != nil || len(by) == 0 {
		return nil, err
	}
	names := map[string]string{}
	for _, a := range e.accountList(ctx) {
		names[a.ID] = a.Name
	}
	out := make([]HeldAccount, 0, len(by))
	for _, a := range e.campaignAccountsOrder(c, by) {
		out = append(out, HeldAccount{AccountID: a, Name: names[a], Held: by[a], Ready: e.accountReady(c, a)})
	}
	return out, nil
}

// campaignAccountsOrder is the accounts of by, the campaign's own first in
// its order, then any other.
func (e *Engine) campaignAccountsOrder(c *models.Campaign, by map[string]int64) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range c.AccountIDs {
		if by[a] > 0 && !seen[a] {
			out, seen[a] = append(out, a), true
		}
	}
	for a := range by {
		if !seen[a] {
			out = append(out, a)
		}
	}
	return out
}

// accountReady reports whether account acct can read chats for campaign c
// on this install now.
func (e *Engine) accountReady(c *models.Campaign, acct string) bool {
	if e.opts.AccountSender != nil {
		return e.accountSender(acct).Ready()
	}
	return e.accountOf(c) == acct && e.senderOf(c).Ready()
}

// ReleaseHeld is a person giving up on account accountID for campaign id:
// the recipients of the current run it holds (left "sending" by a send it
// could not finish, or, with files, pending but pinned to it) become
// "unknown", with a reason naming the account, so the person decides
// (ResolveUnknown: "sent", or "resend" through any account of the
// campaign). Refused (409) while the account is connected here, since it
// settles them itself by reading its chats, and when it holds none.
func (e *Engine) ReleaseHeld(ctx context.Context, id, accountID string) (int64, error) {
	c, err := e.store.GetCampaign(ctx, id)
	if err != nil {
		return 0, userError(err)
	}
	accountID = strings.TrimSpace(accountID)
	if accountID == "" {
		return 0, userError(&models.ValidationError{Field: "account_id", Message: "name the account whose recipients to release"})
	}
	name := accountID
	for _, a := range e.accountList(ctx) {
		if a.ID == accountID {
			name = fmt.Sprintf("%q (%s)", a.Name, a.ID)
		}
	}
	if l := e.live.snapshot(id).Lease; e.lease != nil && l.Holder != "" && !l.Mine && l.Until.After(e.clock.Now()) {
		// That install may be sending to one of them right now.
		return 0, &Error{Status: http.StatusConflict, Message: fmt.Sprintf("Install %s is sending this campaign now; release them on that install, or once it has stopped sending", l.Holder)}
	}
	if e.accountReady(c, accountID) {
		return 0, &Error{Status: http.StatusConflict, Message: fmt.Sprintf("WhatsApp account %s is connected: it checks its own chats and settles the recipients it holds by itself; nothing to release", name)}
	}
	reason := fmt.Sprintf("held by WhatsApp account %s, which did not come back; released by a person: it may or may not have gone out from that account", name)
	n, err := e.store.ReleaseHeld(ctx, id, c.Run, accountID, reason)
	if err != nil {
		return 0, userError(err)
	}
	if n == 0 {
		return 0, &Error{Status: http.StatusConflict, Message: fmt.Sprintf("WhatsApp account %s holds no recipient of this campaign's current run", name)}
	}
	e.live.bump(id)
	e.live.event(id, Event{At: e.clock.Now(), State: models.RecipientUnknown, Detail: fmt.Sprintf("%d held by account %s released: they need your decision", n, name)})
	e.wake()
	return n, nil
}

// AccountFree returns a 409 *Error naming the campaigns whose recipients
// account holds (left "sending", or pinned to it), nil when it holds none:
// an account is not removed while it does, since its chats are the only
// record of whether those messages went out.
func (e *Engine) AccountFree(ctx context.Context, account string) error {
	held, err := e.store.CampaignsHeldByAccount(ctx, account)
	if err != nil {
		return err
	}
	if len(held) == 0 {
		return nil
	}
	parts := make([]string, len(held))
	for i, h := range held {
		parts[i] = fmt.Sprintf("%d of “%s”", h.N, h.Name)
	}
	return &Error{Status: http.StatusConflict, Message: fmt.Sprintf("This account holds recipients whose sends are not settled (%s). Release them on each campaign's page (“Release”, next to “held by”) and decide about them, then remove the account.", strings.Join(parts, ", "))}
}
