package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// campaignUpdate saves the edit form. A paused campaign's message and
// audience are frozen; only its name and pacing change.
func (s *Server) campaignUpdate(c *gin.Context) {
	ctx := c.Request.Context()
	cp, err := s.store.GetCampaign(ctx, c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	f := readCampaignForm(c)
	s.keepMaskedContacts(c, &f, cp.ContactIDs)
	if cp.State == models.CampaignPaused {
		f.Template, f.FrozenMessage = cp.Template, true
		f.MediaIDs, f.CaptionMode = cp.MediaIDs, cp.CaptionMode
	} else if op := c.PostForm("files_op"); op != "" {
		f.applyFilesOp(op, c.PostForm("add_media"))
		s.renderCampaignForm(c, http.StatusOK, cp.ID, f, "")
		return
	}
	m, at, err := s.toCampaign(ctx, &f)
	if err == nil {
		m.ID, m.ScheduledAt = cp.ID, at
		err = s.campaigns.Update(ctx, m)
	}
	if msg := userCampaignMessage(c, err); msg != "" {
		f.withTemplateError(err)
		s.renderCampaignForm(c, http.StatusUnprocessableEntity, cp.ID, f, msg)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	switch {
	case cp.State == models.CampaignScheduled && at == nil:
		err = s.campaigns.Unschedule(ctx, cp.ID)
	case cp.State == models.CampaignDraft && at != nil:
		err = s.campaigns.Schedule(ctx, cp.ID, *at)
	}
	if err != nil {
		campaignBack(c, cp.ID, "error", "Saved, but the schedule did not change: "+userCampaignMessage(c, err))
		return
	}
	campaignBack(c, cp.ID, "notice", "Campaign saved.")
}
