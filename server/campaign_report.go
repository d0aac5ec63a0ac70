package server

import (
	"context"
	"net/http"
	"strings"

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
	v, err := s.reportData(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	s.render(c, http.StatusOK, pageCampaignReport, "campaigns", v)
}

// reportData gathers a campaign's report: the monitor's counts, the chart,
// each run's counts and the send ledger. The page and the PDF share it.
func (s *Server) reportData(ctx context.Context, id string) (reportView, error) {
	mv, err := s.monitorView(ctx, id)
	if err != nil {
		return reportView{}, err
	}
	runs, err := s.store.ListRuns(ctx, mv.C.ID)
	if err != nil {
		return reportView{}, err
	}
	v := reportView{M: mv, Width: 460}
	if v.Sends, v.Repeated, err = s.store.SendLedger(ctx, mv.C.ID); err != nil {
		return reportView{}, err
	}
	for _, r := range runs {
		if len(runs) == 1 {
			v.Runs = append(v.Runs, runRow{r, mv.Counts})
			continue
		}
		counts, err := s.store.CountStates(ctx, mv.C.ID, r.Run)
		if err != nil {
			return reportView{}, err
		}
		v.Runs = append(v.Runs, runRow{r, counts})
	}
	// The chart shows the monitor's numbers, in its words (one source).
	v.Bars = deliveryBars(mv.Funnel(), mv.Total, v.Width)
	return v, nil
}

// Delivered counts a run's delivered and read messages.
func (r runRow) Delivered() int64 {
	return r.Counts[models.RecipientDelivered] + r.Counts[models.RecipientRead]
}

// deliveryBars lays out the delivery chart (templates/_delivery_chart.html)
// of an outcome: one bar per step but "not sent yet", scaled to total.
func deliveryBars(steps []funnelStep, total int64, width int) []chartBar {
	barClass := map[string]string{"invalid_number": "invalid"}
	var bars []chartBar
	for _, st := range steps {
		if st.Key == "pending" {
			continue
		}
		class := st.Key
		if c, ok := barClass[st.Key]; ok {
			class = c
		}
		bars = append(bars, chartBar{Label: strings.ToUpper(st.Label[:1]) + st.Label[1:], Class: class, N: st.N})
	}
	for i := range bars {
		bars[i].Y = i * 34
		if total > 0 {
			bars[i].W = int(bars[i].N * int64(width) / total)
		}
	}
	return bars
}
