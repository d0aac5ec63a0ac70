package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiMediaGet answers GET /api/v1/media/{id}.
func (s *Server) apiMediaGet(c *gin.Context) {
	m, err := s.store.GetMedia(c.Request.Context(), c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}
