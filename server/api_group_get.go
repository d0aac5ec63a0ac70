package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiGroupGet answers GET /api/v1/groups/{id}.
func (s *Server) apiGroupGet(c *gin.Context) {
	g, err := s.store.GetGroup(c.Request.Context(), c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, g)
}
