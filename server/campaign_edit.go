package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// campaignEdit shows the form for a draft, scheduled or paused campaign.
func (s *Server) campaignEdit(c *gin.Context) {
	ctx := c.Request.Context()
	cp, err := s.store.GetCampaign(ctx, c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	if !models.CampaignEditable(cp.State) {
		campaignBack(c, cp.ID, "error", "A "+cp.State+" campaign cannot be edited.")
		return
	}
	s.renderCampaignForm(c, http.StatusOK, cp.ID, formFromCampaign(cp, s.cfg.Location(), s.contactPhones(c, cp.ContactIDs)), "")
}
