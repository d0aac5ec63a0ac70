package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiCampaignControl answers POST /api/v1/campaigns/{id}/start|pause|resume|
// stop|retry-failed with the campaign's new state; 409 when its state does
// not allow the action.
func (s *Server) apiCampaignControl(c *gin.Context) {
	ctx, id := c.Request.Context(), c.Param("id")
	var err error
	switch c.Param("action") {
	case "start":
		_, err = s.campaigns.Start(ctx, id)
	case "pause":
		err = s.campaigns.Pause(ctx, id)
	case "resume":
		err = s.campaigns.Resume(ctx, id)
	case "stop":
		err = s.campaigns.Stop(ctx, id)
	case "retry-failed":
		_, err = s.campaigns.RetryFailed(ctx, id)
	default:
		apiError(c, http.StatusNotFound, "unknown action: use start, pause, resume, stop or retry-failed")
		return
	}
	if err != nil {
		apiCampaignError(c, err)
		return
	}
	s.audit(c, "campaign."+c.Param("action"), s.campaignName(c, id))
	s.apiCampaignWrite(c, http.StatusOK, id)
}
