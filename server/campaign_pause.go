package server

import "github.com/gin-gonic/gin"

// campaignPause pauses sending after the message in flight.
func (s *Server) campaignPause(c *gin.Context) {
	id := c.Param("id")
	if err := s.campaigns.Pause(c.Request.Context(), id); err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	s.audit(c, "campaign.pause", s.campaignName(c, id))
	campaignBack(c, id, "notice", "Paused.")
}
