package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// homeEvents is how many events the home page lists.
const homeEvents = 20

// homeView is what home.html shows.
type homeView struct {
	Totals  models.Totals
	Account sessionView
	Today   todaySends
	Active  []activeCampaign
	Events  []eventLine
	Chart   dayChart // desktop
	Compact dayChart // phone
	Loc     *time.Location
}

// todaySends is today's sends against the tightest daily cap of the
// campaigns that are running (the cap counts every campaign's sends).
type todaySends struct {
	Sent    int64
	Cap     int
	CapFrom string // the campaign whose cap it is
	Pct     int64
}

// activeCampaign is a running, paused or scheduled campaign with its progress.
type activeCampaign struct {
	C           models.Campaign
	Total, Done int64
	Pct         int64
}

// home is the dashboard: totals, the WhatsApp account, today's sends, the
// campaigns under way, recent events and the last 14 days.
func (s *Server) home(c *gin.Context) {
	ctx := c.Request.Context()
	events, err := s.store.RecentEvents(ctx, homeEvents)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	var newest int64
	if len(events) > 0 {
		newest = events[0].ID
	}
	snap, err := s.homeSnapshot(ctx, newest)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v := homeView{Loc: s.cfg.Location(), Totals: snap.totals, Active: snap.active, Today: snap.today,
		Account: s.accountView()}
	v.Chart, v.Compact = newDayChart(snap.days, wideChart), newDayChart(snap.days, compactChart)
	for _, e := range events {
		v.Events = append(v.Events, newEventLine(e))
	}
	s.render(c, http.StatusOK, pageHome, "home", v)
}

// accountView is the WhatsApp session as the home page's card shows it.
func (s *Server) accountView() sessionView {
	if s.wa == nil {
		v := newSessionView(false, SessionStatus{State: "stopped"})
		if s.waOffReason != "" {
			v.Hint = "WhatsApp is " + s.waOffReason + "."
		}
		return v
	}
	v := newSessionView(true, s.wa.Status())
	v.QRImage = "" // the home page links to the WhatsApp page for the code
	return v
}

// activeCampaigns lists running, paused and scheduled campaigns with their
// progress, and fills in the daily cap the running ones send under.
func (s *Server) activeCampaigns(ctx context.Context, today *todaySends) ([]activeCampaign, error) {
	cs, err := s.store.CampaignsInState(ctx, models.CampaignRunning, models.CampaignPaused, models.CampaignScheduled)
	if err != nil {
		return nil, err
	}
	out := make([]activeCampaign, 0, len(cs))
	for _, cp := range cs {
		a := activeCampaign{C: cp}
		if cp.State != models.CampaignScheduled {
			counts, err := s.campaignCounts(ctx, cp)
			if err != nil {
				return nil, err
			}
			a.Total, a.Done = counts.Total(), counts.Done()
			if a.Total > 0 {
				a.Pct = a.Done * 100 / a.Total
			}
		}
		if cp.State == models.CampaignRunning && cp.Pacing.DailyCap > 0 && (today.Cap == 0 || cp.Pacing.DailyCap < today.Cap) {
			today.Cap, today.CapFrom = cp.Pacing.DailyCap, cp.Name
		}
		out = append(out, a)
	}
	if today.Cap > 0 {
		today.Pct = min(100, today.Sent*100/int64(today.Cap))
	}
	return out, nil
}

// campaignCounts uses the engine's one-second cache (shared with the
// monitor pages) when the engine runs.
func (s *Server) campaignCounts(ctx context.Context, cp models.Campaign) (models.StateCounts, error) {
	if s.campaigns != nil {
		return s.campaigns.Counts(ctx, cp.ID, cp.UpdatedAt)
	}
	return s.store.CountStates(ctx, cp.ID, 0)
}
