package server

import (
	"context"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/models"
)

// eventLine is one event as the home page words it.
type eventLine struct {
	At   time.Time
	Kind string
	Text string
	Link string
	Tone string // pill colour: ok, warn, bad, brand or ""
}

var pauseReasons = map[string]string{
	models.PauseUser:     "by you",
	models.PauseWhatsApp: "WhatsApp is not connected",
	models.PauseFailures: "too many failures in a row",
	models.PauseShutdown: "Sambad was shutting down",
}

// newEventLine words an event for a person.
func newEventLine(e models.Event) eventLine {
	l := eventLine{At: e.At, Kind: e.Kind}
	switch e.Kind {
	case models.EventCampaign:
		l.Link = "/campaigns/" + e.SubjectID
		l.Text, l.Tone = campaignEventText(e)
	case models.EventImport:
		l.Link = "/contacts"
		l.Text, l.Tone = "Imported "+e.Subject+": "+e.Detail, "ok"
		if e.State == "failed" {
			l.Text, l.Tone = "Import of "+e.Subject+" failed: "+e.Detail, "bad"
		}
	case models.EventWhatsApp:
		l.Link = "/whatsapp"
		v := newSessionView(true, SessionStatus{State: e.State})
		l.Text, l.Tone = "WhatsApp: "+v.Label, v.Tone
		if e.Subject != "" { // the account, since several can be linked
			l.Link = "/accounts"
			if e.Subject != "WhatsApp" { // the first account's default name says nothing more
				l.Text = "WhatsApp “" + e.Subject + "”: " + v.Label
			}
		}
		if e.Detail != "" {
			l.Text += " (" + e.Detail + ")"
		}
	case models.EventBackup:
		l.Link = "/backup"
		l.Text, l.Tone = e.Detail, "brand"
	default:
		l.Text = e.Kind + " " + e.State
	}
	return l
}

func campaignEventText(e models.Event) (string, string) {
	name := "Campaign “" + e.Subject + "”"
	switch e.State {
	case models.CampaignRunning:
		switch e.PrevState {
		case models.CampaignPaused:
			return name + " resumed", "brand"
		case models.CampaignCompleted, models.CampaignStopped, models.CampaignFailed:
			return name + " started again for its failed messages", "brand"
		}
		return name + " started", "brand"
	case models.CampaignPaused:
		if r, ok := pauseReasons[e.Detail]; ok {
			return name + " paused (" + r + ")", "warn"
		}
		return name + " paused", "warn"
	case models.CampaignCompleted:
		return name + " finished", "ok"
	case models.CampaignStopped:
		return name + " stopped", "bad"
	case models.CampaignFailed:
		if e.Detail != "" {
			return name + " failed: " + e.Detail, "bad"
		}
		return name + " failed", "bad"
	case models.CampaignScheduled:
		return name + " scheduled", "warn"
	case models.CampaignDraft:
		return name + " back to draft", ""
	}
	return name + " is " + e.State, ""
}

// noteImport records a finished import in the activity feed; a dry run is
// not an event.
func (s *Server) noteImport(name string, dryRun bool, rep *importer.Report, err error) {
	e := models.Event{Kind: models.EventImport, Subject: name, State: "done"}
	switch {
	case dryRun:
		return
	case err != nil:
		e.State, e.Detail = "failed", err.Error()
	case rep == nil:
		return
	default:
		e.Detail = fmt.Sprintf("%d new, %d updated, %d invalid", rep.Imported, rep.Updated, rep.InvalidTotal)
	}
	if rerr := s.store.RecordEvent(context.Background(), e); rerr != nil {
		logrus.WithFields(logrus.Fields{"error": rerr}).Error("server: unable to record the import event")
	}
}
