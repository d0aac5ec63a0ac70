package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/importer"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
)

// exportContacts streams the contacts ?q= and ?group_id= select as a CSV or
// XLSX download. Page CSVs start with a UTF-8 byte-order mark, so Excel reads
// names in any script; the API's do not.
func (s *Server) exportContacts(c *gin.Context, format string) {
	q := s.forViewer(c, models.ContactQuery{Q: c.Query("q"), GroupID: c.Query("group_id"), OnWhatsApp: c.Query("on_whatsapp")})
	if !models.ValidOnWhatsAppFilter(q.OnWhatsApp) {
		msg := "on_whatsapp must be true, false or unknown"
		if isAPI(c) {
			apiError(c, http.StatusBadRequest, msg)
		} else {
			s.renderError(c, http.StatusBadRequest, "Please check the address", msg+".")
		}
		return
	}
	exp, err := importer.NewExport(c.Request.Context(), s.store, q)
	if err != nil {
		if isAPI(c) {
			apiStoreError(c, err)
		} else {
			s.pageStoreError(c, err)
		}
		return
	}
	if masksNumbers(c) {
		exp.MaskPhone, exp.MaskText = phone.Masked, phone.MaskText
	}
	s.audit(c, "contacts.export", format+" of the contacts"+describeQuery(q))
	name := "contacts-" + time.Now().Format("2006-01-02") + "." + format
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	if format == "xlsx" {
		c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		c.Status(http.StatusOK)
		err = exp.WriteXLSX(c.Request.Context(), c.Writer)
	} else {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Status(http.StatusOK)
		if !isAPI(c) {
			c.Writer.Write([]byte("\ufeff"))
		}
		err = exp.WriteCSV(c.Request.Context(), c.Writer)
	}
	if err != nil && c.Request.Context().Err() == nil {
		// The status is sent: the download ends short, and the log says why.
		logrus.WithFields(logrus.Fields{"error": err, "path": c.Request.URL.Path}).Error("server: export stopped half-way")
	}
}

// describeQuery says which contacts a search selects, for the audit log.
func describeQuery(q models.ContactQuery) string {
	out := ""
	if q.Q != "" {
		out += " matching " + strconv.Quote(clip(q.Q, 50))
	}
	if q.GroupID != "" {
		out += " in group " + q.GroupID
	}
	return out
}
