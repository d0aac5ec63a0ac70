package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// reportsView is the reports page: every run of every campaign the filters
// select, their totals and the campaign report's delivery chart of them.
type reportsView struct {
	From, To, State, Q string
	States             []string
	Rows               []runLine
	Totals             models.StateCounts
	Steps              []funnelStep
	Bars               []chartBar
	Full               bool   // the list reached models.MaxRunReports
	Invalid            bool   // a filter could not be read; nothing is listed
	Query              string // the filters, for the export links
	loc                *time.Location
}

// runLine is one row of the reports table.
type runLine struct{ models.RunReport }

// Delivered counts the run's delivered and read messages.
func (r runLine) Delivered() int64 {
	return r.Counts[models.RecipientDelivered] + r.Counts[models.RecipientRead]
}

// At is a time in the configured zone.
func (v *reportsView) At(t time.Time) string { return t.In(v.loc).Format("2 Jan 2006 15:04") }

// When is an optional time in the configured zone.
func (v *reportsView) When(t *time.Time) string {
	if t == nil {
		return ""
	}
	return v.At(*t)
}

// reportList shows /reports.
func (s *Server) reportList(c *gin.Context) {
	q, v, err := s.reportQuery(c)
	if err != nil {
		v.Invalid = true
		flashNow(c, err.Error())
		s.render(c, http.StatusUnprocessableEntity, pageReports, "reports", v)
		return
	}
	runs, err := s.store.RunReports(c.Request.Context(), q)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v.Full = len(runs) == models.MaxRunReports
	v.Totals = models.StateCounts{}
	for _, r := range runs {
		v.Rows = append(v.Rows, runLine{r})
		for st, n := range r.Counts {
			v.Totals[st] += n
		}
	}
	v.Steps = funnel(v.Totals)
	v.Bars = deliveryBars(v.Steps, v.Totals.Total(), 460)
	s.render(c, http.StatusOK, pageReports, "reports", v)
}

// reportQuery reads the filters: from and to are days (YYYY-MM-DD, both
// included) in the configured time zone; state a campaign state; q a part
// of a campaign's name. A day that is not one is an error to show.
func (s *Server) reportQuery(c *gin.Context) (models.RunReportQuery, *reportsView, error) {
	loc := s.cfg.Location()
	v := &reportsView{From: strings.TrimSpace(c.Query("from")), To: strings.TrimSpace(c.Query("to")), State: c.Query("state"),
		Q: strings.TrimSpace(c.Query("q")), loc: loc, Totals: models.StateCounts{},
		States: []string{models.CampaignRunning, models.CampaignPaused, models.CampaignCompleted, models.CampaignStopped, models.CampaignFailed}}
	v.Steps, v.Bars = funnel(v.Totals), deliveryBars(funnel(v.Totals), 0, 460)
	q := models.RunReportQuery{State: v.State, Q: v.Q}
	valid := v.State == ""
	for _, st := range v.States {
		valid = valid || st == v.State
	}
	if !valid {
		return q, v, fmt.Errorf("%q is not a campaign state: choose one from the list", echo(v.State))
	}
	for _, d := range []struct {
		name, text string
		to         *time.Time
		days       int
	}{{"From", v.From, &q.From, 0}, {"To", v.To, &q.To, 1}} {
		if d.text == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", d.text, loc)
		if err != nil {
			return q, v, fmt.Errorf("%s: %q is not a day; use the form 2026-12-31", d.name, echo(d.text))
		}
		*d.to = t.AddDate(0, 0, d.days)
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, v, fmt.Errorf("the From day (%s) is after the To day (%s)", v.From, v.To)
	}
	vals := url.Values{}
	for k, x := range map[string]string{"from": v.From, "to": v.To, "state": v.State, "q": v.Q} {
		if x != "" {
			vals.Set(k, x)
		}
	}
	if len(vals) > 0 {
		v.Query = "?" + vals.Encode()
	}
	return q, v, nil
}

// echo cuts a person's input to 64 characters for a message.
func echo(s string) string {
	if r := []rune(s); len(r) > 64 {
		return string(r[:64]) + "…"
	}
	return s
}
