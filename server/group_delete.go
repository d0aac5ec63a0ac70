package server

import (
	"github.com/gin-gonic/gin"
)

// groupDelete deletes a group; its contacts stay.
func (s *Server) groupDelete(c *gin.Context) {
	if err := s.store.DeleteGroup(c.Request.Context(), c.Param("id")); err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", "Group deleted. Its contacts are still in your contacts.")
	redirect(c, "/groups")
}
