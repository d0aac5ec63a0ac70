package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/settings"
)

// campaignNew shows an empty campaign form with the Settings page's campaign
// defaults (medium pacing otherwise); 5 failures in a row pause.
func (s *Server) campaignNew(c *gin.Context) {
	d, err := settings.Campaign(c.Request.Context(), s.store)
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	f := campaignForm{Preset: d.Preset, DailyCap: d.DailyCap, QuietStart: d.QuietStart, QuietEnd: d.QuietEnd,
		GroupIDs: map[string]bool{}, MaxFailures: "5", Template: "{Hi|Hello} {{name}}, "}
	if g := c.Query("group_id"); g != "" {
		f.GroupIDs[g] = true
	}
	s.renderCampaignForm(c, http.StatusOK, "", f, "")
}
