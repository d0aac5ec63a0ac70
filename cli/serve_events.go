package cli

import (
	"context"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/server"
)

// accountEventStates are the WhatsApp states worth a line in the home page's
// activity feed; the steps on the way (starting, loading, restarting) are not.
var accountEventStates = map[string]bool{
	"ready": true, "qr": true, "phone_offline": true, "conflict": true,
	"logged_out": true, "crashed": true, "failed": true, "stopped": true,
}

// recordAccountEvents writes a WhatsApp account event each time the session
// settles in a new state, until ctx ends. It only watches: it holds nothing
// that shutdown must wait for.
func recordAccountEvents(ctx context.Context, wa server.WhatsApp, store *models.Store) {
	updates, cancel := wa.Subscribe()
	defer cancel()
	last := "stopped" // where every start begins: not news
	note := func(st server.SessionStatus) {
		if !accountEventStates[st.State] || st.State == last {
			return
		}
		last = st.State
		e := models.Event{Kind: models.EventWhatsApp, State: st.State, PrevState: "", Detail: st.Error}
		if err := store.RecordEvent(ctx, e); err != nil && ctx.Err() == nil {
			logrus.WithFields(logrus.Fields{"error": err}).Error("cli: unable to record a WhatsApp event")
		}
	}
	note(wa.Status())
	for {
		select {
		case <-ctx.Done():
			return
		case st, ok := <-updates:
			if !ok {
				return
			}
			note(st)
		}
	}
}
