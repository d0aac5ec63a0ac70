package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// reportView is the printable report: totals, a chart, and one row per run.
type reportView struct {
	M     *monitorView
	Bars  []chartBar
	Runs  []runRow
	Width int
	// The send ledger: messages handed to WhatsApp, and recipients who got
	// more than one (two installs both sent after a takeover).
	Sends, Repeated int64
}

type chartBar struct {
	Label, Class string
	N            int64
	Y, W         int
}

type runRow struct {
	models.CampaignRun
	Counts models.StateCounts
}

// campaignReport shows a campaign's results per campaign and per run.
func (s *Server) campaignReport(c *gin.Context) {
	ctx := c.Request.Context()
	mv, err := s.monitorView(ctx, c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	runs, err := s.store.ListRuns(ctx, mv.C.ID)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v := reportView{M: mv, Width: 460}
	if v.Sends, v.Repeated, err = s.store.SendLedger(ctx, mv.C.ID); err != nil {
		s.pageStoreError(c, err)
		return
	}
	for _, r := range runs {
		if len(runs) == 1 {
			v.Runs = append(v.Runs, runRow{r, mv.Counts})
			continue
		}
		counts, err := s.store.CountStates(ctx, mv.C.ID, r.Run)
		if err != nil {
			s.pageStoreError(c, err)
			return
		}
		v.Runs = append(v.Runs, runRow{r, counts})
	}
	k := mv.Counts
	bars := []chartBar{
		{Label: "Sent (all)", Class: "sent", N: k.Sent()},
		{Label: "Delivered", Class: "delivered", N: k[models.RecipientDelivered] + k[models.RecipientRead]},
		{Label: "Read", Class: "read", N: k[models.RecipientRead]},
		{Label: "Failed", Class: "failed", N: k[models.RecipientFailed]},
		{Label: "Not on WhatsApp", Class: "invalid", N: k[models.RecipientInvalid]},
		{Label: "Unknown", Class: "unknown", N: k[models.RecipientUnknown]},
	}
	for i := range bars {
		bars[i].Y = i * 34
		if mv.Total > 0 {
			bars[i].W = int(bars[i].N * int64(v.Width) / mv.Total)
		}
	}
	v.Bars = bars
	s.render(c, http.StatusOK, pageCampaignReport, "campaigns", v)
}

// Delivered counts a run's delivered and read messages.
func (r runRow) Delivered() int64 {
	return r.Counts[models.RecipientDelivered] + r.Counts[models.RecipientRead]
}
