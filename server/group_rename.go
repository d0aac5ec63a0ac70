package server

import (
	"github.com/gin-gonic/gin"
)

// groupRename renames a group from its page.
func (s *Server) groupRename(c *gin.Context) {
	id := c.Param("id")
	g, err := s.store.RenameGroup(c.Request.Context(), id, c.PostForm("name"))
	if msg := userMessage(err); msg != "" {
		flash(c, "error", msg)
		redirect(c, "/groups/"+id)
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", "Group renamed to “"+g.Name+"”.")
	redirect(c, "/groups/"+id)
}
