package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiCampaignList answers GET /api/v1/campaigns: the newest 100, with counts.
func (s *Server) apiCampaignList(c *gin.Context) {
	ctx := c.Request.Context()
	list, err := s.store.ListCampaigns(ctx, 100)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	items := make([]campaignJSON, 0, len(list))
	for i := range list {
		counts, err := s.campaigns.Counts(ctx, list[i].ID, list[i].UpdatedAt)
		if err != nil {
			apiStoreError(c, err)
			return
		}
		items = append(items, newCampaignJSON(&list[i], counts, s.campaigns.Live(list[i].ID), s.campaigns.Leased()))
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
