package server

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// campaignExportCSV streams a campaign's results (?only=failed: failures) as CSV.
func (s *Server) campaignExportCSV(c *gin.Context) {
	ctx := c.Request.Context()
	cp, err := s.store.GetCampaign(ctx, c.Param("id"))
	if err != nil {
		if isAPI(c) {
			apiStoreError(c, err)
		} else {
			s.pageStoreError(c, err)
		}
		return
	}
	states, kind := exportStates(c)
	masked := masksNumbers(c)
	s.audit(c, "report.export", "campaign "+strconv.Quote(cp.Name)+" "+kind+" as csv")
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+exportName(cp, kind, "csv")+`"`)
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	w.Write(exportHeader)
	err = s.store.EachRecipient(ctx, cp.ID, states, func(r *models.Recipient) error {
		return w.Write(exportRow(r, masked))
	})
	w.Flush()
	if err != nil {
		// Headers are out: the truncated file is all that can be done; the log says why.
		logrus.WithFields(logrus.Fields{"campaign": cp.ID, "error": err}).Error("server: CSV export failed")
	}
}
