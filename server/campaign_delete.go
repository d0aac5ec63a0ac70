package server

import "github.com/gin-gonic/gin"

// campaignDelete deletes a campaign that is not running, with its results.
func (s *Server) campaignDelete(c *gin.Context) {
	id := c.Param("id")
	name := s.campaignName(c, id)
	if err := s.campaigns.Delete(c.Request.Context(), id); err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	s.audit(c, "campaign.delete", name)
	flash(c, "notice", "Campaign deleted.")
	redirect(c, "/campaigns")
}
