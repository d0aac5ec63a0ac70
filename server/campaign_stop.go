package server

import "github.com/gin-gonic/gin"

// campaignStop ends a campaign; what was not sent yet never will be.
func (s *Server) campaignStop(c *gin.Context) {
	id := c.Param("id")
	if err := s.campaigns.Stop(c.Request.Context(), id); err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	s.audit(c, "campaign.stop", s.campaignName(c, id))
	campaignBack(c, id, "notice", "Stopped. Messages not sent yet will not be sent.")
}
