package server

import (
	"github.com/gin-gonic/gin"
)

// contactDelete deletes one contact.
func (s *Server) contactDelete(c *gin.Context) {
	n, err := s.store.DeleteContacts(c.Request.Context(), []string{c.Param("id")})
	if err != nil {
		s.pageStoreError(c, err)
		return
	}
	if n == 0 {
		flash(c, "error", "That contact was already deleted.")
	} else {
		flash(c, "notice", "Contact deleted.")
	}
	redirect(c, "/contacts")
}
