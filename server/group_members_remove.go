package server

import (
	"fmt"

	"github.com/gin-gonic/gin"
)

// groupMembersRemove removes the selected members from a group.
func (s *Server) groupMembersRemove(c *gin.Context) {
	id := c.Param("id")
	n, err := s.store.RemoveMembers(c.Request.Context(), id, c.PostFormArray("ids"))
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", fmt.Sprintf("%d members removed from the group.", n))
	redirect(c, "/groups/"+id)
}
