package server

import (
	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// campaignResume goes on with a paused campaign. While WhatsApp is not
// connected it says the campaign waits, rather than "Resumed." and a pause
// at once: a campaign already waiting for WhatsApp is left as it is, so
// clicks do not fill its log with resumed/paused pairs.
func (s *Server) campaignResume(c *gin.Context) {
	id := c.Param("id")
	badge := s.whatsappBadge()
	if !badge.CanSend {
		cp, err := s.store.GetCampaign(c.Request.Context(), id)
		if err != nil {
			s.pageStoreError(c, err)
			return
		}
		if cp.State == models.CampaignPaused && cp.PauseReason == models.PauseWhatsApp {
			campaignBack(c, id, "warn", "WhatsApp is not connected ("+badge.Label+"): this campaign already waits for it and goes on by itself once it is.")
			return
		}
	}
	if err := s.campaigns.Resume(c.Request.Context(), id); err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	s.audit(c, "campaign.resume", s.campaignName(c, id))
	if !badge.CanSend {
		campaignBack(c, id, "warn", "WhatsApp is not connected ("+badge.Label+"): the campaign waits for it and goes on by itself once it is.")
		return
	}
	campaignBack(c, id, "notice", "Resumed.")
}
