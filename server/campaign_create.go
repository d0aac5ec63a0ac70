package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// campaignCreate saves a new draft (and schedules it when a time is given).
func (s *Server) campaignCreate(c *gin.Context) {
	ctx := c.Request.Context()
	f := readCampaignForm(c)
	if op := c.PostForm("files_op"); op != "" {
		f.applyFilesOp(op, c.PostForm("add_media"))
		s.renderCampaignForm(c, http.StatusOK, "", f, "")
		return
	}
	m, at, err := s.toCampaign(ctx, &f)
	if err == nil {
		err = s.campaigns.Create(ctx, m)
	}
	if msg := userCampaignMessage(c, err); msg != "" {
		f.withTemplateError(err)
		s.renderCampaignForm(c, http.StatusUnprocessableEntity, "", f, msg)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	if at != nil {
		if err := s.campaigns.Schedule(ctx, m.ID, *at); err != nil {
			campaignBack(c, m.ID, "error", "Saved as a draft, but not scheduled: "+userCampaignMessage(c, err))
			return
		}
	}
	campaignBack(c, m.ID, "notice", "Campaign saved. Check the preview, then start it.")
}
