package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/campaign"
)

// campaignNew shows an empty campaign form (medium pacing, 5 failures in a row pause).
func (s *Server) campaignNew(c *gin.Context) {
	f := campaignForm{Preset: campaign.DefaultPreset, GroupIDs: map[string]bool{}, MaxFailures: "5",
		Template: "{Hi|Hello} {{name}}, "}
	if g := c.Query("group_id"); g != "" {
		f.GroupIDs[g] = true
	}
	s.renderCampaignForm(c, http.StatusOK, "", f, "")
}
