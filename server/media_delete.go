package server

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// mediaDelete deletes a file from the Media page; a file an unfinished
// campaign uses stays, and the page says which campaign.
func (s *Server) mediaDelete(c *gin.Context) {
	m, err := s.media.Delete(c.Request.Context(), c.Param("id"))
	if err != nil {
		status, msg := mediaFailure(c, err)
		if status == http.StatusNotFound || status >= 500 {
			s.mediaError(c, err)
			return
		}
		flash(c, "error", "Not deleted: "+msg+".")
		redirect(c, "/media")
		return
	}
	flash(c, "notice", fmt.Sprintf("%q deleted.", m.Name))
	redirect(c, "/media")
}
