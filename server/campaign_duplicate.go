package server

import "github.com/gin-gonic/gin"

// campaignDuplicate ("Run again" on a finished campaign, "Duplicate" on the
// others) copies the campaign into a new draft and opens it.
func (s *Server) campaignDuplicate(c *gin.Context) {
	id := c.Param("id")
	cp, err := s.campaigns.Duplicate(c.Request.Context(), id)
	if err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	campaignBack(c, cp.ID, "notice", "A new draft with the same message, files, audience and pacing. Check it, then start it.")
}
