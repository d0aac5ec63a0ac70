package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiCampaignGet answers GET /api/v1/campaigns/{id}: state and counts per
// recipient state.
func (s *Server) apiCampaignGet(c *gin.Context) {
	s.apiCampaignWrite(c, http.StatusOK, c.Param("id"))
}
