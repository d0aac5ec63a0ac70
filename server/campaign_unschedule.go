package server

import "github.com/gin-gonic/gin"

// campaignUnschedule turns a scheduled campaign back into a draft.
func (s *Server) campaignUnschedule(c *gin.Context) {
	id := c.Param("id")
	if err := s.campaigns.Unschedule(c.Request.Context(), id); err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	campaignBack(c, id, "notice", "No longer scheduled; the campaign is a draft again.")
}
