package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// apiCampaignCreate answers POST /api/v1/campaigns {"name","template",
// "group_ids","contact_ids","pacing":{...},"scheduled_at","account_ids",
// "media_ids","caption_mode"}: a draft (or a scheduled campaign), 201.
// Template mistakes are 422 with line and column; unknown files, more than
// 10 and an unknown caption mode are 422 too.
func (s *Server) apiCampaignCreate(c *gin.Context) {
	ctx := c.Request.Context()
	var b campaignBody
	if !decodeJSON(c, &b) {
		return
	}
	if err := campaign.CheckPacingInput(b.Pacing); err != nil {
		apiCampaignError(c, err)
		return
	}
	p, err := campaign.NormalizePacing(b.Pacing)
	if err != nil {
		apiCampaignError(c, err)
		return
	}
	if msg := s.checkCampaignAccounts(c, b.AccountIDs); msg != "" {
		apiError(c, http.StatusUnprocessableEntity, msg)
		return
	}
	if _, err := s.campaigns.CheckTemplate(ctx, b.Template); err != nil {
		apiCampaignError(c, err)
		return
	}
	m := &models.Campaign{Name: b.Name, Template: b.Template, GroupIDs: b.GroupIDs, ContactIDs: b.ContactIDs, Pacing: p,
		SkipNotOnWhatsApp: b.SkipNotOnWhatsApp, AccountIDs: b.AccountIDs, MediaIDs: b.MediaIDs, CaptionMode: b.CaptionMode}
	if b.ScheduledAt != nil {
		err = s.campaigns.CreateScheduled(ctx, m, *b.ScheduledAt)
	} else {
		err = s.campaigns.Create(ctx, m)
	}
	if err != nil {
		apiCampaignError(c, err)
		return
	}
	s.apiCampaignWrite(c, http.StatusCreated, m.ID)
}

// apiCampaignWrite answers with a campaign's current JSON.
func (s *Server) apiCampaignWrite(c *gin.Context, status int, id string) {
	ctx := c.Request.Context()
	cp, err := s.store.GetCampaign(ctx, id)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	counts, err := s.campaigns.Counts(ctx, id, cp.UpdatedAt)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(status, newCampaignJSON(cp, counts, s.campaigns.Live(id), s.campaigns.Leased()))
}
