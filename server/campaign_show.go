package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
)

// campaignShowView is a campaign's page: before the start, the audience and
// a preview; after, the live monitor.
type campaignShowView struct {
	M             *monitorView
	Draft         bool
	AudienceTotal int64
	AudienceOut   int64
	WillReceive   int64
	Sample        []models.Contact
	PreviewFor    *models.Contact
	Preview       string
	Messages      []waMessage // what PreviewFor gets, files included
	Files         []models.Media
	TemplateError string
	Groups        []models.Group
	Wait          campaignWait // starting now would wait for WhatsApp
}

// campaignShow shows a campaign: the preview and start button for a draft,
// the live monitor once it has started.
func (s *Server) campaignShow(c *gin.Context) {
	ctx := c.Request.Context()
	mv, err := s.monitorView(ctx, c.Param("id"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	v := campaignShowView{M: mv, Draft: mv.C.State == models.CampaignDraft || mv.C.State == models.CampaignScheduled}
	if !v.Draft {
		s.render(c, http.StatusOK, pageCampaign, "campaigns", v)
		return
	}
	if v.AudienceTotal, v.AudienceOut, err = s.store.AudienceCounts(ctx, mv.C.ID); err != nil {
		s.pageStoreError(c, err)
		return
	}
	v.WillReceive = v.AudienceTotal - v.AudienceOut
	v.Wait = s.campaignWait(mv.C)
	if v.Sample, err = s.store.AudienceSample(ctx, mv.C.ID, 50); err != nil {
		s.pageStoreError(c, err)
		return
	}
	if id := c.Query("contact"); id != "" {
		v.PreviewFor, _ = s.store.GetContact(ctx, id)
	} else if len(v.Sample) > 0 {
		v.PreviewFor = &v.Sample[0]
	}
	if v.Files, err = s.store.CampaignMedia(ctx, mv.C.ID); err != nil {
		s.pageStoreError(c, err)
		return
	}
	tpl, err := s.campaigns.CheckTemplate(ctx, mv.C.Template)
	if err != nil {
		v.TemplateError = userCampaignMessage(c, err)
	} else if v.PreviewFor != nil {
		v.Preview = tpl.Render(v.PreviewFor, campaign.Seed(mv.C.ID, v.PreviewFor.ID))
		v.Messages = previewMessages(mv.C.CaptionMode, v.Preview, v.Files)
	}
	all, _ := s.store.ListGroups(ctx)
	for _, g := range all {
		for _, id := range mv.C.GroupIDs {
			if g.ID == id {
				v.Groups = append(v.Groups, g)
			}
		}
	}
	s.render(c, http.StatusOK, pageCampaign, "campaigns", v)
}
