package server

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiCampaignReleaseHeld answers POST /api/v1/campaigns/{id}/release-held
// with {"account_id": "..."}: the recipients of the current run that
// account holds (left "sending" by a send it could not finish) become
// "unknown" for a person to decide; 404 for an unknown campaign, 409 while
// the account is connected (it settles them itself) or holds none.
func (s *Server) apiCampaignReleaseHeld(c *gin.Context) {
	var in struct {
		AccountID string `json:"account_id"`
	}
	if !decodeJSON(c, &in) {
		return
	}
	id := c.Param("id")
	n, err := s.campaigns.ReleaseHeld(c.Request.Context(), id, in.AccountID)
	if err != nil {
		apiCampaignError(c, err)
		return
	}
	s.audit(c, "campaign.release_held", fmt.Sprintf("%s: %d held by account %s released to unknown", s.campaignName(c, id), n, in.AccountID))
	c.JSON(http.StatusOK, gin.H{"released": n})
}

// campaignReleaseHeld is the monitor's "Release" button next to "held by
// <account>".
func (s *Server) campaignReleaseHeld(c *gin.Context) {
	id, acct := c.Param("id"), c.PostForm("account_id")
	n, err := s.campaigns.ReleaseHeld(c.Request.Context(), id, acct)
	if err != nil {
		s.pageCampaignError(c, id, err)
		return
	}
	s.audit(c, "campaign.release_held", fmt.Sprintf("%s: %d held by account %s released to unknown", s.campaignName(c, id), n, acct))
	campaignBack(c, id, "notice", fmt.Sprintf("%d released: they now need your decision below.", n))
}
