package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// apiMediaList answers GET /api/v1/media: newest first, ?page and ?per_page.
func (s *Server) apiMediaList(c *gin.Context) {
	items, total, err := s.store.ListMedia(c.Request.Context(), models.MediaQuery{Page: intQuery(c, "page", 1), PerPage: min(intQuery(c, "per_page", 50), 500)})
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total})
}
