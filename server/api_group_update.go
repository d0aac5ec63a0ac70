package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiGroupUpdate answers PATCH /api/v1/groups/{id} {"name"}: a rename.
func (s *Server) apiGroupUpdate(c *gin.Context) {
	var b groupBody
	if !decodeJSON(c, &b) {
		return
	}
	g, err := s.store.RenameGroup(c.Request.Context(), c.Param("id"), b.Name)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, g)
}
