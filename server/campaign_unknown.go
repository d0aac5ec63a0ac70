package server

import (
	"fmt"

	"github.com/gin-gonic/gin"
)

// campaignUnknown applies the person's decision about sends whose fate
// could not be told after a crash: decision=sent or decision=resend.
func (s *Server) campaignUnknown(c *gin.Context) {
	id := c.Param("id")
	n, err := s.campaigns.ResolveUnknown(c.Request.Context(), id, c.PostForm("decision"))
	if err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	campaignBack(c, id, "notice", fmt.Sprintf("%d messages updated.", n))
}
