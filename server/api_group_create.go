package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiGroupCreate answers POST /api/v1/groups {"name"}.
func (s *Server) apiGroupCreate(c *gin.Context) {
	var b groupBody
	if !decodeJSON(c, &b) {
		return
	}
	g, err := s.store.CreateGroup(c.Request.Context(), b.Name)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusCreated, g)
}
