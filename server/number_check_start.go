package server

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
	"github.com/sambad/sambad/models"
	"github.com/sambad/sambad/numbercheck"
)

// numberCheckStart is the contacts page's "Check numbers": the selected
// contacts, or (scope=matching) every contact the list's search, group and
// filter match, up to 1,000, at the chosen pace. It goes on to the job's
// page.
func (s *Server) numberCheckStart(c *gin.Context) {
	back := contactListURL(c.PostForm("q"), c.PostForm("group"), c.PostForm("on_whatsapp"))
	var match *models.ContactQuery
	if c.PostForm("check_scope") == "matching" {
		match = &models.ContactQuery{Q: strings.TrimSpace(c.PostForm("q")), GroupID: c.PostForm("group"), OnWhatsApp: onWhatsAppFilter(c.PostForm("on_whatsapp"))}
	} else if len(c.PostFormArray("ids")) == 0 {
		flash(c, "error", "Select the contacts to check first, or choose “all matching”.")
		redirect(c, back)
		return
	}
	cs, err := s.store.ContactsForCheck(c.Request.Context(), c.PostFormArray("ids"), match, models.MaxNumberCheck)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	if len(cs) > models.MaxNumberCheck {
		flash(c, "error", fmt.Sprintf("A check takes at most %d numbers: narrow the list with a group or a search, or select fewer contacts.", models.MaxNumberCheck))
		redirect(c, back)
		return
	}
	req := numbercheck.Request{Pacing: models.Pacing{Preset: c.PostForm("preset")}}
	for _, ct := range cs {
		req.Phones, req.ContactIDs = append(req.Phones, ct.Phone), append(req.ContactIDs, ct.ID)
	}
	n, err := s.numbers.Start(c.Request.Context(), req)
	if ue := campaign.UserError(err); ue != nil {
		flash(c, "error", ue.Message)
		redirect(c, back)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", fmt.Sprintf("Checking %d numbers on WhatsApp.", n.Total))
	redirect(c, "/numbers/checks/"+n.ID)
}
