package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

type campaignRow struct {
	models.Campaign
	Counts models.StateCounts
}

// campaignList shows the newest campaigns with their progress.
func (s *Server) campaignList(c *gin.Context) {
	ctx := c.Request.Context()
	list, err := s.store.ListCampaigns(ctx, 100)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	rows := make([]campaignRow, 0, len(list))
	for _, cp := range list {
		row := campaignRow{Campaign: cp, Counts: models.StateCounts{}}
		if cp.Planned > 0 {
			if row.Counts, err = s.campaigns.Counts(ctx, cp.ID, cp.UpdatedAt); err != nil {
				s.pageStoreError(c, err)
				return
			}
		}
		rows = append(rows, row)
	}
	s.render(c, http.StatusOK, pageCampaigns, "campaigns", rows)
}
