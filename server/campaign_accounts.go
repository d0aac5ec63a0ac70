package server

import (
	"context"
	"slices"

	"github.com/sambad/sambad/models"
)

// accountProgress is one WhatsApp account's row of a campaign's "By
// account" table (monitor, report, PDF): its recipients in the monitor's
// words, and the account's state now.
type accountProgress struct {
	ID, Name, Phone string
	Counts          models.StateCounts
	// Label and Tone are the account's state pill (the accounts page's).
	Label, Tone string
	// Ready says the account can send now; Asleep that its browser sleeps
	// and wakes for work (not a reason to wait); Elsewhere that another
	// install drives it (hybrid mode), so its state is not known here.
	Ready, Asleep, Elsewhere bool
	// SharePct is its part of the campaign's messages sent, for its bar.
	SharePct int64
}

// Sent counts the account's messages that went out (delivered and read too).
func (a accountProgress) Sent() int64 { return a.Counts.Sent() }

// Delivered counts the account's delivered and read messages.
func (a accountProgress) Delivered() int64 {
	return a.Counts[models.RecipientDelivered] + a.Counts[models.RecipientRead]
}

// Sending counts the recipients the account holds: claimed, not settled.
func (a accountProgress) Sending() int64 { return a.Counts[models.RecipientSending] }

// Waiting says the account holds recipients it cannot send now: they wait
// for it (no other account may take them, see campaign/reconcile.go).
func (a accountProgress) Waiting() bool {
	return a.Sending() > 0 && !a.Ready && !a.Asleep && !a.Elsewhere
}

// accountLabels are the state pills of an account that is not simply in a
// session state.
const (
	accountRemoved   = "Removed"
	accountElsewhere = "On another install"
	accountAsleep    = "Asleep"
	accountOff       = "Off"
)

// campaignAccounts is the "By account" table of a campaign with accounts:
// one row per account of its set, in its order, then any other account its
// recipients record (a set edited while paused). Nil for a campaign without
// accounts (it sends through the first one, as before accounts existed).
func (s *Server) campaignAccounts(ctx context.Context, cp *models.Campaign) ([]accountProgress, error) {
	if len(cp.AccountIDs) == 0 || s.campaigns == nil {
		return nil, nil
	}
	counts, err := s.campaigns.AccountCounts(ctx, cp.ID, cp.UpdatedAt)
	if err != nil {
		return nil, err
	}
	known, err := s.accountStates(ctx)
	if err != nil {
		return nil, err
	}
	ids := append([]string(nil), cp.AccountIDs...)
	for id := range counts {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	rows := make([]accountProgress, 0, len(ids))
	var sent int64
	for _, id := range ids {
		a, ok := known[id]
		if !ok {
			a = accountProgress{Name: id, Label: accountRemoved}
		}
		a.ID, a.Counts = id, counts[id]
		if a.Counts == nil {
			a.Counts = models.StateCounts{}
		}
		sent += a.Sent()
		rows = append(rows, a)
	}
	for i := range rows {
		if sent > 0 {
			rows[i].SharePct = rows[i].Sent() * 100 / sent
		}
	}
	return rows, nil
}

// accountStates reads every account's name, number and state: live from
// the accounts port, or the stored rows when the driver is off.
func (s *Server) accountStates(ctx context.Context) (map[string]accountProgress, error) {
	out := map[string]accountProgress{}
	if s.accounts == nil {
		rows, err := s.store.ListWhatsAppAccounts(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ID] = accountProgress{Name: r.Name, Phone: r.Phone, Label: accountOff}
		}
		return out, nil
	}
	list, err := s.accounts.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		p := accountProgress{Name: a.Name, Phone: a.Phone, Ready: a.State == "ready", Asleep: a.Session.Asleep}
		t, ok := stateText[a.State]
		if !ok {
			t = stateText["stopped"]
		}
		p.Label, p.Tone = t.label, t.tone
		switch {
		case !a.Here:
			p.Label, p.Tone, p.Elsewhere = accountElsewhere, "", true
		case a.Session.Asleep:
			p.Label, p.Tone = accountAsleep, ""
		}
		out[a.ID] = p
	}
	return out, nil
}

// accountNamer names the account a recipient records, for the Account
// column of the recipients page and the PDF.
type accountNamer map[string]string

// Of is the account's name: "" before any account claimed the recipient,
// the id itself for an account since removed.
func (n accountNamer) Of(id string) string {
	if id == "" {
		return ""
	}
	if name, ok := n[id]; ok {
		return name
	}
	return id
}

// accountNames reads every account's name.
func (s *Server) accountNames(ctx context.Context) (accountNamer, error) {
	rows, err := s.store.ListWhatsAppAccounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// accountChanges is how a live monitor hears that an account's state
// changed (nil channel without accounts: never).
func (s *Server) accountChanges() (<-chan string, func()) {
	if s.accounts == nil {
		return nil, func() {}
	}
	return s.accounts.Subscribe()
}
