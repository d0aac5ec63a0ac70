package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/pdfprint"
)

// maxPDFRows bounds the recipients table of a PDF report (about 130 pages
// of A4): Chromium paints the whole document at once, its memory growing
// with the rows (about 1 GiB at 5,000, BENCHMARKS.md), so the bound is what
// keeps memory and time in check. The rest is in the CSV, as the PDF says.
const maxPDFRows = 5000

// pdfReportView is the PDF report: the page's report and its recipients.
type pdfReportView struct {
	reportView
	Failures  bool // ?only=failed
	Rows      []models.Recipient
	Matching  int64 // recipients the table would list without the bound
	Truncated bool  // the bound cut the table short
	Generated string
	// Names of the WhatsApp accounts, for the Account column of a campaign
	// with accounts (nil: no column).
	Names accountNamer
}

// PDFPrinter makes a PDF of an HTML document (pdfprint.Printer).
type PDFPrinter interface {
	Print(ctx context.Context, html string, pg pdfprint.Page, w io.Writer) error
}

// campaignReportPDF answers the campaign report as a PDF file
// (?only=failed: failures only), for a person to keep or email.
func (s *Server) campaignReportPDF(c *gin.Context) {
	ctx := c.Request.Context()
	fail := func(status int, msg string) {
		if isAPI(c) {
			apiError(c, status, msg)
		} else {
			s.renderError(c, status, "No PDF", msg)
		}
	}
	v, err := s.reportData(ctx, c.Param("id"))
	if err != nil {
		if isAPI(c) {
			apiStoreError(c, err)
		} else {
			s.pageStoreError(c, err)
		}
		return
	}
	pv := pdfReportView{reportView: v, Generated: time.Now().In(v.M.Loc).Format("2 Jan 2006 15:04 MST")}
	states, kind := exportStates(c)
	pv.Failures = states != nil
	pv.Matching = v.M.Total
	if pv.Failures {
		pv.Matching = 0
		for _, st := range states {
			pv.Matching += v.M.Counts[st]
		}
	}
	if pv.Rows, err = s.pdfRows(ctx, v.M.C.ID, states); err != nil {
		fail(http.StatusInternalServerError, "The recipients could not be read; see error.log.")
		return
	}
	pv.Truncated = int64(len(pv.Rows)) < pv.Matching && len(pv.Rows) == maxPDFRows
	if len(v.M.C.AccountIDs) > 0 {
		if pv.Names, err = s.accountNames(ctx); err != nil {
			fail(http.StatusInternalServerError, "The WhatsApp accounts could not be read; see error.log.")
			return
		}
	}
	html, err := s.renderFragment(c, fragmentReportPDF, pv)
	if err != nil {
		logrus.WithFields(logrus.Fields{"campaign": v.M.C.ID, "error": err}).Error("server: unable to render the PDF report")
		fail(http.StatusInternalServerError, "The report could not be laid out; see error.log.")
		return
	}
	var pdf bytes.Buffer
	footer := v.M.C.Name + " · " + pv.Generated
	if err := s.pdf.Print(ctx, html, pdfprint.Page{Footer: footer}, &pdf); err != nil {
		logrus.WithFields(logrus.Fields{"campaign": v.M.C.ID, "error": err}).Error("server: unable to print the PDF report")
		if errors.Is(err, pdfprint.ErrBusy) {
			fail(http.StatusServiceUnavailable, "Another PDF is being made; try again in a moment.")
			return
		}
		fail(http.StatusServiceUnavailable, "The PDF could not be made: Chromium did not print it (see error.log). The CSV and XLSX exports still work.")
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+exportName(v.M.C, kind, "pdf")+`"`)
	c.Data(http.StatusOK, "application/pdf", pdf.Bytes())
}

var errEnoughRows = errors.New("enough rows")

// pdfRows reads the first maxPDFRows recipients in the given states.
func (s *Server) pdfRows(ctx context.Context, id string, states []string) ([]models.Recipient, error) {
	var rows []models.Recipient
	err := s.store.EachRecipient(ctx, id, states, func(r *models.Recipient) error {
		if len(rows) == maxPDFRows {
			return errEnoughRows
		}
		r.Body = "" // the message text stays out of the table
		rows = append(rows, *r)
		return nil
	})
	if err != nil && !errors.Is(err, errEnoughRows) {
		logrus.WithFields(logrus.Fields{"campaign": id, "error": err}).Error("server: unable to read recipients for a PDF")
		return nil, err
	}
	return rows, nil
}

// lastTime is when a recipient's state last moved (read, delivered, sent).
func lastTime(r *models.Recipient) *time.Time {
	switch {
	case r.ReadAt != nil:
		return r.ReadAt
	case r.DeliveredAt != nil:
		return r.DeliveredAt
	}
	return r.SentAt
}
