package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiMediaDelete answers DELETE /api/v1/media/{id}: 409 while a campaign
// that has not finished uses the file.
func (s *Server) apiMediaDelete(c *gin.Context) {
	if _, err := s.media.Delete(c.Request.Context(), c.Param("id")); err != nil {
		status, msg := mediaFailure(c, err)
		apiError(c, status, msg)
		return
	}
	c.Status(http.StatusNoContent)
}
