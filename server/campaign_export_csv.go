package server

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
)

// campaignExportCSV streams a campaign's results (?only=failed: failures) as
// CSV, one row per recipient (?messages=1: one per message).
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
	err = s.eachExportRow(ctx, cp, states, messagesWanted(c), masked, w.Write)
	w.Flush()
	if err != nil {
		// Headers are out: the truncated file is all that can be done; the log says why.
		logrus.WithFields(logrus.Fields{"campaign": cp.ID, "error": err}).Error("server: CSV export failed")
	}
}
