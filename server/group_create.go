package server

import (
	"github.com/gin-gonic/gin"
)

// groupCreate creates a group from the groups page.
func (s *Server) groupCreate(c *gin.Context) {
	g, err := s.store.CreateGroup(c.Request.Context(), c.PostForm("name"))
	if msg := userMessage(err); msg != "" {
		flash(c, "error", msg)
		redirect(c, "/groups")
		return
	}
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	flash(c, "notice", "Group “"+g.Name+"” created.")
	redirect(c, "/groups/"+g.ID)
}
