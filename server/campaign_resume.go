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
	cp, err := s.store.GetCampaign(c.Request.Context(), id)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	wait := s.campaignWait(cp)
	if wait.Waits && cp.State == models.CampaignPaused && cp.PauseReason == models.PauseWhatsApp {
		campaignBack(c, id, "warn", wait.What+": this campaign already waits for it and goes on by itself once it is.")
		return
	}
	if err := s.campaigns.Resume(c.Request.Context(), id); err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	s.audit(c, "campaign.resume", s.campaignName(c, id))
	if wait.Waits {
		campaignBack(c, id, "warn", wait.What+": the campaign waits for it and goes on by itself once it is.")
		return
	}
	campaignBack(c, id, "notice", "Resumed.")
}
