package server

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"
)

// campaignStart freezes the recipients and starts sending.
func (s *Server) campaignStart(c *gin.Context) {
	id := c.Param("id")
	res, err := s.campaigns.Start(c.Request.Context(), id)
	if err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	s.audit(c, "campaign.start", s.campaignName(c, id))
	msg := fmt.Sprintf("Started: %d recipients.", res.Planned)
	if res.OptedOut > 0 {
		msg = fmt.Sprintf("Started: %d recipients; %d opted-out contacts left out.", res.Planned, res.OptedOut)
	}
	if res.Skipped > 0 {
		msg = strings.TrimSuffix(msg, ".") + fmt.Sprintf("; %d skipped, known not to be on WhatsApp.", res.Skipped)
	}
	campaignBack(c, id, "notice", msg)
}
