package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/phone"
)

// formPreview is the campaign form's live preview: who would get the
// message as the form stands, and the text the first of them would get.
type formPreview struct {
	Shown         bool // the form was read (false: the placeholder)
	WillReceive   int64
	OptedOut      int64
	To            *models.Contact
	Preview       string
	Messages      []waMessage // the preview with the files, in order
	TemplateError string
	Problems      []string
}

// campaignPreview answers POST /campaigns/preview, sent by htmx as the
// campaign form changes, with the preview fragment. Nothing is saved.
func (s *Server) campaignPreview(c *gin.Context) {
	ctx := c.Request.Context()
	f := readCampaignForm(c)
	v := formPreview{Shown: true}
	var groupIDs, contactIDs []string
	for id := range f.GroupIDs {
		groupIDs = append(groupIDs, id)
	}
	for i, line := range strings.Split(f.Phones, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.ContainsRune(line, phone.MaskRune) {
			continue // a masked number stands for a contact the campaign has
		}
		e164, err := phone.Normalize(line, s.cfg.DefaultRegion)
		if err != nil {
			v.Problems = append(v.Problems, fmt.Sprintf("line %d: '%s' is not a valid number for region %s", i+1, line, s.cfg.DefaultRegion))
			continue
		}
		ct, err := s.store.GetContactByPhone(ctx, e164)
		if err != nil {
			v.Problems = append(v.Problems, fmt.Sprintf("line %d: %s is not one of your contacts", i+1, e164))
			continue
		}
		contactIDs = append(contactIDs, ct.ID)
	}
	total, out, first, err := s.store.AudiencePreview(ctx, groupIDs, contactIDs)
	if err != nil {
		if msg := userMessage(err); msg != "" {
			v.Problems = append(v.Problems, msg)
		} else {
			classify(c, err) // logs it
			c.String(http.StatusInternalServerError, "The preview is unavailable; the details are in error.log.")
			return
		}
	}
	v.WillReceive, v.OptedOut, v.To = total-out, out, first
	if tpl, err := campaign.CheckTemplate(ctx, s.store, f.Template); err != nil {
		v.TemplateError = userCampaignMessage(c, err)
	} else if first != nil {
		v.Preview = tpl.Render(first, campaign.Seed("", first.ID))
		files, _, err := s.formFiles(ctx, f.MediaIDs)
		if err != nil {
			classify(c, err)
			c.String(http.StatusInternalServerError, "The preview is unavailable; the details are in error.log.")
			return
		}
		media := make([]models.Media, len(files))
		for i := range files {
			media[i] = files[i].Media
		}
		v.Messages = previewMessages(f.CaptionMode, v.Preview, media)
	}
	html, err := s.renderFragment(c, fragmentFormPreview, v)
	if err != nil {
		classify(c, err)
		c.String(http.StatusInternalServerError, "The preview is unavailable; the details are in error.log.")
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(html))
}
