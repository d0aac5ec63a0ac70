package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiGroupDelete answers DELETE /api/v1/groups/{id}; the contacts stay.
func (s *Server) apiGroupDelete(c *gin.Context) {
	if err := s.store.DeleteGroup(c.Request.Context(), c.Param("id")); err != nil {
		apiStoreError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
