package server

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/sirupsen/logrus"
	"github.com/xuri/excelize/v2"
)

// campaignExportXLSX writes a campaign's results (?only=failed: failures) as
// a spreadsheet, row by row through excelize's stream writer; one row per
// recipient, or with ?messages=1 one per message.
func (s *Server) campaignExportXLSX(c *gin.Context) {
	ctx := c.Request.Context()
	cp, err := s.store.GetCampaign(ctx, c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	states, kind := exportStates(c)
	masked := masksNumbers(c)
	s.audit(c, "report.export", "campaign "+strconv.Quote(cp.Name)+" "+kind+" as xlsx")
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
			out[i] = v // strings stay strings: never read as numbers or formulas
		}
		return out
	}
	row := 1
	err = s.eachExportRow(ctx, cp, states, messagesWanted(c), masked, func(cells []string) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, toRow(cells))
	})
	if err == nil {
		err = sw.Flush()
	}
	if err != nil {
		logrus.WithFields(logrus.Fields{"campaign": cp.ID, "error": err}).Error("server: XLSX export failed")
		s.pageStoreError(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+exportName(cp, kind, "xlsx")+`"`)
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Status(http.StatusOK)
	if err := f.Write(c.Writer); err != nil {
		logrus.WithFields(logrus.Fields{"campaign": cp.ID, "error": err}).Error("server: XLSX export failed")
	}
}
