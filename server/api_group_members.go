package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiGroupMembersAdd answers POST /api/v1/groups/{id}/members {"contact_ids"}.
func (s *Server) apiGroupMembersAdd(c *gin.Context) {
	var b groupMembersBody
	if !decodeJSON(c, &b) {
		return
	}
	n, err := s.store.AddMembers(c.Request.Context(), c.Param("id"), b.ContactIDs)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"added": n})
}

// apiGroupMembersRemove answers DELETE /api/v1/groups/{id}/members {"contact_ids"}.
func (s *Server) apiGroupMembersRemove(c *gin.Context) {
	var b groupMembersBody
	if !decodeJSON(c, &b) {
		return
	}
	n, err := s.store.RemoveMembers(c.Request.Context(), c.Param("id"), b.ContactIDs)
	if err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"removed": n})
}
