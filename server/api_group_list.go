package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiGroupList answers GET /api/v1/groups.
func (s *Server) apiGroupList(c *gin.Context) {
	groups, err := s.store.ListGroups(c.Request.Context())
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": groups, "total": len(groups)})
}
