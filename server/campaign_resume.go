package server

import "github.com/gin-gonic/gin"

// campaignResume goes on with a paused campaign.
func (s *Server) campaignResume(c *gin.Context) {
	id := c.Param("id")
	if err := s.campaigns.Resume(c.Request.Context(), id); err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	campaignBack(c, id, "notice", "Resumed.")
}
