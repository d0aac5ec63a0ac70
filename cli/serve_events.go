package cli

import (
	"context"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/accounts"
	"github.com/sambad/sambad/browser"
	"github.com/sambad/sambad/models"
)

// accountEventStates are the WhatsApp states worth a line in the home page's
// activity feed; the steps on the way (starting, loading, restarting) are not.
var accountEventStates = map[string]bool{
	"ready": true, "qr": true, "phone_offline": true, "conflict": true,
	"logged_out": true, "crashed": true, "failed": true, "stopped": true,
}

// accountEvents turns the accounts' session changes into activity-feed
// events (and so session.state webhook events), one per account each time
// its session settles in a new state. An account put to sleep for idleness
// is not news: its session is intact and it wakes for work.
type accountEvents struct {
	names func(ctx context.Context, id string) string
	last  map[string]string // account id → last state recorded
}

// next returns the event to record for account id's status, if any.
func (a *accountEvents) next(ctx context.Context, id string, st browser.Status, asleep bool) (models.Event, bool) {
	state := string(st.State)
	prev, seen := a.last[id]
	if !seen {
		prev = "stopped" // where every start begins: not news
	}
	if asleep || !accountEventStates[state] || state == prev {
		return models.Event{}, false
	}
	a.last[id] = state
	return models.Event{Kind: models.EventWhatsApp, SubjectID: id, Subject: a.names(ctx, id), State: state, Detail: st.Error}, true
}

// recordAccountEvents writes a WhatsApp event for every account held here
// each time its session settles in a new state, until ctx ends. It only
// watches: it holds nothing that shutdown must wait for.
func recordAccountEvents(ctx context.Context, reg *accounts.Registry, store *models.Store) {
	updates, cancel := reg.Subscribe()
	defer cancel()
	ae := &accountEvents{last: map[string]string{}, names: func(ctx context.Context, id string) string {
		if row, err := reg.Row(ctx, id); err == nil {
			return row.Name
		}
		return ""
	}}
	note := func(id string, st browser.Status, asleep bool) {
		e, ok := ae.next(ctx, id, st, asleep)
		if !ok {
			return
		}
		if err := store.RecordEvent(ctx, e); err != nil && ctx.Err() == nil {
			logrus.WithFields(logrus.Fields{"account": id, "error": err}).Error("cli: unable to record a WhatsApp event")
		}
	}
	if rows, err := reg.List(ctx); err == nil {
		for _, row := range rows {
			if a := reg.Get(row.ID); a != nil {
				st, asleep := a.Status()
				note(row.ID, st, asleep)
			}
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-updates:
			if e.Removed {
				delete(ae.last, e.AccountID)
				continue
			}
			note(e.AccountID, e.Status, e.Asleep)
		}
	}
}
