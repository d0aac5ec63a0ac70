package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// campaignPatch is the JSON a campaign is changed with: fields left out
// keep their values.
type campaignPatch struct {
	Name        *string        `json:"name"`
	Template    *string        `json:"template"`
	GroupIDs    *[]string      `json:"group_ids"`
	ContactIDs  *[]string      `json:"contact_ids"`
	Pacing      *models.Pacing `json:"pacing"`
	MediaIDs    *[]string      `json:"media_ids"`
	CaptionMode *string        `json:"caption_mode"`
}

// frozen reports whether the patch changes what a started campaign froze.
func (p campaignPatch) frozen() bool {
	return p.Template != nil || p.GroupIDs != nil || p.ContactIDs != nil || p.MediaIDs != nil || p.CaptionMode != nil
}

// apiCampaignUpdate answers PATCH /api/v1/campaigns/{id}: changes a draft's
// or a scheduled campaign's name, message, files, caption mode, audience or
// pacing, and a paused campaign's name and pacing (409 for the rest).
func (s *Server) apiCampaignUpdate(c *gin.Context) {
	ctx := c.Request.Context()
	var b campaignPatch
	if !decodeJSON(c, &b) {
		return
	}
	m, err := s.store.GetCampaign(ctx, c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	if m.State == models.CampaignPaused && b.frozen() {
		apiError(c, http.StatusConflict, "a paused campaign's message, files and audience were frozen when it started; only its name and pacing can change")
		return
	}
	if b.Name != nil {
		m.Name = *b.Name
	}
	if b.Template != nil {
		if _, err := s.campaigns.CheckTemplate(ctx, *b.Template); err != nil {
			apiCampaignError(c, err)
			return
		}
		m.Template = *b.Template
	}
	if b.GroupIDs != nil {
		m.GroupIDs = *b.GroupIDs
	}
	if b.ContactIDs != nil {
		m.ContactIDs = *b.ContactIDs
	}
	if b.MediaIDs != nil {
		m.MediaIDs = *b.MediaIDs
	}
	if b.CaptionMode != nil {
		m.CaptionMode = *b.CaptionMode
	}
	if b.Pacing != nil {
		if err := campaign.CheckPacingInput(*b.Pacing); err != nil {
			apiCampaignError(c, err)
			return
		}
		if m.Pacing, err = campaign.NormalizePacing(*b.Pacing); err != nil {
			apiCampaignError(c, err)
			return
		}
	}
	if err := s.campaigns.Update(ctx, m); err != nil {
		apiCampaignError(c, err)
		return
	}
	s.apiCampaignWrite(c, http.StatusOK, m.ID)
}
