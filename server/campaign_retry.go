package server

import (
	"fmt"

	"github.com/gin-gonic/gin"
)

// campaignRetry starts a new run with only the failed recipients.
func (s *Server) campaignRetry(c *gin.Context) {
	id := c.Param("id")
	n, err := s.campaigns.RetryFailed(c.Request.Context(), id)
	if err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	campaignBack(c, id, "notice", fmt.Sprintf("Retrying %d failed messages in a new run.", n))
}
