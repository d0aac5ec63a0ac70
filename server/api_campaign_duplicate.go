package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiCampaignDuplicate answers POST /api/v1/campaigns/{id}/duplicate: a new
// draft with the campaign's message, files, audience and pacing, 201 with
// the same JSON as GET /api/v1/campaigns/{id}.
func (s *Server) apiCampaignDuplicate(c *gin.Context) {
	cp, err := s.campaigns.Duplicate(c.Request.Context(), c.Param("id"))
	if err != nil {
		apiCampaignError(c, err)
		return
	}
	s.apiCampaignWrite(c, http.StatusCreated, cp.ID)
}
