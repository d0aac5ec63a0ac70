package server

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
	"github.com/xuri/excelize/v2"

	"github.com/sambad/sambad/models"
)

// reportHeader names the columns of the reports page's export.
var reportHeader = []string{"campaign", "campaign_state", "run", "kind", "started_at", "finished_at", "recipients",
	"sent", "delivered", "read", "failed", "invalid_number", "unknown", "pending", "skipped"}

// reportRow is one run as exported; counts as on the page (sent includes
// delivered and read, delivered includes read).
func reportRow(r *models.RunReport) []string {
	fin := ""
	if r.FinishedAt != nil {
		fin = r.FinishedAt.UTC().Format(time.RFC3339)
	}
	k := r.Counts
	n := func(x int64) string { return strconv.FormatInt(x, 10) }
	return []string{neutralizeCell(r.CampaignName), r.CampaignState, strconv.Itoa(r.Run), r.Kind, r.StartedAt.UTC().Format(time.RFC3339), fin,
		n(r.Recipients), n(k.Sent()), n(k[models.RecipientDelivered] + k[models.RecipientRead]), n(k[models.RecipientRead]),
		n(k[models.RecipientFailed]), n(k[models.RecipientInvalid]), n(k[models.RecipientUnknown]), n(k[models.RecipientPending] + k[models.RecipientSending]),
		n(k[models.RecipientSkipped])}
}

// reportRows reads the page's filters and its runs; it answers the
// request itself (and returns false) when it cannot.
func (s *Server) reportRows(c *gin.Context) ([]models.RunReport, bool) {
	q, _, err := s.reportQuery(c)
	if err != nil {
		s.renderError(c, http.StatusUnprocessableEntity, "These filters cannot be used", err.Error())
		return nil, false
	}
	rows, err := s.store.RunReports(c.Request.Context(), q)
	if err != nil {
		s.pageStoreError(c, err)
		return nil, false
	}
	return rows, true
}

// reportExportCSV downloads the reports page's table as CSV.
func (s *Server) reportExportCSV(c *gin.Context) {
	rows, ok := s.reportRows(c)
	if !ok {
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	s.audit(c, "report.export", "runs as csv")
	c.Header("Content-Disposition", `attachment; filename="sambad-runs.csv"`)
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	w.Write(reportHeader)
	for i := range rows {
		w.Write(reportRow(&rows[i]))
	}
	w.Flush()
}

// reportExportXLSX downloads the reports page's table as a spreadsheet;
// every cell is text, as in the campaign export.
func (s *Server) reportExportXLSX(c *gin.Context) {
	rows, ok := s.reportRows(c)
	if !ok {
		return
	}
	s.audit(c, "report.export", "runs as xlsx")
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	toRow := func(cells []string) []any {
		out := make([]any, len(cells))
		for i, v := range cells {
			out[i] = v
		}
		return out
	}
	err = sw.SetRow("A1", toRow(reportHeader))
	for i := 0; i < len(rows) && err == nil; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		err = sw.SetRow(cell, toRow(reportRow(&rows[i])))
	}
	if err == nil {
		err = sw.Flush()
	}
	if err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: reports XLSX export failed")
		s.pageStoreError(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="sambad-runs.xlsx"`)
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Status(http.StatusOK)
	if err := f.Write(c.Writer); err != nil {
		logrus.WithFields(logrus.Fields{"error": err}).Error("server: reports XLSX export failed")
	}
}
